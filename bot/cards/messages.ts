import { CARD_VERBS } from './cardVerbs.js';
import type { MyIncident } from '../../models/record/myIncidents.js';
import { incidentLabel, type Incident, type Person } from '../../models/incident/incident.js';
import type { TenantProfile } from '../../models/incident/tenantProfile.js';
import { typeOf, type BroadcastMode } from '../../models/incident/incidentTypes.js';
import { fieldFacts } from '../../models/incident/extraFields.js';
import { isOpen } from '../../models/incident/lifecycle.js';
import type { StoredPostmortem } from '../../models/ports/postmortemStore.js';
import { blamelessWarnings, formatDuration, postmortemDurations } from '../../models/postmortem/postmortem.js';
import { adaptiveCard, fact, factSet, tenantText, text, type CardElement } from './common.js';
import { md, mdJoin, mdLink, type Markdown } from '../../models/support/markdown.js';

/** What the reporter sees where they declared: first "declaring…", then the link to the room. */
export function reporterCard(incident: Incident, profile: TenantProfile): CardElement {
  const label = `${incidentLabel(incident)} (${incident.severity} ${profile.severities[incident.severity].label})`;
  // A private incident's answer names no title: it may be read where the reporter declared, by people who are not its members.
  if (incident.private && incident.chat) {
    return adaptiveCard(
      [text(md`🔒 ${label} declared (private)`, { weight: 'Bolder' }), text(md`Its war room is a private group chat with its members; only they and incident admins see the incident.`)],
      [{ type: 'Action.OpenUrl', title: 'Go to the private chat', url: incident.chat.webUrl }],
    );
  }
  if (incident.private && incident.chatFallback) {
    return adaptiveCard([
      text(md`🔒 ${label} declared (private)`, { weight: 'Bolder' }),
      text(md`Its private group chat could not be made (${incident.chatFallback.reason}), so the card and updates come to each member's personal chat with me. It stays private: it is never posted in a channel.`, { color: 'warning' }),
    ]);
  }
  if (incident.private) return adaptiveCard([text(md`🔒 ${label} declared (private)`, { weight: 'Bolder' }), text(md`Opening its private group chat…`, { isSubtle: true })]);
  if (incident.channel) {
    return adaptiveCard(
      [text(md`🚨 ${label} declared: ${incident.title}`, { weight: 'Bolder' }), text(md`The war room is open in ${mdLink(incident.channel.name, incident.channel.webUrl)}.`)],
      [{ type: 'Action.OpenUrl', title: 'Go to the incident channel', url: incident.channel.webUrl }],
    );
  }
  const failed = incident.provisioning.steps.channel;
  if (failed.status === 'failed') {
    return adaptiveCard([
      text(md`🚨 ${label} declared: ${incident.title}`, { weight: 'Bolder' }),
      text(md`The incident is recorded, but its channel could not be created: ${failed.error ?? 'unknown error'}.${failed.hint ? md` ${failed.hint}` : ''}`, { color: 'attention' }),
    ]);
  }
  return adaptiveCard([text(md`🚨 ${label} declared: ${incident.title}`, { weight: 'Bolder' }), text(tenantText(profile.texts.reporterOpening, { label: incidentLabel(incident) }), { isSubtle: true })]);
}

/**
 * The broadcast root in the company-wide channel: one per incident, updated in place. Redacted
 * (a security or data incident): one line with its severity, no title, people, link or follow.
 */
export function broadcastCard(incident: Incident, profile: TenantProfile, mode: BroadcastMode = 'full'): CardElement {
  const severity = profile.severities[incident.severity];
  if (mode !== 'full') {
    const state = isOpen(incident.status) ? 'is in progress' : `was ${incident.status}`;
    return adaptiveCard([text(`A private incident ${state}, severity ${incident.severity} (${severity.label}).`, { weight: 'Bolder' })]);
  }
  const facts = [
    fact('Status', incident.status),
    fact('Severity', `${incident.severity} ${severity.label}`),
    fact('Commander', commander(incident)),
    ...(incident.roles.communications ? [fact('Communications', incident.roles.communications.name)] : []),
  ];
  const body = [
    { type: 'Container', style: severity.colour, bleed: true, items: [text(`${incidentLabel(incident)} · ${incident.severity} · ${incident.status}`, { weight: 'Bolder', size: 'Small', color: severity.colour }), text(incident.title, { weight: 'Bolder', size: 'Medium', spacing: 'None' })] },
    factSet(facts),
    ...(incident.lastUpdate ? [text(md`Latest: ${incident.lastUpdate.text}`, { maxLines: 4 })] : []),
    text(tenantText(profile.texts.broadcastFooter, { label: incidentLabel(incident) }), { isSubtle: true, size: 'Small' }),
  ];
  const actions: CardElement[] = incident.channel ? [{ type: 'Action.OpenUrl', title: 'Incident channel', url: incident.channel.webUrl }] : [];
  // Stakeholders follow from here: updates then also come to their personal chat.
  actions.push(
    { type: 'Action.Execute', title: 'Follow', verb: CARD_VERBS.follow, data: { incidentId: incident.id } },
    { type: 'Action.Execute', title: 'Stop following', verb: CARD_VERBS.unfollow, data: { incidentId: incident.id } },
  );
  return adaptiveCard(body, actions);
}

