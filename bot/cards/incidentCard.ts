import { checklistProgress } from '../../models/incident/checklist.js';
import { p0Reason, type EscalationRules } from '../../models/incident/escalationRules.js';
import { incidentLabel, ROLE_NAMES, SINGLE_ROLES, SUMMARY_FIELDS, SUMMARY_LABELS, type Incident, type Person } from '../../models/incident/incident.js';
import { isOpen, nextStatuses } from '../../models/incident/lifecycle.js';
import { provisioningFailures } from '../../models/warRoom/provisioning.js';
import type { Severities, TenantProfile } from '../../models/incident/tenantProfile.js';
import { adaptiveCard, fact, factSet, severityChoices, teamsDateTime, tenantText, text, type CardElement, type Fact } from './common.js';
import { md, mdJoin, mdLink, type Markdown } from '../../models/support/markdown.js';
import { summaryForm } from './summaryForm.js';
import { actionData, CARD_VERBS as VERB, execute } from './cardVerbs.js';
import { PUBLIC_STATUSES } from '../../models/incident/publicStatus.js';
import { TEXT_LIMITS } from '../../models/actions/limits.js';

const STEP_NAMES = { channel: 'Channel', meeting: 'Meeting', tab: 'Tab', meetingTab: 'Meeting tab', card: 'Card', broadcast: 'Broadcast', reporter: 'Reporter reply', cardLinks: 'Card update' } as const;

export interface CardContext {
  readonly now: Date;
  readonly rules: EscalationRules;
  /** Shown only to the person who just acted: what happened, or why not (plain text: escaped on the card). */
  readonly notice?: string;
  /** The tenant's severity names, SOP checklists (for the progress line) and card texts. */
  readonly profile: TenantProfile;
  /** A public status page is configured: the Communications lead's "Public status" form shows. */
  readonly statusPage?: boolean;
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

function showCard(title: string, body: CardElement[], actions: CardElement[]): CardElement {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body, actions } };
}

/**
 * The incident card: a pure function of the record (and the time, for "open for …"). Universal
 * Actions: every button is an Action.Execute, and `refresh` lets Teams fetch the current card
 * whenever someone looks at it.
 */
