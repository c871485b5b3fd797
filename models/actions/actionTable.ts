/**
 * Every action on an incident, in one table: the decision it makes, the timeline events it may
 * record, the text limits it enforces, and who may do it. Chat commands, card buttons, the tab
 * and the app's own timers all run actions by name through IncidentActions.run. An action with a
 * `fromCard` schema is also a card verb of the same name, handled without further code: adding
 * one is a row here, its decision, and the button on the card.
 */
import type { BridgeArtifact, Incident, MessageRef, PagingState, Person, ReviewMeeting, Role } from '../incident/incident.js';
import type { Status } from '../incident/lifecycle.js';
import type { Severity } from '../incident/severity.js';
import type { EventKind } from '../incident/timeline.js';
import type { EscalationRules } from '../incident/escalationRules.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';
import type { PublicIncidentRef, PublicStatus } from '../incident/publicStatus.js';
import { z } from 'zod';
import * as decide from './decisions.js';
import { invite, recordPersonalCard, removeMember, withMember, withPagedMembers } from './memberDecisions.js';
import type { Decision, SummaryInput } from './decisions.js';
import { TEXT_LIMITS } from './limits.js';
import { changeType } from './typeDecisions.js';
import type { PolicyRule } from '../access/policy.js';
import { isMoreSevere } from '../incident/severity.js';
import { samePerson } from '../incident/incident.js';
import { KEY_MESSAGE_NOTE_MAX, keyMessageDecision, type KeyMessage } from '../record/keyMessages.js';
import { recordTracking, type TrackingReport } from '../followThrough/trackingDecision.js';
import { bridgeRecordAttached, bridgeRecordsUnavailable, meetingEnded, meetingStarted } from '../record/bridgeDecisions.js';

/**
 * Who may run an action: a rule of the access policy (models/access/policy.ts), chosen by what the
 * action would do to this incident (taking a free role is not handing over command), or `app`:
 * only incident-room itself (timers, monitors, the status-page sync), never a person's click.
 */
export type Who<Input> = PolicyRule | 'app' | ((incident: Incident, input: Input, actor: Person) => PolicyRule);

/** What a decision may consult besides the record: who acts, when, and the tenant's settings. */
export interface DecisionContext {
  readonly actor: Person;
  readonly now: Date;
  readonly profiles: TenantProfiles;
  readonly rules: EscalationRules;
}

export interface ActionDefinition<Input> {
  readonly decide: (incident: Incident, input: Input, context: DecisionContext) => Decision;
  /** The timeline event kinds it records when applied. */
  readonly records: readonly EventKind[];
  readonly who: Who<Input>;
  /** The text limits its decision enforces (shown as `maxLength` on the card). */
  readonly limits?: Readonly<Record<string, number>>;
  /** A card button may run it by its name: what the button's data (and the card's inputs) must be, as the action's input. */
  readonly fromCard?: z.ZodType<Input>;
}

const define = <Input = Record<string, never>>(definition: ActionDefinition<Input>) => definition;
/** An action a card button runs by its name: its input is what the card's data parses to. */
const onCards = <Input>(definition: ActionDefinition<Input> & { readonly fromCard: z.ZodType<Input> }) => definition;

