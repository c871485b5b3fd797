import { checklistProgress } from '../../models/incident/checklist.js';
import { p0Reason, type EscalationRules } from '../../models/incident/escalationRules.js';
import { incidentLabel, ROLE_NAMES, SINGLE_ROLES, SUMMARY_FIELDS, SUMMARY_LABELS, type Incident, type Person } from '../../models/incident/incident.js';
import { isOpen } from '../../models/incident/lifecycle.js';
import { provisioningFailures } from '../../models/warRoom/provisioning.js';
import { checklistIn, type TenantProfile } from '../../models/incident/tenantProfile.js';
import { typeOf } from '../../models/incident/incidentTypes.js';
import { fieldFacts } from '../../models/incident/extraFields.js';
import { transcriptStatus } from '../../models/record/bridgeDecisions.js';
import { adaptiveCard, fact, factSet, teamsDateTime, tenantText, text, type CardElement, type Fact } from './common.js';
import { md, mdCode, mdJoin, mdLink, type Markdown } from '../../models/support/markdown.js';
import { moreActions, nowActions } from './incidentCardActions.js';
import { actionData, CARD_VERBS as VERB, execute } from './cardVerbs.js';

const STEP_NAMES = { channel: 'Channel', meeting: 'Meeting', tab: 'Tab', meetingTab: 'Meeting tab', card: 'Card', broadcast: 'Broadcast', reporter: 'Reporter reply', cardLinks: 'Card update' } as const;

export interface CardContext {
  readonly now: Date;
  readonly rules: EscalationRules;
  /** Shown only to the person who just acted: what happened, or why not (plain text: escaped on the card). */
  readonly notice?: string;
  /** The tenant's severity names, SOP checklists (for the progress line) and card texts. */
  readonly profile: TenantProfile;
  /** A public status page is configured: the Communications lead's "Public status" dialog shows. */
  readonly statusPage?: boolean;
  /** How often status updates are due for this incident (the update reminder), for "next update due". */
  readonly updateEveryMinutes?: number;
  /** The incident tab opened on its post-mortem view. */
  readonly postmortemUrl?: string;
}

