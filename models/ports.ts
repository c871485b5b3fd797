import type { ChannelRef, ConversationAddress, Incident, MeetingRef, Person, MessageRef, PendingPost, ProvisioningStep, StepState, TabRef } from './incident/incident.js';
import type { EventKind, TimelineEvent } from './incident/timeline.js';
import type { PostmortemContent } from './postmortem/postmortem.js';
import type { OnCallSetup } from './paging/oncall.js';
import type { Alert } from './alerts/alerts.js';

/** Persistence for incidents and their timeline (implemented in models/mongo/). */
export interface IncidentStore {
  /** Next human number for the tenant; atomic, never repeats, may skip after a crash. */
  nextNumber(tenantId: string): Promise<number>;
  /** Inserts unless an incident with this id exists; returns whichever is stored. */
  insertIncident(incident: Incident): Promise<{ incident: Incident; inserted: boolean }>;
  findById(id: string): Promise<Incident | undefined>;
  findByNumber(tenantId: string, number: number): Promise<Incident | undefined>;
  findByChannel(tenantId: string, channelId: string): Promise<Incident | undefined>;
  /** The incident whose bridge has this meeting chat (join/leave events arrive there). */
  findByMeetingChat(tenantId: string, chatId: string): Promise<Incident | undefined>;
  /** Records a provisioning step's outcome and the fields it produced, in one atomic write. */
  saveStep(id: string, step: ProvisioningStep, state: StepState, fields?: StepFields): Promise<Incident>;
  setAckActivity(id: string, activityId: string): Promise<void>;
  markProvisioned(id: string, owner: string): Promise<void>;
  /** Takes the provisioning lease if it is free or expired; undefined when another holder has it. */
  claimProvisioning(id: string, owner: string, until: Date, now: Date): Promise<Incident | undefined>;
  renewProvisioning(id: string, owner: string, until: Date): Promise<void>;
  releaseProvisioning(id: string, owner: string): Promise<void>;
  /** Incidents whose war room is unfinished and whose lease (if any) has expired. */
  listUnprovisioned(limit: number, now: Date): Promise<Incident[]>;
  /**
   * Applies a change if the incident is still at `expectedVersion` and `actionKey` was not applied
   * yet, in one atomic write that also puts the event in the incident's outbox (and the update to
   * post, if any, among the undelivered ones). Returns the new record, or why nothing was written.
   */
  applyChange(
    id: string,
    expectedVersion: number,
    actionKey: string,
    set: Readonly<Record<string, unknown>>,
    event: TimelineEvent,
    post?: PendingPost,
  ): Promise<Incident | 'conflict' | 'duplicate' | 'missing'>;
  /** The post of this action was attempted: it is no longer undelivered. */
  settlePost(id: string, actionKey: string): Promise<void>;
  /** Copies outbox events to the timeline (idempotently) and removes them from the outbox. */
  flushOutbox(incident: Incident): Promise<void>;
  listWithOutbox(limit: number): Promise<Incident[]>;
  listOpen(tenantId: string, limit: number): Promise<Incident[]>;
  /** Incidents not yet closed in which this person holds a role or which they follow, newest first. */
  listForPerson(tenantId: string, person: Pick<Person, 'id' | 'aadObjectId'>, limit: number): Promise<Incident[]>;
  /** Events that produced versions after `afterVersion`: what changed since a card was rendered. */
  listEventsSince(incidentId: string, afterVersion: number): Promise<TimelineEvent[]>;
  /** Idempotent on event id. Returns false when the event was already recorded. */
  appendEvent(event: TimelineEvent): Promise<boolean>;
  listEvents(incidentId: string): Promise<TimelineEvent[]>;
}

/** Where a page of the timeline ended: events are ordered by time, then id. */
export interface EventCursor {
  readonly at: Date;
  readonly id: string;
}

export interface EventPageQuery {
  readonly order: 'asc' | 'desc';
  readonly kinds?: readonly EventKind[];
  /** Every kind but these (e.g. without the provisioning steps). */
  readonly excludeKinds?: readonly EventKind[];
  /** Continue after this event (in the chosen order). */
  readonly after?: EventCursor;
  readonly limit: number;
}

/** Reading one incident's timeline in pages (the tab, exports). Never crosses incidents. */
export interface TimelineReader {
  pageEvents(incidentId: string, query: EventPageQuery): Promise<TimelineEvent[]>;
  countEvents(incidentId: string, filter?: Pick<EventPageQuery, 'kinds' | 'excludeKinds'>): Promise<number>;
  /** Events the store recorded at or after `since` (by its own clock), for live refresh. */
  eventsRecordedSince(incidentId: string, since: Date, limit: number): Promise<{ events: TimelineEvent[]; latest?: Date }>;
}

