/**
 * The incident card's buttons. The first three are the ones that matter now, chosen by a table
 * per status (acknowledge and take command come first while nobody has); everything else is
 * under More. Text is typed in dialogs (openDialog), never on the card, which refreshes under
 * whoever is looking when anyone changes the incident.
 */
import { ROLE_NAMES, SINGLE_ROLES, type Incident, type Person } from '../../models/incident/incident.js';
import { nextStatuses, type Status } from '../../models/incident/lifecycle.js';
import { membersOf } from '../../models/incident/membership.js';
import { CARD_VERBS as VERB, DIALOGS, execute, openDialog } from './cardVerbs.js';
import { text, type CardElement } from './common.js';
import { typeOf, type IncidentTypes } from '../../models/incident/incidentTypes.js';

export interface ActionContext {
  readonly statusPage: boolean;
  /** The incident tab on its post-mortem view, once the tab exists. */
  readonly postmortemUrl?: string;
  /** The tenant's incident types: More offers changing to another. */
  readonly types?: IncidentTypes;
}

type Candidate = (incident: Incident, context: ActionContext) => CardElement | undefined;

const acknowledge: Candidate = (i) => (i.milestones.acknowledged ? undefined : execute(i, 'Acknowledge', VERB.acknowledge, {}, { style: 'positive' }));
const becomeCommander: Candidate = (i) => (i.roles.commander ? undefined : execute(i, 'Become IC', VERB.takeRole, { role: 'commander' }));
const postUpdate: Candidate = (i) => openDialog(i, 'Post update', DIALOGS.update);
const editSummary: Candidate = (i) => openDialog(i, i.summary ? 'Edit summary' : 'Write summary', DIALOGS.summary);
const moveTo = (to: Status, title: string): Candidate => (i) => (nextStatuses(i.status).includes(to) ? execute(i, title, VERB.status, { statusTo: to }) : undefined);
const resolve: Candidate = (i) => execute(i, 'Resolve', VERB.resolve, {}, { style: 'positive' });
const close: Candidate = (i) => execute(i, 'Close', VERB.close, {}, { style: 'positive' });
const reopen: Candidate = (i) => execute(i, 'Reopen', VERB.status, { statusTo: 'investigating' });
const postmortem: Candidate = (_i, c) => (c.postmortemUrl ? { type: 'Action.OpenUrl', title: 'Post-mortem', url: c.postmortemUrl } : undefined);

/** What matters now, per status, best first: the card shows the first three that apply. */
const NOW: Readonly<Record<Status, readonly Candidate[]>> = {
  triage: [acknowledge, becomeCommander, moveTo('investigating', 'Start investigating'), postUpdate],
  investigating: [acknowledge, becomeCommander, postUpdate, editSummary, moveTo('identified', 'Cause identified')],
  identified: [acknowledge, becomeCommander, postUpdate, moveTo('monitoring', 'Fix in, monitoring'), editSummary],
  monitoring: [becomeCommander, postUpdate, resolve, moveTo('investigating', 'Back to investigating')],
  resolved: [close, postmortem, reopen],
  closed: [postmortem],
  archived: [postmortem],
};

export const NOW_ACTIONS = 3;

export function nowActions(incident: Incident, context: ActionContext): CardElement[] {
  return NOW[incident.status].map((candidate) => candidate(incident, context)).filter((a): a is CardElement => a !== undefined).slice(0, NOW_ACTIONS);
}

function showCard(title: string, body: CardElement[], actions: CardElement[]): CardElement {
  return { type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body, actions } };
}

/** People already on the incident, offered before the directory search (which Teams runs as people type). */
function knownPeople(incident: Incident) {
  const people = [incident.reporter, ...SINGLE_ROLES.map((r) => incident.roles[r]), ...incident.roles.smes].filter((p): p is Person => Boolean(p));
  const unique = [...new Map(people.map((p) => [p.aadObjectId ?? p.id, p])).entries()];
  return unique.map(([value, p]) => ({ title: p.name, value }));
}

