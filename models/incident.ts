import type { Severity } from './severity.js';
import type { Status } from './lifecycle.js';

export interface Person {
  /** Teams user id (29:…), stable per tenant for the bot. */
  readonly id: string;
  readonly name: string;
  /** Entra object id, when Teams tells us (needed for Graph calls and mentions in the tab). */
  readonly aadObjectId?: string;
}

/** Where a Teams conversation lives: enough to post into it again later, after a restart. */
export interface ConversationAddress {
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly conversationId: string;
  /** The message to reply to or update, when there is one. */
  readonly activityId?: string;
}

export interface IncidentSource {
  readonly kind: 'chat' | 'form' | 'webhook';
  /** Idempotency key: the Teams activity id, or a monitor's alert fingerprint. */
  readonly key: string;
  /** Where the reporter asked, so we can answer there with the channel link. */
  readonly replyTo?: ConversationAddress;
  /** Our "declaring…" message in that conversation, updated in place once the room exists. */
  readonly ackActivityId?: string;
}

export const PROVISIONING_STEPS = ['channel', 'meeting', 'tab', 'card', 'reporter', 'cardLinks'] as const;
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
}

export interface ChannelRef { readonly id: string; readonly name: string; readonly webUrl: string }
export interface MeetingRef { readonly id: string; readonly joinUrl: string; readonly via: 'onlineMeeting' | 'calendarEvent' }
export interface TabRef { readonly id: string; readonly webUrl: string; readonly contentUrl: string }
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

export interface Roles {
  readonly commander?: Person;
  readonly communications?: Person;
  readonly business?: Person;
  readonly technical?: Person;
  readonly scribe?: Person;
  readonly smes: readonly Person[];
}

export interface Incident {
  readonly id: string;
  readonly tenantId: string;
  readonly number: number;
  readonly title: string;
  readonly description?: string;
  readonly component?: string;
  readonly environment?: 'Production' | 'Staging';
  readonly severity: Severity;
  readonly status: Status;
  readonly reporter: Person;
  readonly roles: Roles;
  readonly source: IncidentSource;
  readonly milestones: Milestones;
  readonly channel?: ChannelRef;
  readonly meeting?: MeetingRef;
  readonly tab?: TabRef;
  readonly card?: MessageRef;
  readonly provisioning: Provisioning;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** Bumped on every change; the card carries it so stale clicks can be detected. */
  readonly version: number;
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
