import type { FieldValues } from './extraFields.js';
import type { PublicStatusState } from './publicStatus.js';
import type { Severity } from './severity.js';
import type { Status } from './lifecycle.js';
import type { TimelineEvent } from './timeline.js';

import type { Person } from './person.js';
import type { Effect, EffectState } from '../delivery/effects.js';
export type { Person } from './person.js';

/** Where a Teams conversation lives: enough to post into it again later, after a restart. */
export interface ConversationAddress {
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly conversationId: string;
  /** The message to reply to or update, when there is one. */
  readonly activityId?: string;
}

export interface PagingState {
  /** 0 for the first level of the escalation policy. */
  readonly level: number;
  readonly label: string;
  readonly people: readonly Person[];
  readonly at: Date;
}

/** Links we show or store from outside input: https only, nothing that could break out of markup. */
export const HTTPS_LINK = /^https:\/\/[^\s"<>]+$/;

/** A Teams message someone declared an incident from (the message extension's "Declare incident"). */
export interface QuotedMessage {
  /** The message id with its conversation: one incident per message. */
  readonly id: string;
  readonly link?: string;
  readonly author?: string;
  /** Its text, shortened: enough to recognise it on the timeline. */
  readonly excerpt: string;
}

/** Where incidents come from; people declare from chat, the form and a message, monitors by webhook. */
export const PERSON_SOURCES = ['chat', 'form', 'message'] as const;

export interface IncidentSource {
  readonly kind: (typeof PERSON_SOURCES)[number] | 'webhook' | 'import';
  /** Idempotency key: the Teams activity id, or a monitor's alert fingerprint and generation. */
  readonly key: string;
  /** For incidents a monitor declared: the alert fingerprint further alerts attach by. */
  readonly fingerprint?: string;
  /** Where the reporter asked, so we can answer there with the channel link. */
  readonly replyTo?: ConversationAddress;
  /** Our "declaring…" message in that conversation, updated in place once the room exists. */
  readonly ackActivityId?: string;
  /** Declared from this Teams message: linked on the timeline. */
  readonly message?: QuotedMessage;
}

export const PROVISIONING_STEPS = ['channel', 'meeting', 'tab', 'meetingTab', 'card', 'broadcast', 'reporter', 'cardLinks'] as const;
export type ProvisioningStep = (typeof PROVISIONING_STEPS)[number];

export interface StepState {
  readonly status: 'pending' | 'done' | 'failed' | 'skipped';
  readonly attempts: number;
  readonly error?: string;
  /** What an admin should do about a permanent failure (e.g. the permission to grant). */
  readonly hint?: string;
  readonly at?: Date;
}

export interface Provisioning {
  readonly complete: boolean;
  readonly steps: Readonly<Record<ProvisioningStep, StepState>>;
  readonly lease?: { readonly owner: string; readonly until: Date };
  /** How many times a process claimed this war room: more than one means an earlier one may have stopped mid-step. */
  readonly claims?: number;
}

export interface ChannelRef { readonly id: string; readonly name: string; readonly webUrl: string }
export interface MeetingRef {
  readonly id: string;
  readonly joinUrl: string;
  readonly via: 'onlineMeeting' | 'calendarEvent';
  /** The meeting chat's thread id: where the meeting tab goes and where join/leave events come from. */
  readonly chatId?: string;
  /** The organizer's onlineMeeting id (Graph finds it by the join link): transcripts, recordings and the lobby go through it. */
  readonly onlineMeetingId?: string;
}

/** A transcript or recording Graph kept of the bridge. */
export interface BridgeArtifact {
  readonly id: string;
  readonly createdAt: Date;
  /** A recording's link; a transcript is stored and shown in the tab instead. */
  readonly url?: string;
  /** How many lines a stored transcript has. */
  readonly lines?: number;
}

/**
 * The bridge as the record knows it (models/record/bridge.ts): when Teams said it started and
 * ended, who was on it, and where fetching its transcript and recording stands.
 */
export interface BridgeState {
  readonly startedAt?: Date;
  readonly endedAt?: Date;
  readonly attended?: readonly string[];
  /** waiting: fetched after the meeting ends; fetching: it ended, Graph is asked until they appear; attached; unavailable: the reason says what is missing. */
  readonly records: 'waiting' | 'fetching' | 'attached' | 'unavailable';
  readonly reason?: string;
  readonly transcripts?: readonly BridgeArtifact[];
  readonly recordings?: readonly BridgeArtifact[];
}
/** A group chat incident-room made (a private incident's room). */
export interface ChatRef { readonly id: string; readonly webUrl: string }
export interface TabRef { readonly id: string; readonly webUrl: string; readonly contentUrl: string }
export interface DeliveryProblem { readonly what: string; readonly error: string; readonly at: Date }

export interface MessageRef { readonly conversationId: string; readonly activityId: string; readonly serviceUrl: string }

export interface Milestones {
  readonly started?: Date;
  readonly detected?: Date;
  readonly declared: Date;
  readonly acknowledged?: Date;
  readonly mitigated?: Date;
  readonly resolved?: Date;
  readonly closed?: Date;
}

export const SINGLE_ROLES = ['commander', 'communications', 'business', 'technical', 'scribe'] as const;
export type SingleRole = (typeof SINGLE_ROLES)[number];
/** Every role: the single ones and the subject-matter experts (several people). */
export const ROLES = [...SINGLE_ROLES, 'sme'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  commander: 'Incident Commander',
  communications: 'Communications lead',
  business: 'Business lead',
  technical: 'Technical lead',
  scribe: 'Scribe',
  sme: 'SME',
};

export interface Roles {
  readonly commander?: Person;
  readonly communications?: Person;
  readonly business?: Person;
  readonly technical?: Person;
  readonly scribe?: Person;
  readonly smes: readonly Person[];
}

/** The status summary template; any field may be "UNKNOWN" (say what is not known yet). */
export const SUMMARY_FIELDS = ['environment', 'component', 'probableCause', 'frequency', 'type', 'recoveryEstimate', 'workingOnIt', 'currentAction', 'nextAction'] as const;
export type SummaryField = (typeof SUMMARY_FIELDS)[number];
export type StatusSummary = Readonly<Record<SummaryField, string>>;
export const SUMMARY_LABELS: Readonly<Record<SummaryField, string>> = {
  environment: 'Environment',
  component: 'Component responsible',
  probableCause: 'Probable cause',
  frequency: 'Frequency or duration',
  type: 'Type',
  recoveryEstimate: 'Estimated time to recovery',
  workingOnIt: 'Who is working on it',
  currentAction: 'Current action step',
  nextAction: 'Next action step',
};
export const ENVIRONMENTS = ['Production', 'Staging', 'UNKNOWN'] as const;
export const CAUSE_TYPES = ['Self', 'Unknown', 'Scale', 'Vendor'] as const;

/** The channel "topic" line: what is wrong, and who owns it on the SRE and developer sides. */
export interface Topic {
  readonly line: string;
  readonly sreOwner?: string;
  readonly devOwner?: string;
}

export interface PostedUpdate {
  readonly text: string;
  readonly at: Date;
  readonly by: Person;
}

export interface ReviewMeeting {
  readonly eventId: string;
  /** Whose calendar holds it (Entra object id): the person who scheduled it. */
  readonly organizerId: string;
  readonly start: Date;
  readonly end: Date;
  readonly webLink?: string;
  readonly joinUrl?: string;
  readonly invited: readonly string[];
}

export interface PostmortemState {
  /** The latest saved version. */
  readonly version: number;
  readonly savedAt: Date;
  readonly savedBy: Person;
  readonly publishedVersion?: number;
  readonly publishedAt?: Date;
  readonly publishedBy?: Person;
  /** The published version as a Word document in the channel's files (FILE_POSTMORTEMS). */
  readonly filed?: { readonly version: number; readonly name: string; readonly webUrl: string };
  /** The action items' tracker (TRACKER): how many are not in it yet, and why. */
  readonly tracking?: ActionItemTracking;
}

export interface ActionItemTracking {
  /** As people call it: "GitHub". */
  readonly tracker: string;
  readonly tracked: number;
  /** Kept here and tried again until the tracker takes them. */
  readonly pending: number;
  readonly error?: string;
}

export interface Incident {
  readonly id: string;
  readonly tenantId: string;
  readonly number: number;
  readonly title: string;
  readonly description?: string;
  readonly component?: string;
  readonly environment?: 'Production' | 'Staging';
  /** The incident type's id (TENANT_CONFIG_FILE `types`); none on incidents from before types: the tenant's default type. */
  readonly type?: string;
  /** The values of the type's extra fields, by field id (checked by extraFields.ts `parseFieldValues`). */
  readonly fields?: FieldValues;
  readonly severity: Severity;
  readonly status: Status;
  readonly reporter: Person;
  readonly roles: Roles;
  readonly source: IncidentSource;
  readonly milestones: Milestones;
  readonly channel?: ChannelRef;
  /**
   * Private: only its members and incident admins see it (models/access/visibility.ts); it lives
   * in a group chat with its members, never a channel, and is not broadcast.
   */
  readonly private?: boolean;
  /** A private incident's members: the reporter (and commander) at first, then whoever is invited. */
  readonly members?: readonly Person[];
  /** A private incident's group chat. */
  readonly chat?: ChatRef;
  /** Why a private incident has no group chat: its card and updates go to each member's personal chat instead. */
  readonly chatFallback?: { readonly reason: string; readonly at: Date };
  /** Without a chat: the card's copies in the other members' personal chats (`card` is the first member's), redrawn with it. */
  readonly personalCards?: readonly MessageRef[];
  readonly meeting?: MeetingRef;
  /** The bridge's start, end and records (transcripts, recordings), once Teams told us it started. */
  readonly bridge?: BridgeState;
  readonly tab?: TabRef;
  /** The same tab in the meeting chat and side panel. */
  readonly meetingTab?: TabRef;
  readonly card?: MessageRef;
  /** The root message in the company-wide broadcast channel, updated in place. */
  readonly broadcast?: MessageRef;
  readonly summary?: StatusSummary;
  readonly topic?: Topic;
  readonly lastUpdate?: PostedUpdate;
  /** Data loss or corruption reported: per the escalation rules this suggests or forces P0. */
  readonly dataLoss?: boolean;
  readonly escalations?: number;
  /** The monitor reported the alert resolved: suggested on the card (resolving stays a human call unless configured). */
  readonly monitorResolved?: { readonly at: Date; readonly title: string; readonly source: string };
  /** The latest page: which escalation-policy level, whom, when (the card shows it). */
  readonly paging?: PagingState;
  /** What the public status page says (Communications lead), kept apart from internal updates. */
  readonly publicStatus?: PublicStatusState;
  /** Stakeholders who asked for updates in their personal chat ("follow"). */
  readonly followers?: readonly Person[];
  /** Ticked SOP checklist items: item id → who ticked it and when. */
  readonly checklist?: Readonly<Record<string, { readonly by: Person; readonly at: Date }>>;
  /** The post-mortem's state (its text lives in the postmortems collection, versioned). */
  readonly postmortem?: PostmortemState;
  /** The post-mortem review meeting, once scheduled (models/followThrough/scheduleReview.ts). */
  readonly review?: ReviewMeeting;
  /** Keys of recently applied actions, so a retried Teams invoke is not applied twice. */
  readonly recentActions?: readonly string[];
  /** Timeline events committed with the record but not yet copied to the timeline (outbox). */
  readonly outbox?: readonly TimelineEvent[];
  /** The last change that could not be delivered to Teams (what, why, when); cleared by the next update. */
  readonly deliveryProblem?: DeliveryProblem | null;
  /** What recorded changes still have to do in Teams and beyond, in order (the outbox worker delivers them). */
  readonly effects?: readonly Effect[];
  /** Where delivering each effect stands, by effect id. */
  readonly effectState?: Readonly<Record<string, EffectState>>;
  /** The worker delivering the effects, and until when (it expires if that worker dies). */
  readonly effectsLease?: { readonly owner: string; readonly until: Date };
  readonly provisioning: Provisioning;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Bumped on every change; the card carries it so stale clicks can be detected. */
  readonly version: number;
}

/** The same person, whether known by Teams id or by Entra object id (the tab knows only the latter). */
export function samePerson(a: Pick<Person, 'id' | 'aadObjectId'>, b: Pick<Person, 'id' | 'aadObjectId'>): boolean {
  return a.id === b.id || (Boolean(a.aadObjectId) && a.aadObjectId === b.aadObjectId);
}

/** Whether this person is the one who acted (actors carry a Teams id, or an Entra id). */
export function isActor(person: Pick<Person, 'id' | 'aadObjectId'>, actor: { readonly id: string }): boolean {
  return samePerson(person, { id: actor.id, aadObjectId: actor.id });
}

export function incidentLabel(incident: Pick<Incident, 'number'>): string {
  return `INC-${incident.number}`;
}

export function pendingSteps(): Record<ProvisioningStep, StepState> {
  return Object.fromEntries(PROVISIONING_STEPS.map((step) => [step, { status: 'pending', attempts: 0 }])) as Record<
    ProvisioningStep,
    StepState
  >;
}
