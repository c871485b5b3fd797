import { p0Reason, type EscalationRules } from '../incident/escalationRules.js';
import type { Incident } from '../incident/incident.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';
import { SYSTEM } from '../incident/timeline.js';
import type { ChangeStore } from '../ports/changeStore.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentLookup } from '../ports/incidentLookup.js';
import type { Logger } from '../ports/logger.js';
import type { EffectStore } from '../ports/effectStore.js';
import { decideAction, type ActionInput, type ActionName, type DecisionContext } from './actionTable.js';
import type { ActionRequest, ActionResult, ChangeReaction } from './actionRequest.js';
import { ChangeApplier } from './changeApplier.js';
import { EffectWorker } from '../delivery/effectWorker.js';
import { effectHandlers, type EffectHandlerDeps } from '../delivery/effectHandlers.js';
import type { BroadcastReply, ChannelPost, Effect } from '../delivery/effects.js';

export type { ActionRequest, ActionResult, ChangeReaction } from './actionRequest.js';

const FAILED_WHAT: Partial<Record<Effect['kind'], (effect: Effect) => string>> = {
  channelPost: (e) => `Posting ${(e as ChannelPost).by.name}'s update in the channel`,
  broadcastReply: (e) => `Posting ${(e as BroadcastReply).by.name}'s update in the broadcast thread`,
  topic: () => 'Updating the channel description (topic line)',
};

export interface IncidentActionsDeps {
  readonly store: Pick<IncidentLookup, 'findById'> & ChangeStore;
  /** The outbox of effects each change leaves (delivered by the worker, in this process or another). */
  readonly effects: EffectStore;
  readonly messenger: EffectHandlerDeps['messenger'];
  readonly workspace: EffectHandlerDeps['workspace'];
  readonly broadcastTeamId?: string;
  /** This process's name on the leases it takes (unique per process). */
  readonly owner: string;
  readonly leaseMs: number;
  readonly clock: Clock;
  readonly log: Logger;
  readonly rules: EscalationRules;
  /** Each tenant's checklists and severity names. */
  readonly profiles: TenantProfiles;
  readonly random?: () => number;
  /** The access policy: why a person may not run an action on the record as it is. */
  readonly access: { refusal<N extends ActionName>(name: N, request: ActionRequest, incident: Incident, input: ActionInput<N>): Promise<string | undefined> };
}

/**
 * The one way anything changes an incident: `run(name, request, input)` takes the action's
 * decision from the action table and applies it durably with its effects (ChangeApplier), and
 * answers the person with the new record. What the change does in Teams (the post, the topic
 * line, the card and broadcast for everyone, the reactions) is delivered from that outbox by the
 * EffectWorker, off their critical path and surviving a crash.
 */
export class IncidentActions {
  private readonly applier: ChangeApplier;
  private readonly worker: EffectWorker;
  private readonly reactions = new Map<string, ChangeReaction>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: IncidentActionsDeps) {
    this.applier = new ChangeApplier({ store: deps.store, clock: deps.clock, random: deps.random });
    const handlers = effectHandlers({ messenger: deps.messenger, workspace: deps.workspace, reactions: () => this.reactions, broadcastTeamId: deps.broadcastTeamId, broadcastOf: (incident) => deps.profiles.broadcastOf(incident), log: deps.log });
    this.worker = new EffectWorker({ store: deps.effects, handlers, clock: deps.clock, log: deps.log, owner: deps.owner, leaseMs: deps.leaseMs, random: deps.random, gaveUp: (incident, effect, error) => this.recordFailure(incident, effect, error) });
  }

  /**
   * What follows every applied change, by name (paging cancels the timers the change made moot,
   * notifications, followers, the status page): each runs once per change, from the outbox.
   */
  react(reactions: Readonly<Record<string, ChangeReaction>>): void {
    for (const [name, reaction] of Object.entries(reactions)) this.reactions.set(name, reaction);
  }

  async run<N extends ActionName>(name: N, request: ActionRequest, input: ActionInput<N>): Promise<ActionResult> {
    const context = (now: Date): DecisionContext => ({ actor: request.actor, now, profiles: this.deps.profiles, rules: this.deps.rules });
    const written = await this.applier.apply(
      request,
      (incident, now) => decideAction(name, incident, input, context(now)),
      (incident) => this.deps.access.refusal(name, request, incident, input),
    );
    if (!('applied' in written)) {
      // A retry of a change whose process may have died before delivering it: make sure someone delivers.
      if (written.outcome === 'duplicate' && written.incident?.effects?.length) this.worker.kick(written.incident.id);
      return written;
    }
    const { incident, before, decision, post } = written.applied;
    // The person gets the new card in the response; the event reaches the timeline and the effects Teams right after.
    this.background(this.applier.flushOutbox(incident));
    this.worker.kick(incident.id);
    return { outcome: 'applied', incident, message: decision.message, changedSince: await this.applier.changedSince(request, before), posted: post !== undefined };
  }

  /**
   * The escalation rules in `force` mode: raise to P0 when they say so. Runs whenever the card is
   * looked at or acted on; the key makes each raise happen once.
   */
  async enforceRules(incident: Incident): Promise<Incident> {
    if (this.deps.rules.mode !== 'force') return incident;
    const reason = p0Reason(incident, this.deps.clock.now(), this.deps.rules);
    if (!reason) return incident;
    const result = await this.run('changeSeverity', { incidentId: incident.id, key: `rule:p0:${incident.severity}:${incident.id}`, actor: SYSTEM, via: 'app' }, { to: 'P0', reason });
    return result.incident ?? incident;
  }

  /** Resolves when no outbox flush or delivery is running in this process (for shutdown, and tests). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.worker.drain();
  }

  /** Stops taking new deliveries (retries due later are left to another replica or the next start). */
  stop(): void {
    this.worker.stop();
  }

  /**
   * Finishes what a crashed process left behind: outboxes (their changes are recorded; the
   * events follow) and effects nobody is delivering.
   */
  async flushAllOutboxes(): Promise<number> {
    const events = await this.applier.flushAllOutboxes();
    return events + (await this.worker.sweep());
  }

  private background(work: Promise<void>): void {
    const run: Promise<void> = work
      .catch((error: unknown) => this.deps.log.warn({ err: (error as Error).message }, 'copying an event to the timeline failed; the sweep retries it'))
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /**
   * An update that could not be posted, or a topic line not written, is said on the card and the
   * timeline. A card refresh that fails is only logged: recording it would refresh the card again.
   */
  private async recordFailure(incident: Incident, effect: Effect, error: string): Promise<void> {
    const what = FAILED_WHAT[effect.kind]?.(effect);
    if (!what) return;
    await this.run('recordDeliveryFailure', { incidentId: incident.id, key: `${effect.id}:failed`, actor: SYSTEM, via: 'app' }, { what, error });
  }
}
