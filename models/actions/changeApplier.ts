import type { Incident, Person } from '../incident/incident.js';
import { effectsOf } from '../delivery/effects.js';
import { timelineEvent, type Actor, type TimelineEvent } from '../incident/timeline.js';
import type { ChangeStore } from '../ports/changeStore.js';
import type { IncidentLookup } from '../ports/incidentLookup.js';
import type { Clock } from '../ports/clock.js';
import { KeyedQueue } from '../support/keyedQueue.js';
import type { Change, Decision } from './decisions.js';
import type { ActionRequest, ActionResult } from './actionRequest.js';

const MAX_ATTEMPTS = 40;
const NOT_FOUND = 'That incident does not exist (any more). Nothing was changed.';
const ALREADY_DONE = 'That was already done (a repeated click or retry); nothing changed twice.';

/** A change that was written: the record before and after, what was decided and recorded, the update to post. */
export interface AppliedChange {
  readonly incident: Incident;
  readonly before: Incident;
  readonly decision: Change;
  readonly event: TimelineEvent;
  readonly post?: { readonly text: string; readonly by: Person };
}

export type ApplyOutcome = { readonly applied: AppliedChange } | ActionResult;

export interface ChangeApplierDeps {
  readonly store: Pick<IncidentLookup, 'findById'> & ChangeStore;
  readonly clock: Clock;
  readonly random?: () => number;
}

/**
 * Applying a decision durably: read, decide, write if nobody else wrote in between (else re-read
 * and decide again on the latest record), with the action's key so a retried Teams invoke is
 * applied once, and the timeline event and the change's effects written with the change (the
 * outboxes) so neither is ever lost.
 */
export class ChangeApplier {
  private readonly writes = new KeyedQueue();
  private readonly random: () => number;

  constructor(private readonly deps: ChangeApplierDeps) {
    this.random = deps.random ?? Math.random;
  }

  /** `guard` answers why the person may not act on the record as it is now (asked again after a conflict). */
  apply(request: ActionRequest, decideOn: (incident: Incident, now: Date) => Decision, guard?: (incident: Incident) => Promise<string | undefined>): Promise<ApplyOutcome> {
    return this.writes.run(request.incidentId, () => this.write(request, decideOn, guard));
  }

  private async write(request: ActionRequest, decideOn: (incident: Incident, now: Date) => Decision, guard?: (incident: Incident) => Promise<string | undefined>): Promise<ApplyOutcome> {
    const { store, clock } = this.deps;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const incident = await store.findById(request.incidentId);
      if (!incident) return { outcome: 'not_found', message: NOT_FOUND };
      if (incident.outbox?.length) await store.flushOutbox(incident);
      if (incident.recentActions?.includes(request.key)) return { outcome: 'duplicate', incident, message: ALREADY_DONE };
      const denied = await guard?.(incident);
      if (denied) return { outcome: 'refused', incident, message: denied };
      const now = clock.now();
      const decision = decideOn(incident, now);
      if ('refuse' in decision) return { outcome: 'refused', incident, message: decision.refuse, changedSince: await this.changedSince(request, incident) };
      const event: TimelineEvent = {
        ...timelineEvent(incident.id, decision.event.kind, request.key, { at: decision.event.at ?? now, actor: actorOf(request.actor), payload: { ...decision.event.payload } }),
        version: incident.version + 1,
      };
      const post = decision.post ? { text: decision.post, by: request.actor } : undefined;
      const written = await store.applyChange(incident.id, incident.version, request.key, decision.patch, event, effectsOf(decision, event, post));
      if (written === 'missing') return { outcome: 'not_found', message: NOT_FOUND };
      if (written === 'duplicate') return { outcome: 'duplicate', incident, message: ALREADY_DONE };
      if (written === 'conflict') {
        // Someone else changed the incident between our read and write: back off a little and decide again on the new state.
        await clock.sleep(Math.round(this.random() * 5 * attempt));
        continue;
      }
      return { applied: { incident: written, before: incident, decision, event, post } };
    }
    return { outcome: 'refused', message: `${request.incidentId} is changing too fast right now; nothing was changed, please try again.` };
  }

  /** What others changed since the version the person's card showed. */
  async changedSince(request: ActionRequest, before: Incident): Promise<TimelineEvent[] | undefined> {
    if (request.seenVersion === undefined || request.seenVersion >= before.version) return undefined;
    // Only what others did before this change: the person's own change is not news to them.
    const events = await this.deps.store.listEventsSince(before.id, request.seenVersion);
    return events.filter((e) => e.version === undefined || e.version <= before.version);
  }

  /** Copies to the timeline the events a crashed process left in outboxes (their changes are recorded). */
  async flushAllOutboxes(): Promise<number> {
    const pending = await this.deps.store.listWithOutbox(100);
    for (const incident of pending) await this.deps.store.flushOutbox(incident);
    return pending.length;
  }

  flushOutbox(incident: Incident): Promise<void> {
    return this.deps.store.flushOutbox(incident);
  }
}

function actorOf(person: Person | Actor): Actor {
  if ('kind' in person) return person;
  return { kind: 'user', id: person.id, name: person.name };
}
