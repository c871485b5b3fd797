import { p0Reason, type EscalationRules } from '../incident/escalationRules.js';
import type { Incident } from '../incident/incident.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';
import { SYSTEM } from '../incident/timeline.js';
import type { ChangeStore } from '../ports/changeStore.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentLookup } from '../ports/incidentLookup.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import type { Workspace } from '../ports/workspace.js';
import { decideAction, type ActionInput, type ActionName, type DecisionContext } from './actionTable.js';
import type { ActionRequest, ActionResult, ChangeReaction } from './actionRequest.js';
import { ChangeApplier } from './changeApplier.js';
import { ChangeDelivery } from './changeDelivery.js';

export type { ActionRequest, ActionResult, ChangeReaction } from './actionRequest.js';

export interface IncidentActionsDeps {
  readonly store: Pick<IncidentLookup, 'findById'> & ChangeStore;
  readonly messenger: Pick<Messenger, 'postUpdate' | 'updateIncidentCard' | 'updateBroadcast'>;
  readonly workspace: Pick<Workspace, 'updateChannelDescription'>;
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
 * decision from the action table, applies it durably (ChangeApplier), answers the person, and
 * then delivers it to Teams and to the reactions (ChangeDelivery), off their critical path.
 */
export class IncidentActions {
  private readonly applier: ChangeApplier;
  private readonly delivery: ChangeDelivery;
  private readonly reactions: ChangeReaction[] = [];

  constructor(private readonly deps: IncidentActionsDeps) {
    this.applier = new ChangeApplier({ store: deps.store, clock: deps.clock, random: deps.random });
    this.delivery = new ChangeDelivery(deps);
  }

  /**
   * What follows every applied change, off the actor's path (e.g. paging cancels the timers the
   * change made moot). A crash before it runs is covered by the timers checking state when they fire.
   */
  react(reactions: readonly ChangeReaction[]): void {
    this.reactions.push(...reactions);
  }

  async run<N extends ActionName>(name: N, request: ActionRequest, input: ActionInput<N>): Promise<ActionResult> {
    const context = (now: Date): DecisionContext => ({ actor: request.actor, now, profiles: this.deps.profiles, rules: this.deps.rules });
    const written = await this.applier.apply(
      request,
      (incident, now) => decideAction(name, incident, input, context(now)),
      (incident) => this.deps.access.refusal(name, request, incident, input),
    );
    if (!('applied' in written)) {
      if (written.outcome === 'duplicate' && written.incident) await this.delivery.postLeftBehind(written.incident, request.key);
      return written;
    }
    const { incident, before, decision, event, post } = written.applied;
    for (const reaction of this.reactions) this.delivery.background(incident.id, () => reaction.incidentChanged(incident, event));
    // The person who acted gets the new card in the response; copying the event to the timeline
    // and re-rendering the card for everyone else happen right after (the outbox already holds the event durably).
    this.delivery.background(incident.id, () => this.applier.flushOutbox(incident));
    const deliveryProblem = await this.delivery.deliver(incident, decision, post);
    return { outcome: 'applied', incident, message: decision.message, changedSince: await this.applier.changedSince(request, before), deliveryProblem, posted: post !== undefined && !deliveryProblem };
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

  /** Re-renders the card and broadcast for everyone from the latest record. */
  refreshEverywhere(incidentId: string): Promise<void> {
    return this.delivery.refreshEverywhere(incidentId);
  }

  /** Resolves when no outbox flush, reaction or card refresh is running (for shutdown, and tests). */
  drain(): Promise<void> {
    return this.delivery.drain();
  }

  /** Finishes outboxes a crashed process left behind (their changes are recorded; the events follow). */
  flushAllOutboxes(): Promise<number> {
    return this.applier.flushAllOutboxes();
  }
}