export const ACTIONS = {
  acknowledge: define({ who: 'acknowledge', records: ['acknowledged'], decide: (incident, _, c) => decide.acknowledge(incident, c.actor, c.now) }),
  assignRole: define<{ role: Role; person: Person }>({ who: (incident, input, actor) => roleRule(incident, input.role, input.person, actor), records: ['role_assigned'], decide: (incident, input) => withMember(decide.assignRole(incident, input.role, input.person), incident, input.person) }),
  changeStatus: define<{ to: Status }>({
    who: (_incident, input) => (input.to === 'closed' ? 'close' : input.to === 'resolved' ? 'resolve' : 'changeStatus'),
    records: ['status_changed', 'resolved', 'closed'],
    decide: (incident, input, c) => decide.changeStatus(incident, input.to, c.actor, c.now, c.profiles.typeOf(incident)),
  }),
  takeCommand: define<{ reason: string }>({
    who: 'takeCommand',
    records: ['command_taken'],
    limits: { reason: TEXT_LIMITS.takeoverReason },
    decide: (incident, input, c) => decide.takeCommand(incident, c.actor, input.reason, c.now),
  }),
  resolve: define({ who: 'resolve', records: ['resolved'], decide: (incident, _, c) => decide.resolve(incident, c.actor, c.now) }),
  close: define({ who: 'close', records: ['closed'], decide: (incident, _, c) => decide.close(incident, c.actor, c.now, c.profiles.typeOf(incident)) }),
  changeSeverity: define<{ to: Severity; reason?: string }>({
    who: (incident, input) => (isMoreSevere(input.to, incident.severity) ? 'raiseSeverity' : 'lowerSeverity'),
    records: ['severity_changed'],
    limits: { reason: TEXT_LIMITS.severityReason },
    decide: (incident, input, c) => decide.changeSeverity(incident, input.to, c.profiles.severityOf(incident, input.to), c.actor, input.reason),
  }),
  changeType: onCards<{ to: string }>({
    who: 'changeType',
    records: ['type_changed'],
    // The card's type picker sends `typeTo`.
    fromCard: z.object({ typeTo: z.string().trim().min(1, 'pick a type').max(100) }).transform((d) => ({ to: d.typeTo })) as unknown as z.ZodType<{ to: string }>,
    decide: (incident, input, c) => changeType(incident, input.to, c.profiles.for(incident.tenantId).types, c.actor),
  }),
  updateSummary: define<SummaryInput>({
    who: 'updateSummary',
    records: ['summary_updated'],
    limits: { field: TEXT_LIMITS.summaryField, topic: TEXT_LIMITS.topic },
    decide: (incident, input, c) => decide.updateSummary(incident, input, c.actor, c.rules.mode === 'force'),
  }),
  reportDataLoss: onCards({ who: 'reportDataLoss', records: ['data_loss_reported'], fromCard: z.object({}), decide: (incident, _, c) => decide.reportDataLoss(incident, c.actor, c.rules.mode === 'force') }),
  postUpdate: define<{ text: string }>({ who: 'postUpdate', records: ['update_posted'], limits: { text: TEXT_LIMITS.update }, decide: (incident, input, c) => decide.postUpdate(incident, input.text, c.actor, c.now) }),
  escalate: define<{ note?: string }>({ who: 'escalate', records: ['escalated'], limits: { note: TEXT_LIMITS.escalationNote }, decide: (incident, input, c) => decide.escalate(incident, c.actor, input.note) }),
  addNote: define<{ text: string }>({ who: 'addNote', records: ['note'], limits: { text: TEXT_LIMITS.note }, decide: (incident, input, c) => decide.addNote(incident, input.text, c.actor) }),
  // Adding a message to the timeline is a note in someone else's words: the same rule.
  addKeyMessage: define<{ message: KeyMessage; note?: string }>({ who: 'addNote', records: ['key_message'], limits: { note: KEY_MESSAGE_NOTE_MAX }, decide: (incident, input, c) => keyMessageDecision(incident, input, c.actor, c.now) }),
  tickChecklist: define<{ itemId: string; done: boolean; because?: string }>({
    who: 'tickChecklist',
    records: ['checklist_ticked', 'checklist_unticked'],
    decide: (incident, input, c) => decide.tickChecklist(incident, c.profiles.checklistOf(incident).find((item) => item.id === input.itemId), input.done, c.actor, c.now, input.because),
  }),
  follow: define({ who: 'follow', records: ['followed'], decide: (incident, _, c) => decide.follow(incident, c.actor) }),
  unfollow: define({ who: 'follow', records: ['unfollowed'], decide: (incident, _, c) => decide.unfollow(incident, c.actor) }),
  invite: define<{ person: Person }>({ who: 'manageMembers', records: ['member_invited'], decide: (incident, input) => invite(incident, input.person) }),
  removeMember: define<{ person: Person }>({ who: 'manageMembers', records: ['member_removed'], decide: (incident, input) => removeMember(incident, input.person) }),
  publishPublicStatus: define<{ status: PublicStatus; text: string }>({
    who: 'publishPublicStatus',
    records: ['public_status_updated'],
    limits: { text: TEXT_LIMITS.publicText },
    decide: (incident, input, c) => decide.publishPublicStatus(incident, c.actor, input.status, input.text, c.now),
  }),
  publishPostmortem: define<{ version: number }>({ who: 'publishPostmortem', records: ['postmortem_published'], decide: (incident, input, c) => decide.publishPostmortem(incident, input.version, c.actor, c.now) }),
  recordReview: define<{ review: ReviewMeeting; busy: readonly string[] }>({ who: 'scheduleReview', records: ['review_scheduled', 'review_moved'], decide: (incident, input) => decide.reviewScheduled(incident, input) }),
  recordPostmortemFiled: define<{ version: number; name: string; webUrl: string }>({ who: 'app', records: ['postmortem_filed'], decide: (incident, input) => decide.postmortemFiled(incident, input) }),
  recordPostmortemSaved: define<{ version: number }>({ who: 'app', records: ['postmortem_saved'], decide: (incident, input, c) => decide.postmortemSaved(incident, input.version, c.actor, c.now) }),
  archive: define({ who: 'app', records: ['archived'], decide: (incident, _, c) => decide.archive(incident, c.actor) }),
  recordPublicStatusSync: define<{ page?: PublicIncidentRef; error?: string }>({
    who: 'app',
    records: ['public_status_published', 'public_status_failed'],
    decide: (incident, input) => decide.recordPublicStatusSync(incident, input),
  }),
  recordDeliveryFailure: define<{ what: string; error: string }>({ who: 'app', records: ['delivery_failed'], decide: (incident, input, c) => decide.recordDeliveryFailure(incident, input, c.now) }),
  recordMonitorResolved: define<{ at: Date; title: string; source: string }>({ who: 'app', records: ['alert_received'], decide: (incident, input) => decide.recordMonitorResolved(incident, input) }),
  recordPersonalCard: define<{ card: MessageRef; person: Person }>({ who: 'app', records: ['card_posted'], decide: (incident, input) => recordPersonalCard(incident, input.card, input.person) }),
  recordTracking: define<TrackingReport>({ who: 'app', records: ['action_items_tracked'], decide: (incident, input) => recordTracking(incident, input) }),
  // The bridge (models/record/bridge.ts): Teams' meeting start/end events, then what Graph kept of the call.
  recordMeetingStart: define<{ at: Date }>({ who: 'app', records: ['meeting_started'], decide: (incident, input) => meetingStarted(incident, input) }),
  recordMeetingEnd: define<{ at: Date; attended: readonly string[] }>({ who: 'app', records: ['meeting_ended'], decide: (incident, input) => meetingEnded(incident, input) }),
  recordBridgeRecord: define<{ transcript?: BridgeArtifact; recording?: BridgeArtifact }>({ who: 'app', records: ['transcript_attached', 'recording_attached'], decide: (incident, input) => bridgeRecordAttached(incident, input) }),
  recordBridgeUnavailable: define<{ reason: string }>({ who: 'app', records: ['transcript_unavailable'], decide: (incident, input) => bridgeRecordsUnavailable(incident, input) }),
  recordPage: define<PagingState>({ who: 'app', records: ['paged'], decide: (incident, input) => withPagedMembers(decide.recordPage(incident, input), incident, input.people) }),
} as const;

