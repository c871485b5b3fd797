import { incidentLabel, type Incident } from '../../models/incident/incident.js';
import { md, mdCode, mdJoin, type Markdown } from '../../models/support/markdown.js';
import { nextStatuses } from '../../models/incident/lifecycle.js';
import { adaptiveCard, text, type CardElement } from './common.js';
import { CARD_VERBS, execute } from './cardVerbs.js';

export interface HelpEntry {
  readonly usage: string;
  readonly summary: string;
  /** What the person is doing with it; help shows one short list per group. */
  readonly group?: 'declare' | 'run' | 'learn';
}

const GROUPS = [
  { group: 'declare', title: 'Declare' },
  { group: 'run', title: 'Run the incident' },
  { group: 'learn', title: 'Look things up' },
] as const;

/**
 * Help generated from the command table. In an incident channel it leads with calls to action
 * (every message should offer the next step): become IC, update status, show
 * info, edit the summary, escalate.
 */
export function helpCard(commands: readonly HelpEntry[], opening: Markdown, incident?: Incident): CardElement {
  const body: CardElement[] = [text(opening, { weight: 'Bolder' })];
  const actions: CardElement[] = [];
  if (incident) {
    body.push(text('Quick actions for this incident:', { isSubtle: true }));
    if (!incident.roles.commander) actions.push(execute(incident, 'Become IC', CARD_VERBS.takeRole, { role: 'commander' }));
    const statuses = nextStatuses(incident.status).filter((s) => s !== 'closed' && s !== 'archived');
    if (statuses.length > 0) {
      actions.push({
        type: 'Action.ShowCard',
        title: 'Update status',
        card: { type: 'AdaptiveCard', body: [{ type: 'Input.ChoiceSet', id: 'statusTo', value: statuses[0], choices: statuses.map((s) => ({ title: s, value: s })) }], actions: [execute(incident, 'Change status', CARD_VERBS.status)] },
      });
    }
    actions.push(execute(incident, 'Show info', CARD_VERBS.info), execute(incident, 'Edit summary', CARD_VERBS.editSummary), execute(incident, 'Escalate', CARD_VERBS.escalate));
  }
  GROUPS.forEach(({ group, title }, n) => {
    const entries = commands.filter((c) => (c.group ?? 'learn') === group);
    if (entries.length === 0) return;
    body.push(text(title, { weight: 'Bolder', separator: n === 0 }));
    body.push(text(mdJoin(entries.map((c) => md`- ${mdCode(c.usage)}: ${withCode(c.summary)}`), md`\n`)));
  });
  return adaptiveCard(body, actions);
}

/** The command table's own words (code, not people's): `backticked` parts become code spans, the rest is escaped. */
function withCode(summary: string): Markdown {
  return mdJoin(summary.split('`').map((part, i) => (i % 2 === 1 ? mdCode(part) : md`${part}`)));
}

/** The opening of the help card for someone who just joined an incident channel: their name and the title, escaped. */
export function welcomeOpening(name: string, incident: Incident): Markdown {
  return md`Welcome, ${name}! This is ${incidentLabel(incident)}: ${incident.title}.`;
}
