import type { Incident, Person } from '../incident/incident.js';
import type { TimelineEvent } from '../incident/timeline.js';

export interface ActionRequest {
  readonly incidentId: string;
  /** Idempotency key: the Teams activity id of the click or command, a tab call's key, a timer's id. */
  readonly key: string;
  readonly actor: Person;
  /** The incident version the person saw (from the card), to tell them what changed since. */
  readonly seenVersion?: number;
  /** Where a person acted (in the incident's own channel, everyone present is in the incidents team). */
  readonly place?: { readonly inIncidentChannel: boolean };
  /**
   * `app`: incident-room itself acts (a timer, a monitor's webhook, what follows a change a person
   * was allowed to make), authenticated at its own door; the access policy is for people.
   */
  readonly via?: 'app';
}

export interface ActionResult {
  readonly outcome: 'applied' | 'duplicate' | 'refused' | 'not_found';
  readonly incident?: Incident;
  readonly message: string;
  /** Set when the person acted on an outdated card: what others changed in the meantime. */
  readonly changedSince?: readonly TimelineEvent[];
  /** A problem delivering the change to Teams (the change itself is recorded). */
  readonly deliveryProblem?: string;
  /** The change was announced in the channel (and the broadcast thread): a reply there would say it twice. */
  readonly posted?: boolean;
}

/** Something that follows every applied change off the actor's path (paging timers, notifications, followers, the status page). */
export interface ChangeReaction {
  incidentChanged(incident: Incident, event: TimelineEvent): Promise<void>;
}