export function elapsed(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.floor((to.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const who = (p: Person | undefined): Markdown => (p ? md`${p.name}` : md`_unassigned_`);
const names = (people: readonly Person[]): Markdown => mdJoin(people.map((p) => md`${p.name}`), md`, `);

function rolesFacts(incident: Incident): Fact[] {
  const facts = SINGLE_ROLES.filter((role) => role === 'commander' || incident.roles[role]).map((role) => fact(ROLE_NAMES[role], who(incident.roles[role])));
  if (incident.roles.smes.length > 0) facts.push(fact('SMEs', names(incident.roles.smes)));
  return facts;
}

/**
 * The incident card: a pure function of the record (and the time). The first screen is what a
 * commander needs at a glance — severity, status, age, commander, the last update and when the
 * next one is due, and the three actions that matter now; roles, the summary, the checklist and
 * the links are behind Details. Universal Actions: every button is an Action.Execute (or opens a
 * dialog), and `refresh` lets Teams fetch the current card whenever someone looks at it.
 */
export function incidentCard(incident: Incident, context: CardContext): CardElement {
  const { profile } = context;
  const severity = profile.severities[incident.severity];
  const open = isOpen(incident.status);
  const since = incident.milestones.started ?? incident.milestones.declared;
  // A resolved or closed incident reads as done: neutral, not the severity's alarm colour.
  const header: CardElement = {
    type: 'Container',
    style: open ? severity.colour : 'emphasis',
    bleed: true,
    items: [
      {
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 'stretch', items: [text(`${incidentLabel(incident)} · ${incident.severity} ${severity.label}${incident.type ? ` · ${typeOf(profile.types, incident.type).label}` : ''}`, { weight: 'Bolder', color: open ? severity.colour : 'default', size: 'Small' })] },
          { type: 'Column', width: 'auto', items: [text(open ? incident.status.toUpperCase() : `✓ ${incident.status.toUpperCase()}`, { weight: 'Bolder', size: 'Small', horizontalAlignment: 'Right', color: open ? 'default' : 'good' })] },
        ],
      },
      text(incident.title, { weight: 'Bolder', size: 'Large', spacing: 'None' }),
      // A time, not a duration: a card nobody refreshes still reads right.
      text(open ? md`Open since ${teamsDateTime(since)}` : `${incident.status} after ${elapsed(since, incident.milestones.resolved ?? incident.milestones.closed ?? context.now)}`, { isSubtle: true, spacing: 'None', size: 'Small' }),
      ...(incident.private ? [text('🔒 Private: only its members and incident admins see it (members under More).', { isSubtle: true, spacing: 'None', size: 'Small' })] : []),
    ],
  };
  const body: CardElement[] = [header];
  // The tenant's own line (e.g. a runbook link): written by the admin, so Markdown is kept; the incident's words are escaped.
  const banner = tenantText(profile.texts.cardBanner, { label: incidentLabel(incident), title: incident.title, severity: incident.severity, severityLabel: severity.label });
  if (!banner.isEmpty) body.push(text(banner, { size: 'Small' }));
  if (context.notice) body.push({ type: 'Container', style: 'emphasis', items: [text(context.notice, { size: 'Small' })] });
  body.push(...urgentBanners(incident, context));
  body.push(factSet([fact('Commander', who(incident.roles.commander)), ...lastUpdateFact(incident), ...nextUpdateFact(incident, context), ...(open ? [] : [...postmortemFact(incident), ...reviewFact(incident)])]));
  if (incident.lastUpdate) body.push(text(incident.lastUpdate.text, { maxLines: 3, spacing: 'Small' }));
  const failures = provisioningFailures(incident).map((f) => text(md`⚠ ${STEP_NAMES[f.step]} failed: ${f.error}${f.hint ? md` — next step: ${f.hint}` : ''}`, { size: 'Small' }));
  const undelivered = incident.deliveryProblem ? [text(md`⚠ ${incident.deliveryProblem.what} failed: ${incident.deliveryProblem.error}`, { size: 'Small' })] : [];
  if (failures.length + undelivered.length > 0) body.push({ type: 'Container', style: 'attention', items: [...failures, ...undelivered] });
  body.push({ type: 'Container', id: DETAILS_ID, isVisible: false, separator: true, items: details(incident, context) });
  const actionContext = { statusPage: Boolean(context.statusPage), postmortemUrl: context.postmortemUrl, types: profile.types };
  const more = moreActions(incident, actionContext);
  const actions = [...nowActions(incident, actionContext), { type: 'Action.ToggleVisibility', title: 'Details', targetElements: [DETAILS_ID] }, ...(more ? [more] : [])];
  return adaptiveCard(body, actions, {
    refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: VERB.refresh, data: actionData(incident) }, userIds: refreshUserIds(incident) },
  });
}

/** The container Details shows and hides. */
export const DETAILS_ID = 'details';

/** What needs a decision now: the P0 suggestion and the monitor's all-clear, each with its one-tap answer. */
function urgentBanners(incident: Incident, context: CardContext): CardElement[] {
  const banners: CardElement[] = [];
  const reason = p0Reason(incident, context.now, context.rules);
  if (reason) {
    banners.push({
      type: 'Container',
      style: 'attention',
      items: [text(md`This should probably be **P0**: ${reason}.`, { size: 'Small' })],
      selectAction: execute(incident, 'Raise to P0', VERB.severity, { severityTo: 'P0', reason }),
    });
  }
  if (incident.monitorResolved && isOpen(incident.status)) {
    const report = incident.monitorResolved;
    banners.push({
      type: 'Container',
      style: 'good',
      items: [text(md`The monitor reported **${report.title}** resolved at ${teamsDateTime(report.at)}. Check, then resolve the incident.`, { size: 'Small' })],
      selectAction: execute(incident, 'Resolve', VERB.resolve),
    });
  }
  return banners;
}