export interface StoredPostmortem {
  readonly incidentId: string;
  readonly version: number;
  readonly content: PostmortemContent;
  readonly savedAt: Date;
  readonly savedBy: Person;
}

export type PostmortemSaveResult =
  | { readonly saved: StoredPostmortem }
  /** Someone saved since `expectedVersion`: nothing was written; here is what they saved. */
  | { readonly conflict: StoredPostmortem }
  /** This save (same key) was already applied: a retried request. */
  | { readonly duplicate: StoredPostmortem };

/** Versioned post-mortems: a head per incident and every version kept. */
export interface PostmortemStore {
  getPostmortem(incidentId: string): Promise<StoredPostmortem | undefined>;
  /** Saves if the head is still at `expectedVersion` (0: nothing saved yet) and `key` is new. */
  savePostmortem(incidentId: string, tenantId: string, expectedVersion: number, key: string, content: PostmortemContent, by: Person, at: Date): Promise<PostmortemSaveResult>;
  /** Copies the head into the version history if a crash left it out; idempotent. */
  recordVersion(postmortem: StoredPostmortem): Promise<void>;
  listPostmortemVersions(incidentId: string): Promise<Omit<StoredPostmortem, 'content'>[]>;
  getPostmortemVersion(incidentId: string, version: number): Promise<StoredPostmortem | undefined>;
}

export interface StepFields {
  channel?: ChannelRef;
  meeting?: MeetingRef;
  tab?: TabRef;
  meetingTab?: TabRef;
  card?: MessageRef;
  broadcast?: MessageRef;
}

export interface ChannelSpec {
  readonly displayName: string;
  /** Carries a marker so a channel we created before a crash can be recognised and adopted. */
  readonly description: string;
}

export interface FoundChannel extends ChannelRef {
  readonly description?: string;
}

export interface TabSpec {
  readonly channelId: string;
  readonly displayName: string;
  readonly entityId: string;
  readonly contentUrl: string;
  readonly websiteUrl: string;
}

/** The incident tab in the meeting's chat (Teams shows it in the side panel during the call too). */
export interface MeetingTabSpec extends Omit<TabSpec, 'channelId'> {
  readonly chatId: string;
}