/** An update as posted in the incident channel and under the broadcast root. */
/** `marker` names the post (its heading's element id) so a retry can find it in the channel. */
export function updateCard(incident: Incident, update: Markdown, by: Person, marker?: string): CardElement {
  return adaptiveCard([
    { ...text(`📣 ${incidentLabel(incident)} update · ${incident.severity} · ${incident.status}`, { weight: 'Bolder', size: 'Small' }), ...(marker ? { id: marker } : {}) },
    text(update),
    text(`by ${by.name}`, { isSubtle: true, size: 'Small', spacing: 'None' }),
  ]);
}

const commander = (incident: Incident): Markdown => (incident.roles.commander ? md`${incident.roles.commander.name}` : md`_unassigned_`);
const channelLink = (incident: Incident): Markdown => (incident.channel ? md` · ${mdLink('channel', incident.channel.webUrl)}` : md``);

/** Open incidents, for `list`. */
export function listCard(incidents: readonly Incident[]): CardElement {
  if (incidents.length === 0) return adaptiveCard([text('No open incidents. 🎉', { weight: 'Bolder' })]);
  return adaptiveCard([
    text(`${incidents.length} open incident${incidents.length === 1 ? '' : 's'}`, { weight: 'Bolder', size: 'Medium' }),
    ...incidents.map((i) => ({
      type: 'Container',
      separator: true,
      items: [
        text(md`**${incidentLabel(i)}** · ${i.severity} · ${i.status} · ${i.title}`),
        text(md`IC: ${commander(i)}${channelLink(i)}`, { isSubtle: true, spacing: 'None', size: 'Small' }),
      ],
    })),
  ]);
}

/** `list` in personal chat: the incidents I hold a role in or follow, with my part in each. */
export function myIncidentsCard(rows: readonly MyIncident[], tabUrl: string): CardElement {
  if (rows.length === 0) {
    return adaptiveCard(
      [text('You hold no role in an open incident and follow none.', { weight: 'Bolder' }), text('Use Follow on an incident card (or in the broadcast channel) to get its updates here.', { isSubtle: true })],
      [{ type: 'Action.OpenUrl', title: 'My incidents tab', url: tabUrl }],
    );
  }
  return adaptiveCard(
    [
      text(`Your incidents (${rows.length})`, { weight: 'Bolder', size: 'Medium' }),
      ...rows.map(({ incident: i, roles, following }) => ({
        type: 'Container',
        separator: true,
        items: [
          text(md`**${incidentLabel(i)}** · ${i.severity} · ${i.status} · ${i.title}`),
          text(md`${roles.length > 0 ? `You: ${roles.join(', ')}` : 'You follow it'}${roles.length > 0 && following ? ' · following' : ''}${channelLink(i)}`, { isSubtle: true, spacing: 'None', size: 'Small' }),
        ],
      })),
    ],
    [{ type: 'Action.OpenUrl', title: 'My incidents tab', url: tabUrl }],
  );
}

/**
 * The published post-mortem, in the incident channel: the essentials, and a link to all of it
 * (the tab, opened on the post-mortem). The tenant's footer ("Blameless by design…" by default)
 * is a claim about the wording, so it is stated only when the blameless check flagged nothing;
 * otherwise a plain line says flagged wording was kept.
 */
export function postmortemCard(incident: Incident, postmortem: StoredPostmortem, profile: TenantProfile, tabUrl?: string): CardElement {
  const { content, version, savedBy } = postmortem;
  const flagged = blamelessWarnings(content).length;
  const footer = flagged === 0 ? tenantText(profile.texts.postmortemFooter, { label: incidentLabel(incident) }) : md`Published with wording the blameless check flagged (${flagged} ${flagged === 1 ? 'place' : 'places'}).`;
  const d = postmortemDurations(content.times);
  const duration = (label: string, minutes: number | undefined) => fact(label, minutes === undefined ? 'not recorded' : formatDuration(minutes));
  const section = (title: string, lines: Markdown[]) =>
    lines.length === 0 ? [] : [text(title, { weight: 'Bolder', spacing: 'Medium' }), ...lines.map((line) => text(line, { spacing: 'None' }))];
  return adaptiveCard(
    [
      text(`📝 ${incidentLabel(incident)} post-mortem published (version ${version})`, { weight: 'Bolder', size: 'Medium' }),
      text(incident.title, { spacing: 'None' }),
      factSet([
        ...(incident.type ? [fact('Type', typeOf(profile.types, incident.type).label), ...fieldFacts(typeOf(profile.types, incident.type).fields, incident.fields).map((f) => fact(f.label, f.value))] : []),
        duration('Time to detect', d.toDetect),
        duration('Time to acknowledge', d.toAcknowledge),
        duration('Time to recover', d.toRecover),
        duration('Time to resolve', d.toResolve),
        fact('Proper fix within', `${content.fixWindowHours} h`),
      ]),
      ...section('Impact', content.impact ? [md`${content.impact}`] : []),
      ...section('Contributing causes', content.rootCauses.map((c) => md`• ${c.description} _(${c.type})_`)),
      ...section(
        'Action items',
        content.actionItems.map((a) => md`• ${a.description} · ${a.kind} · ${a.owner || 'no owner yet'}${a.due ? md` · due ${a.due}` : ''}${a.done ? ' · ✓ done' : ''}`),
      ),
      text(mdJoin([footer, md`Saved by ${savedBy.name}.`].filter((part) => !part.isEmpty), md` `), { isSubtle: true, size: 'Small' }),
    ],
    tabUrl ? [{ type: 'Action.OpenUrl', title: 'Read the whole post-mortem', url: tabUrl }] : [],
  );
}
