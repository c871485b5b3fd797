import type { ChannelRef, ChatRef, Incident, MeetingRef, MessageRef, ProvisioningStep, StepState, TabRef } from '../incident/incident.js';
import type { TimelineEvent } from '../incident/timeline.js';

/** What a finished provisioning step adds to the record. */
export interface StepFields {
  channel?: ChannelRef;
  chat?: ChatRef;
  chatFallback?: { reason: string; at: Date };
  personalCards?: MessageRef[];
  meeting?: MeetingRef;
  tab?: TabRef;
  meetingTab?: TabRef;
  card?: MessageRef;
  broadcast?: MessageRef;
}

/** The war-room saga's state on the record: steps, the lease that keeps it single across replicas. */
export interface ProvisioningStore {
  /**
   * Records a provisioning step's outcome, the fields it produced and its timeline event (into the
   * record's outbox) in one atomic write, then the event into the timeline: a crash between the two
   * can't leave a step done without its event, as the outbox sweep (flushOutbox) brings it.
   */
  saveStep(id: string, step: ProvisioningStep, state: StepState, fields?: StepFields, event?: TimelineEvent): Promise<Incident>;
  /** Our "declaring…" reply to the reporter, updated in place once the room exists. */
  setAckActivity(id: string, activityId: string): Promise<void>;
  markProvisioned(id: string, owner: string): Promise<void>;
  /** Takes the provisioning lease if it is free or expired; undefined when another holder has it. */
  claimProvisioning(id: string, owner: string, until: Date, now: Date): Promise<Incident | undefined>;
  renewProvisioning(id: string, owner: string, until: Date): Promise<void>;
  releaseProvisioning(id: string, owner: string): Promise<void>;
  /** Incidents whose war room is unfinished and whose lease (if any) has expired. */
  listUnprovisioned(limit: number, now: Date): Promise<Incident[]>;
}