export function incidentCard(incident: Incident, context: CardContext): CardElement {
  const { profile } = context;
  const severity = profile.severities[incident.severity];
  const open = isOpen(incident.status);
  const since = incident.milestones.started ?? incident.milestones.declared;
  const header: CardElement = {
    type: 'Container',
    style: severity.colour,
    bleed: true,
    items: [
      {
        type: 'ColumnSet',
        columns: [
          { type: 'Column', width: 'stretch', items: [text(`${incidentLabel(incident)} · ${incident.severity} ${severity.label}`, { weight: 'Bolder', color: severity.colour, size: 'Small' })] },
          { type: 'Column', width: 'auto', items: [text(`${incident.status.toUpperCase()}`, { weight: 'Bolder', size: 'Small', horizontalAlignment: 'Right' })] },
        ],
      },
      text(incident.title, { weight: 'Bolder', size: 'Large', spacing: 'None' }),
      // A time, not a duration: a card nobody refreshes still reads right.
      text(open ? md`Open since ${teamsDateTime(since)}` : `${incident.status} after ${elapsed(since, incident.milestones.resolved ?? incident.milestones.closed ?? context.now)}`, { isSubtle: true, spacing: 'None', size: 'Small' }),
    ],
  };
  const body: CardElement[] = [header];
  // The tenant's own line (e.g. a runbook link): written by the admin, so Markdown is kept; the incident's words are escaped.
  const banner = tenantText(profile.texts.cardBanner, { label: incidentLabel(incident), title: incident.title, severity: incident.severity, severityLabel: severity.label });
  if (!banner.isEmpty) body.push(text(banner, { size: 'Small' }));
  if (context.notice) body.push({ type: 'Container', style: 'emphasis', items: [text(context.notice, { size: 'Small' })] });
  if (incident.topic?.line) {
    const { line, sreOwner, devOwner } = incident.topic;
    const owners = mdJoin([...(sreOwner ? [md`SRE: ${sreOwner}`] : []), ...(devOwner ? [md`Dev: ${devOwner}`] : [])], md` · `);
    body.push(text(md`**Topic:** ${line}${owners.isEmpty ? '' : md` (${owners})`}`));
  }
  const reason = p0Reason(incident, context.now, context.rules);
  if (reason) {
    body.push({
      type: 'Container',
      style: 'attention',
      items: [text(md`This should probably be **P0**: ${reason}.`, { size: 'Small' })],
      selectAction: execute(incident, 'Raise to P0', VERB.severity, { severityTo: 'P0', reason }),
    });
  }
  if (incident.monitorResolved && isOpen(incident.status)) {
    const report = incident.monitorResolved;
    body.push({
      type: 'Container',
      style: 'good',
      items: [text(md`The monitor reported **${report.title}** resolved at ${teamsDateTime(report.at)}. Check, then resolve the incident.`, { size: 'Small' })],
      selectAction: execute(incident, 'Resolve', VERB.resolve),
    });
  }
  body.push(
    factSet([
      fact('Severity', `${incident.severity}: ${severity.definition}`),
      ...rolesFacts(incident),
      fact('Acknowledged', incident.milestones.acknowledged ? teamsDateTime(incident.milestones.acknowledged) : md`_not yet_`),
      ...pagedFact(incident),
      fact('Reporter', who(incident.reporter)),
      fact('Declared', teamsDateTime(incident.milestones.declared)),
      ...(incident.component ? [fact('Component', incident.component)] : []),
      fact('Meeting', incident.meeting ? mdLink('Join the bridge', incident.meeting.joinUrl) : stepNote(incident, 'meeting')),
      fact('Tab', incident.tab ? mdLink('Timeline, checklist, post-mortem', incident.tab.webUrl) : stepNote(incident, 'tab')),
      ...checklistFact(incident, profile),
      ...publicStatusFact(incident),
      ...postmortemFact(incident),
    ]),
  );
  if (incident.summary) {
    body.push(text('Status summary', { weight: 'Bolder', separator: true }), factSet(SUMMARY_FIELDS.map((field) => fact(SUMMARY_LABELS[field], incident.summary![field]))));
  }
  if (incident.lastUpdate) {
    body.push(
      text(md`Last update, ${teamsDateTime(new Date(incident.lastUpdate.at))} by ${incident.lastUpdate.by.name}`, { weight: 'Bolder', separator: true }),
      text(incident.lastUpdate.text, { maxLines: 6 }),
    );
  } else if (incident.description) {
    body.push(text(incident.description, { isSubtle: true, maxLines: 6 }));
  }
  const failures = provisioningFailures(incident);
  if (failures.length > 0) {
    body.push({
      type: 'Container',
      style: 'attention',
      items: failures.map((f) => text(md`⚠ ${STEP_NAMES[f.step]} failed: ${f.error}${f.hint ? md` — next step: ${f.hint}` : ''}`, { size: 'Small' })),
    });
  }
  // In a channel of more than 60 people only those named in refresh.userIds get the card refreshed by themselves.
  body.push({ type: 'ActionSet', actions: [execute(incident, 'Refresh this card', VERB.refresh)] });
  const primary = open ? primaryActions(incident) : undefined;
  if (primary) body.splice(1, 0, primary);
  // Teams shows at most five actions: while open, the public status shares the Updates form.
  const actions = open ? openActions(incident, Boolean(context.statusPage), profile.severities) : [...closedActions(incident), ...(context.statusPage && incident.status === 'resolved' ? [publicStatusForm(incident)] : [])];
  return adaptiveCard(body, actions, {
    refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: VERB.refresh, data: actionData(incident) }, userIds: refreshUserIds(incident) },
  });
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
  const { done, total } = checklistProgress(incident, profile.sop);
  return total > 0 ? [fact('Checklist', `${done} of ${total} done${done === total ? ' ✓' : ''} (in the tab)`)] : [];
}

/** Who the pager reached last, so everyone sees who should be answering. */
function pagedFact(incident: Incident): Fact[] {
  const paging = incident.paging;
  if (!paging) return [];
  return [fact('Paged', md`${names(paging.people)} (${paging.label}, level ${paging.level + 1}) at ${teamsDateTime(paging.at)}`)];
}

function postmortemFact(incident: Incident): Fact[] {
  const pm = incident.postmortem;
  if (!pm) return [];
  const published = pm.publishedVersion ? `version ${pm.publishedVersion} published` : 'draft, not published';
  return [fact('Post-mortem', md`${published}; last saved version ${pm.version} by ${pm.savedBy.name} (in the tab)`)];
}

/** The first things to do on a fresh incident, shown as big buttons near the top. */
function primaryActions(incident: Incident): CardElement | undefined {
  const actions: CardElement[] = [];
  if (!incident.milestones.acknowledged) actions.push(execute(incident, 'Acknowledge', VERB.acknowledge, {}, { style: 'positive' }));
  if (!incident.roles.commander) actions.push(execute(incident, 'Become IC', VERB.takeRole, { role: 'commander' }));
  return actions.length > 0 ? { type: 'ActionSet', actions } : undefined;
}

/** People already on the incident, offered before the directory search (which only Teams can run). */
function knownPeople(incident: Incident) {
  const people = [incident.reporter, ...SINGLE_ROLES.map((r) => incident.roles[r]), ...incident.roles.smes].filter((p): p is Person => Boolean(p));
  const unique = [...new Map(people.map((p) => [p.aadObjectId ?? p.id, p])).entries()];
  return unique.map(([value, p]) => ({ title: p.name, value }));
}