function lastUpdateFact(incident: Incident): Fact[] {
  const last = incident.lastUpdate;
  return [fact('Last update', last ? md`${teamsDateTime(new Date(last.at))} by ${last.by.name}` : md`_none yet_`)];
}

/** When the next status update is due (the reminder counts from the last update, or from declaring). */
function nextUpdateFact(incident: Incident, context: CardContext): Fact[] {
  if (!isOpen(incident.status) || !context.updateEveryMinutes) return [];
  const from = incident.lastUpdate ? new Date(incident.lastUpdate.at) : incident.milestones.declared;
  const due = new Date(from.getTime() + context.updateEveryMinutes * 60_000);
  return [fact('Next update due', md`${teamsDateTime(due)}${due.getTime() < context.now.getTime() ? md` (**overdue**)` : ''}`)];
}

/** Behind Details: the topic, roles, milestones, links, the checklist, the summary, the description. */
function details(incident: Incident, context: CardContext): CardElement[] {
  const { profile } = context;
  const severity = profile.severities[incident.severity];
  const items: CardElement[] = [];
  if (incident.topic?.line) {
    const { line, sreOwner, devOwner } = incident.topic;
    const owners = mdJoin([...(sreOwner ? [md`SRE: ${sreOwner}`] : []), ...(devOwner ? [md`Dev: ${devOwner}`] : [])], md` · `);
    items.push(text(md`**Topic:** ${line}${owners.isEmpty ? '' : md` (${owners})`}`));
  }
  items.push(
    factSet([
      fact('Severity', `${incident.severity}: ${severity.definition}`),
      ...typeFacts(incident, profile),
      ...rolesFacts(incident).filter((f) => f.title !== ROLE_NAMES.commander),
      fact('Acknowledged', incident.milestones.acknowledged ? teamsDateTime(incident.milestones.acknowledged) : md`_not yet_`),
      ...pagedFact(incident),
      fact('Reporter', who(incident.reporter)),
      fact('Declared', teamsDateTime(incident.milestones.declared)),
      ...(incident.component ? [fact('Component', incident.component)] : []),
      fact('Meeting', incident.meeting ? mdLink('Join the bridge', incident.meeting.joinUrl) : stepNote(incident, 'meeting')),
      fact('Tab', incident.tab ? mdLink('Timeline, checklist, post-mortem', incident.tab.webUrl) : stepNote(incident, 'tab')),
      // Once the bridge has started: where its transcript stands (or what the admin must set up for it).
      ...(incident.bridge ? [fact('Transcript', transcriptStatus(incident) ?? '')] : []),
      ...checklistFact(incident, profile),
      ...publicStatusFact(incident),
      ...(isOpen(incident.status) ? postmortemFact(incident) : []),
    ]),
  );
  if (incident.summary) items.push(text('Status summary', { weight: 'Bolder', separator: true }), factSet(SUMMARY_FIELDS.map((field) => fact(SUMMARY_LABELS[field], incident.summary![field]))));
  if (incident.description) items.push(text(incident.description, { isSubtle: true, maxLines: 6 }));
  // In a channel of more than 60 people only those named in refresh.userIds get the card refreshed by themselves.
  items.push({ type: 'ActionSet', actions: [execute(incident, 'Refresh this card', VERB.refresh)] });
  return items;
}

/** The incident's type and the values of its extra fields, in the type's order. */
function typeFacts(incident: Incident, profile: TenantProfile): Fact[] {
  if (!incident.type) return [];
  const type = typeOf(profile.types, incident.type);
  return [fact('Type', type.label), ...fieldFacts(type.fields, incident.fields).map((f) => fact(f.label, f.value))];
}

