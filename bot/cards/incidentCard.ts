import { incidentLabel, type Incident } from '../../models/incident.js';
import { provisioningFailures } from '../../models/provisioning.js';
import { severityInfo } from '../../models/severity.js';
import { adaptiveCard, plain, teamsDateTime, text, type CardElement } from './common.js';

const STEP_NAMES = { channel: 'Channel', meeting: 'Meeting', tab: 'Tab', card: 'Card', reporter: 'Reporter reply', cardLinks: 'Card update' } as const;

function person(p: { name: string } | undefined): string {
  return p ? plain(p.name) : '_unassigned_';
}

/** The incident card: a pure function of the record. */
export function incidentCard(incident: Incident): CardElement {
  const severity = severityInfo[incident.severity];
  const header: CardElement = {
    type: 'Container',
    style: severity.colour === 'accent' ? 'accent' : severity.colour,
    bleed: true,
    items: [
      text(`${incidentLabel(incident)} · ${incident.severity} ${severity.label}`, { weight: 'Bolder', size: 'Small', color: severity.colour }),
      text(plain(incident.title), { weight: 'Bolder', size: 'Large', spacing: 'None' }),
    ],
  };
  const facts = [
    { title: 'Status', value: incident.status },
    { title: 'Severity', value: `${incident.severity}: ${severity.definition}` },
    { title: 'Commander', value: person(incident.roles.commander) },
    { title: 'Reporter', value: person(incident.reporter) },
    { title: 'Declared', value: teamsDateTime(incident.milestones.declared) },
    ...(incident.component ? [{ title: 'Component', value: plain(incident.component) }] : []),
    { title: 'Meeting', value: incident.meeting ? `[Join the bridge](${incident.meeting.joinUrl})` : stepNote(incident, 'meeting') },
    { title: 'Tab', value: incident.tab ? `[Timeline, checklist, post-mortem](${incident.tab.webUrl})` : stepNote(incident, 'tab') },
  ];
  const body: CardElement[] = [header, { type: 'FactSet', facts }];
  if (incident.description) body.push(text(plain(incident.description), { isSubtle: true, maxLines: 6 }));
  const failures = provisioningFailures(incident);
  if (failures.length > 0) {
    body.push({
      type: 'Container',
      style: 'attention',
      items: failures.map((f) => text(`⚠ ${STEP_NAMES[f.step]} failed: ${plain(f.error)}${f.hint ? ` — next step: ${plain(f.hint)}` : ''}`, { size: 'Small' })),
    });
  }
  const actions: CardElement[] = [];
  if (incident.meeting) actions.push({ type: 'Action.OpenUrl', title: 'Join bridge', url: incident.meeting.joinUrl });
  if (incident.tab) actions.push({ type: 'Action.OpenUrl', title: 'Open tab', url: incident.tab.webUrl });
  return adaptiveCard(body, actions);
}

function stepNote(incident: Incident, step: 'meeting' | 'tab'): string {
  const state = incident.provisioning.steps[step];
  return state.status === 'failed' ? '_not available (see below)_' : '_being set up…_';
}