function openActions(incident: Incident, statusPage: boolean, severities: Severities): CardElement[] {
  const statusChoices = nextStatuses(incident.status).filter((s) => s !== 'closed');
  const internal = { type: 'Input.Text', id: 'updateText', label: 'What changed, what is next? (internal: channel and broadcast)', isMultiline: true, maxLength: TEXT_LIMITS.update, isRequired: !statusPage, errorMessage: 'Write the update first' };
  const updates = statusPage
    ? showCard('Updates', [internal, ...publicStatusInputs(incident)], [execute(incident, 'Post internal update', VERB.update), execute(incident, 'Publish to the status page', VERB.publicStatus)])
    : showCard('Post update', [internal], [execute(incident, 'Post to channel and broadcast', VERB.update)]);
  return [
    updates,
    showCard('Status', [
      { type: 'Input.ChoiceSet', id: 'statusTo', label: `Move from ${incident.status} to`, value: statusChoices[0], choices: statusChoices.map((s) => ({ title: s, value: s })) },
      {
        type: 'Input.ChoiceSet',
        id: 'severityTo',
        label: 'Severity',
        value: incident.severity,
        choices: severityChoices(severities),
      },
    ], [execute(incident, 'Change status', VERB.status), execute(incident, 'Change severity', VERB.severity)]),
    showCard('Roles', [
      { type: 'Input.ChoiceSet', id: 'role', label: 'Role', value: 'commander', choices: [...SINGLE_ROLES, 'sme' as const].map((r) => ({ title: ROLE_NAMES[r], value: r })) },
      {
        type: 'Input.ChoiceSet',
        id: 'person',
        label: 'Person',
        placeholder: 'Search the directory',
        choices: knownPeople(incident),
        'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
      },
    ], [execute(incident, 'Assign', VERB.assignRole), execute(incident, 'Take it myself', VERB.takeRole)]),
    showCard('Summary', summaryForm(incident).body, [execute(incident, 'Save summary', VERB.summary)]),
    showCard('More', [text('Escalating records it on the timeline and tells the channel.', { isSubtle: true })], [
      execute(incident, 'Escalate', VERB.escalate),
      execute(incident, 'Follow in my chat', VERB.follow),
      execute(incident, 'Stop following', VERB.unfollow),
      ...(incident.dataLoss ? [] : [execute(incident, 'Report data loss', 'reportDataLoss', {}, { style: 'destructive' })]),
      execute(incident, 'Resolve', VERB.resolve, {}, { style: 'positive' }),
    ]),
  ];
}

/** What customers read, written by the Communications lead; separate from the internal updates. */
function publicStatusInputs(incident: Incident): CardElement[] {
  const current = incident.publicStatus;
  const owner = incident.roles.communications ?? incident.roles.commander;
  return [
    text(md`**Public status page**: what customers read${owner ? md`, written by ${owner.name}` : ''}. Internal updates are never published.`, { size: 'Small', separator: true }),
    { type: 'Input.ChoiceSet', id: 'publicStatus', label: 'Public status', value: current?.status ?? (incident.status === 'resolved' ? 'resolved' : 'investigating'), choices: PUBLIC_STATUSES.map((s) => ({ title: s, value: s })) },
    { type: 'Input.Text', id: 'publicText', label: 'What customers read', isMultiline: true, maxLength: TEXT_LIMITS.publicText, value: current?.text ?? '' },
  ];
}

function publicStatusForm(incident: Incident): CardElement {
  return showCard('Public status', publicStatusInputs(incident), [execute(incident, 'Publish to the status page', VERB.publicStatus)]);
}

function publicStatusFact(incident: Incident): Fact[] {
  const state = incident.publicStatus;
  if (!state) return [];
  const where = state.error ? md` — ⚠ not published: ${state.error}` : state.page?.url ? md` — ${mdLink('status page', state.page.url)}` : state.page ? md`` : md` — publishing…`;
  return [fact('Public status', md`${state.status}${where}`)];
}

function closedActions(incident: Incident): CardElement[] {
  if (incident.status !== 'resolved') return [];
  return [
    execute(incident, 'Close', VERB.close, {}, { style: 'positive' }),
    showCard('Reopen', [{ type: 'Input.ChoiceSet', id: 'statusTo', value: 'investigating', choices: ['investigating', 'monitoring'].map((s) => ({ title: s, value: s })) }], [execute(incident, 'Reopen', VERB.status)]),
    showCard('Summary', summaryForm(incident).body, [execute(incident, 'Save summary', VERB.summary)]),
  ];
}

function stepNote(incident: Incident, step: 'meeting' | 'tab'): Markdown {
  return incident.provisioning.steps[step].status === 'failed' ? md`_not available (see below)_` : md`_being set up…_`;
}