/** Teams refreshes a card by itself only for the users named here (at most 60) in a conversation of more than 60 members. */
export const MAX_REFRESH_USERS = 60;

/**
 * Who gets the card refreshed automatically: the people the incident involves (commander and the
 * other roles, the person paged, followers, the reporter), by their Teams ids. Everyone else sees
 * the card as last posted (it is re-posted on every change) and can press Refresh.
 */
export function refreshUserIds(incident: Incident): string[] {
  const people = [
    ...SINGLE_ROLES.map((role) => incident.roles[role]),
    ...incident.roles.smes,
    ...(incident.paging?.people ?? []),
    ...(incident.followers ?? []),
    incident.reporter,
  ];
  const ids = people.flatMap((p) => (p && /^29:\S+$/.test(p.id) ? [p.id] : []));
  return [...new Set(ids)].slice(0, MAX_REFRESH_USERS);
}

function checklistFact(incident: Incident, profile: TenantProfile): Fact[] {
  const { done, total } = checklistProgress(incident, checklistIn(profile, incident));
  return total > 0 ? [fact('Checklist', `${done} of ${total} done${done === total ? ' ✓' : ''} (in the tab)`)] : [];
}

/** Who the pager reached last, so everyone sees who should be answering. */
function pagedFact(incident: Incident): Fact[] {
  const paging = incident.paging;
  if (!paging) return [];
  return [fact('Paged', md`${names(paging.people)} (${paging.label}, level ${paging.level + 1}) at ${teamsDateTime(paging.at)}`)];
}

/** Once resolved: when the post-mortem review is, or how to put it in the calendar. */
function reviewFact(incident: Incident): Fact[] {
  const review = incident.review;
  if (review) return [fact('Review', md`${teamsDateTime(new Date(review.start))}${review.webLink ? md` · ${mdLink('in Outlook', review.webLink)}` : md``}`)];
  return incident.status === 'resolved' || incident.status === 'closed' ? [fact('Review', md`not scheduled: ${mdCode('review')} here puts it in your calendar with everyone who held a role`)] : [];
}

function postmortemFact(incident: Incident): Fact[] {
  const pm = incident.postmortem;
  if (!pm) return [];
  const published = pm.publishedVersion ? `version ${pm.publishedVersion} published` : 'draft, not published';
  const filed = pm.filed ? md` · ${mdLink(`version ${pm.filed.version} as a Word document`, pm.filed.webUrl)}` : md``;
  return [fact('Post-mortem', md`${published}; last saved version ${pm.version} by ${pm.savedBy.name} (in the tab)${filed}`), ...trackingFact(pm.tracking)];
}

/** The action items' tracker: those it has not taken yet are kept and tried again, and said so here. */
function trackingFact(tracking: NonNullable<Incident['postmortem']>['tracking']): Fact[] {
  if (!tracking) return [];
  const items = (n: number) => `${n} action item${n === 1 ? '' : 's'}`;
  if (tracking.pending === 0) return [fact('Action items', md`${items(tracking.tracked)} in ${tracking.tracker}`)];
  return [fact('Action items', md`⚠️ ${items(tracking.pending)} not yet in ${tracking.tracker} (kept; tried again)${tracking.tracked > 0 ? `, ${tracking.tracked} in it` : ''}`)];
}

function stepNote(incident: Incident, step: 'meeting' | 'tab'): Markdown {
  return incident.provisioning.steps[step].status === 'failed' ? md`_not available (see below)_` : md`_being set up…_`;
}

function publicStatusFact(incident: Incident): Fact[] {
  const state = incident.publicStatus;
  if (!state) return [];
  const where = state.error ? md` — ⚠ not published: ${state.error}` : state.page?.url ? md` — ${mdLink('status page', state.page.url)}` : state.page ? md`` : md` — publishing…`;
  return [fact('Public status', md`${state.status}${where}`)];
}