export interface MeetingSpec {
  readonly subject: string;
  /** Idempotency key: creating twice with the same key returns the same meeting. */
  readonly externalId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/** The incidents team in Teams, reached through Microsoft Graph. */
export interface Workspace {
  /** Throws NameTakenError when the name is used (or was, by a channel deleted < 30 days ago). */
  createChannel(spec: ChannelSpec): Promise<ChannelRef>;
  findChannelByName(displayName: string): Promise<FoundChannel | undefined>;
  createMeeting(spec: MeetingSpec): Promise<MeetingRef>;
  addTab(spec: TabSpec): Promise<TabRef>;
  findTab(channelId: string, entityId: string): Promise<TabRef | undefined>;
  /**
   * The message id of a card the bot posted as a root message in a channel (of the incidents team unless `teamId`
   * says otherwise) carrying this incident's button with this verb: how a retried post finds
   * the one a crashed attempt may already have made (the connector cannot be asked).
   */
  findPostedCard(where: { readonly channelId: string; readonly teamId?: string }, incidentId: string, verb: string): Promise<string | undefined>;
  /** Installs the app in the meeting chat (if needed) and pins the tab there. */
  addMeetingTab(spec: MeetingTabSpec): Promise<TabRef>;
  findMeetingTab(chatId: string, entityId: string): Promise<TabRef | undefined>;
  /** The channel's description carries the topic line (what is wrong, who owns it). */
  updateChannelDescription(channelId: string, description: string): Promise<void>;
  /** Whether this Entra user belongs to the incidents team. */
  isTeamMember(aadObjectId: string): Promise<boolean>;
  /** Archives the channel (read-only, kept for the record). Archiving an archived channel is fine. */
  archiveChannel(channelId: string): Promise<void>;
}

/** Messages in Teams, sent through the Bot Framework connector. Renders cards from the record. */
export interface Messenger {
  postIncidentCard(incident: Incident): Promise<MessageRef>;
  /** The reference to a root message found in a channel (see Workspace.findPostedCard), to update it later. */
  rootMessage(tenantId: string, channelId: string, activityId: string): Promise<MessageRef>;
  updateIncidentCard(incident: Incident): Promise<void>;
  /** Tells the reporter, where they declared, that the room is ready (updates our "declaring…" reply). */
  notifyReporter(incident: Incident): Promise<void>;
  /** The root message for this incident in the company-wide broadcast channel. */
  postBroadcast(incident: Incident): Promise<MessageRef>;
  updateBroadcast(incident: Incident): Promise<void>;
  /** An update: a message in the incident channel and a threaded reply under the broadcast root. */
  postUpdate(incident: Incident, text: string, by: Person): Promise<void>;
  /** The published post-mortem's summary, as a message in the incident channel. */
  postPostmortem(incident: Incident, postmortem: StoredPostmortem, tabUrl?: string): Promise<void>;
  /** A message in the person's personal chat with the bot (updates for followers). */
  sendPersonal(tenantId: string, person: Person, text: string): Promise<void>;
  /** A plain message in the incident channel (reminders, escalations), @mentioning these people. */
  postNotice(incident: Incident, text: string, mentions?: readonly Person[]): Promise<void>;
}

/** A page: who, at which level of the escalation policy, with a link to the incident. */
export interface PageRequest {
  readonly incident: Incident;
  readonly people: readonly Person[];
  readonly level: number;
  readonly label: string;
  /** Same key → same page (PagerDuty's dedup_key); retries never page twice there. */
  readonly dedupKey: string;
  /** Deep link to the incident channel (or the tab). */
  readonly link?: string;
}

/** Gets a person's attention: the built-in rota (an @mention in Teams) or PagerDuty. */
export interface Pager {
  readonly name: string;
  page(request: PageRequest): Promise<void>;
  /** The incident was acknowledged in Teams: stop the pager's own escalation too. */
  acknowledge(incident: Incident): Promise<void>;
  resolve(incident: Incident): Promise<void>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * What operators chart and alert on, reported by the use cases as it happens (Prometheus in the
 * app; nothing in unit tests that do not care).
 */
export interface Telemetry {
  /** A provisioning step ended: done (or skipped), failed for good, or will be retried. */
  provisioningStep(step: string, outcome: 'done' | 'failed' | 'retried'): void;
  /** A durable timer ran `lagMs` after it was due. */
  timerRan(kind: string, lagMs: number, outcome: 'done' | 'failed'): void;
}

export const NO_TELEMETRY: Telemetry = { provisioningStep: () => undefined, timerRan: () => undefined };

/**
 * Where Teams conversations live. Real Teams uses regional service URLs; we learn them from
 * incoming activities and post proactively (new channel's card, later updates) to the same one.
 */
export interface ConversationStore {
  remember(address: ConversationAddress): Promise<void>;
  serviceUrlFor(tenantId: string, conversationId?: string): Promise<string | undefined>;
}

/** The on-call setup as changed in chat (the file is the starting point). */
export interface OnCallStore {
  getOnCall(tenantId: string): Promise<{ setup: OnCallSetup; version: number } | undefined>;
  /** Saves if the stored version is still `expectedVersion` (0: nothing stored yet); false otherwise. */
  saveOnCall(tenantId: string, setup: OnCallSetup, expectedVersion: number): Promise<boolean>;
}

/** An alert as received: stored before anything else happens, processed afterwards. */
export interface StoredAlert extends Alert {
  /** Deterministic from the tenant and the delivery key: the same delivery twice is one row. */
  readonly id: string;
  readonly tenantId: string;
  readonly receivedAt: Date;
}

export interface AlertStore {
  /** Stores alerts not seen before; returns how many were new. */
  storeAlerts(alerts: readonly StoredAlert[]): Promise<number>;
  /** Alerts received before `before` and not processed yet (a crash or a failure left them). */
  pendingAlerts(before: Date, limit: number): Promise<StoredAlert[]>;
  markAlertsProcessed(ids: readonly string[]): Promise<void>;
  /** The fingerprint's current generation: it moves on when its incident is over, so the next firing opens a new one. */
  alertGeneration(tenantId: string, source: string, fingerprint: string): Promise<number>;
  advanceAlertGeneration(tenantId: string, source: string, fingerprint: string, from: number): Promise<void>;
  /** Timeline events in one write; ones already stored are skipped. */
  appendEvents(events: readonly TimelineEvent[]): Promise<void>;
}