/** Which rule a role change falls under: taking a free role, giving one, changing a holder, handing over command. */
function roleRule(incident: Incident, role: Role, person: Person, actor: Person): PolicyRule {
  const holder = role === 'sme' ? undefined : incident.roles[role];
  if (!holder) return samePerson(person, actor) ? 'takeFreeRole' : 'assignFreeRole';
  return role === 'commander' ? 'handOverCommand' : 'changeRole';
}

export type ActionName = keyof typeof ACTIONS;
export type ActionInput<N extends ActionName> = (typeof ACTIONS)[N] extends ActionDefinition<infer Input> ? Input : never;
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

/** The actions a card button runs by name (those with a `fromCard` schema). */
export type CardActionName = { [N in ActionName]: (typeof ACTIONS)[N] extends { readonly fromCard: z.ZodType } ? N : never }[ActionName];
export const CARD_ACTION_NAMES = ACTION_NAMES.filter((name): name is CardActionName => 'fromCard' in ACTIONS[name]);

/** The decision of one action, by name: what running it now would do to this record. */
export function decideAction<N extends ActionName>(name: N, incident: Incident, input: ActionInput<N>, context: DecisionContext): Decision {
  const definition = ACTIONS[name] as unknown as ActionDefinition<ActionInput<N>>;
  return definition.decide(incident, input, context);
}