/** Another type, when it turns out to be one (the outage is an attack): its checklist, roles, paging and broadcast follow. */
function typeChange(incident: Incident, context: ActionContext): CardElement[] {
  const others = context.types?.list.filter((t) => t.id !== typeOf(context.types!, incident.type).id) ?? [];
  if (others.length === 0) return [];
  return [
    { type: 'Input.ChoiceSet', id: 'typeTo', label: 'Change the type to', separator: true, value: others[0]!.id, choices: others.map((t) => ({ title: t.label, value: t.id })) },
    { type: 'ActionSet', actions: [execute(incident, 'Change type', 'changeType')] },
  ];
}

/** Everything else, one tap away: status and severity, roles, the summary and updates, escalation, following. */
export function moreActions(incident: Incident, context: ActionContext): CardElement | undefined {
  if (incident.status === 'closed' || incident.status === 'archived') return undefined;
  const open = incident.status !== 'resolved';
  const statusChoices = nextStatuses(incident.status).filter((s) => s !== 'closed');
  const buttons: CardElement[] = [
    ...(open ? [openDialog(incident, 'Post update', DIALOGS.update), openDialog(incident, 'Change severity', DIALOGS.severity)] : []),
    openDialog(incident, incident.summary ? 'Edit summary' : 'Write summary', DIALOGS.summary),
    ...(context.statusPage ? [openDialog(incident, 'Public status page', DIALOGS.publicStatus)] : []),
  ];
  const body: CardElement[] = [
    { type: 'ActionSet', actions: buttons },
    ...(statusChoices.length > 0
      ? [
          { type: 'Input.ChoiceSet', id: 'statusTo', label: `Move from ${incident.status} to`, value: statusChoices[0], choices: statusChoices.map((s) => ({ title: s, value: s })) },
          { type: 'ActionSet', actions: [execute(incident, 'Change status', VERB.status)] },
        ]
      : []),
    ...(open
      ? [
          { type: 'Input.ChoiceSet', id: 'role', label: 'Role', value: 'commander', separator: true, choices: [...SINGLE_ROLES, 'sme' as const].map((r) => ({ title: ROLE_NAMES[r], value: r })) },
          {
            type: 'Input.ChoiceSet',
            id: 'person',
            label: 'Person',
            placeholder: 'Search the directory',
            choices: knownPeople(incident),
            'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
          },
          { type: 'ActionSet', actions: [execute(incident, 'Assign', VERB.assignRole), execute(incident, 'Take it myself', VERB.takeRole)] },
          text('Escalating pages the next level and tells the channel.', { isSubtle: true, size: 'Small', separator: true }),
        ]
      : []),
    ...typeChange(incident, context),
    ...(incident.private ? membersSection(incident) : []),
  ];
  const last: CardElement[] = open
    ? [
        execute(incident, 'Escalate', VERB.escalate),
        execute(incident, 'Follow in my chat', VERB.follow),
        execute(incident, 'Stop following', VERB.unfollow),
        ...(incident.dataLoss ? [] : [execute(incident, 'Report data loss', 'reportDataLoss', {}, { style: 'destructive' })]),
      ]
    : [execute(incident, 'Follow in my chat', VERB.follow), execute(incident, 'Stop following', VERB.unfollow)];
  return showCard('More', body, last);
}

/** A private incident's members: who sees it, and the picker to invite or remove someone. */
function membersSection(incident: Incident): CardElement[] {
  return [
    text(`🔒 Private: only its ${membersOf(incident).length} members and incident admins see it. Members: ${membersOf(incident).map((m) => m.name).join(', ')}.`, { size: 'Small', separator: true }),
    { type: 'Input.ChoiceSet', id: 'member', label: 'Member', placeholder: 'Search the directory', choices: membersOf(incident).map((m) => ({ title: m.name, value: m.aadObjectId ?? m.id })), 'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' } },
    { type: 'ActionSet', actions: [execute(incident, 'Invite', VERB.invite), execute(incident, 'Remove', VERB.removeMember)] },
  ];
}
