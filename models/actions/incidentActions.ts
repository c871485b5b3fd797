import type { PublicIncidentRef, PublicStatus } from './statusPage.js';
import * as decide from './decisions.js';
import type { Change, Decision, SummaryInput } from './decisions.js';
import { p0Reason, type EscalationRules } from '../incident/escalationRules.js';
import type { Incident, PagingState, PendingPost, Person, Role } from '../incident/incident.js';
import type { Status } from '../incident/lifecycle.js';
import type { Clock, IncidentStore, Logger, Messenger, Workspace } from '../ports.js';
import type { Severity } from '../incident/severity.js';
import { KeyedQueue } from '../support/keyedQueue.js';
import { withTransientRetries } from '../support/retry.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';
import { SYSTEM, timelineEvent, type TimelineEvent } from '../incident/timeline.js';

export interface ActionRequest {
  readonly incidentId: string;
  /** Idempotency key: the Teams activity id of the click or command. */
  readonly key: string;
  readonly actor: Person;
  /** The incident version the person saw (from the card), to tell them what changed since. */
  readonly seenVersion?: number;
}

export interface ActionResult {
  readonly outcome: 'applied' | 'duplicate' | 'refused' | 'not_found';
  readonly incident?: Incident;
  readonly message: string;
  /** Set when the person acted on an outdated card: what others changed in the meantime. */
  readonly changedSince?: readonly TimelineEvent[];
  /** A problem delivering the change to Teams (the change itself is recorded). */
  readonly deliveryProblem?: string;
}

export interface IncidentActionsDeps {
  readonly store: IncidentStore;
  readonly messenger: Messenger;
  readonly workspace: Pick<Workspace, 'updateChannelDescription'>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly rules: EscalationRules;
  /** Each tenant's checklists and severity names. */
  readonly profiles: TenantProfiles;
  readonly random?: () => number;
}

const MAX_ATTEMPTS = 40;

/**
 * The use cases that run an incident. Each one is a decision (decisions.ts) applied with
 * optimistic concurrency: read, decide, write if nobody else wrote in between, else re-read
 * and decide again on the latest record. A retried Teams invoke (same key) is recognised and
 * not applied twice. After a change the card and broadcast are re-rendered for everyone.
 */
export class IncidentActions {
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  /** Action keys whose update this process is posting right now. */
  private readonly posting = new Set<string>();
  private readonly writes = new KeyedQueue();
  private readonly random: () => number;
  private readonly listeners: ((incident: Incident, event: TimelineEvent) => Promise<void>)[] = [];

  constructor(private readonly deps: IncidentActionsDeps) {
    this.random = deps.random ?? Math.random;
  }

  /**
   * Runs after every applied change, off the actor's path (e.g. paging cancels the timers the
   * change made moot). A crash before it runs is covered by the timers checking state when they fire.
   */
  onApplied(listener: (incident: Incident, event: TimelineEvent) => Promise<void>): void {
    this.listeners.push(listener);
  }

  acknowledge(request: ActionRequest) {
    return this.apply(request, (incident, now) => decide.acknowledge(incident, request.actor, now));
  }

  assignRole(request: ActionRequest, role: Role, person: Person) {
    return this.apply(request, (incident) => decide.assignRole(incident, role, person));
  }

  changeStatus(request: ActionRequest, to: Status) {
    return this.apply(request, (incident, now) => decide.changeStatus(incident, to, request.actor, now));
  }

  changeSeverity(request: ActionRequest, to: Severity, reason?: string) {
    return this.apply(request, (incident) => decide.changeSeverity(incident, to, this.deps.profiles.severityOf(incident, to), request.actor, reason));
  }

  updateSummary(request: ActionRequest, input: SummaryInput) {
    return this.apply(request, (incident) => decide.updateSummary(incident, input, request.actor, this.deps.rules.mode === 'force'));
  }

  publishPublicStatus(request: ActionRequest, status: PublicStatus, text: string) {
    return this.apply(request, (incident, now) => decide.publishPublicStatus(incident, request.actor, status, text, now));
  }

  recordPublicStatusSync(request: ActionRequest, outcome: { page?: PublicIncidentRef; error?: string }) {
    return this.apply(request, (incident) => decide.recordPublicStatusSync(incident, outcome));
  }

  follow(request: ActionRequest) {
    return this.apply(request, (incident) => decide.follow(incident, request.actor));
  }

  unfollow(request: ActionRequest) {
    return this.apply(request, (incident) => decide.unfollow(incident, request.actor));
  }

  postUpdate(request: ActionRequest, text: string) {
    return this.apply(request, (incident, now) => decide.postUpdate(incident, text, request.actor, now));
  }

  addNote(request: ActionRequest, text: string) {
    return this.apply(request, (incident) => decide.addNote(incident, text, request.actor));
  }

  tickChecklist(request: ActionRequest, itemId: string, done: boolean) {
    return this.apply(request, (incident, now) =>
      decide.tickChecklist(incident, this.deps.profiles.checklistOf(incident).find((i) => i.id === itemId), done, request.actor, now),
    );
  }

  recordPostmortemSaved(request: ActionRequest, version: number) {
    return this.apply(request, (incident, now) => decide.postmortemSaved(incident, version, request.actor, now));
  }

  publishPostmortem(request: ActionRequest, version: number) {
    return this.apply(request, (incident, now) => decide.publishPostmortem(incident, version, request.actor, now));
  }

  archive(request: ActionRequest) {
    return this.apply(request, (incident) => decide.archive(incident, request.actor));
  }

  recordMonitorResolved(request: ActionRequest, report: { at: Date; title: string; source: string }) {
    return this.apply(request, (incident) => decide.recordMonitorResolved(incident, report));
  }

  recordPage(request: ActionRequest, paging: PagingState) {
    return this.apply(request, (incident) => decide.recordPage(incident, paging));
  }

  escalate(request: ActionRequest, note?: string) {
    return this.apply(request, (incident) => decide.escalate(incident, request.actor, note));
  }

  resolve(request: ActionRequest) {
    return this.apply(request, (incident, now) => decide.resolve(incident, request.actor, now));
  }

  close(request: ActionRequest) {
    return this.apply(request, (incident, now) => decide.close(incident, request.actor, now));
  }

  /**
   * The escalation rules in `force` mode: raise to P0 when they say so. Runs whenever the card is
   * looked at or acted on; the key makes each raise happen once.
   */
  async enforceRules(incident: Incident): Promise<Incident> {
    if (this.deps.rules.mode !== 'force') return incident;
    const reason = p0Reason(incident, this.deps.clock.now(), this.deps.rules);
    if (!reason) return incident;
    const result = await this.apply({ incidentId: incident.id, key: `rule:p0:${incident.severity}:${incident.id}`, actor: SYSTEM }, (latest) =>
      decide.changeSeverity(latest, 'P0', this.deps.profiles.severityOf(latest, 'P0'), SYSTEM, reason),
    );
    return result.incident ?? incident;
  }

  private async apply(request: ActionRequest, decideOn: (incident: Incident, now: Date) => Decision): Promise<ActionResult> {
    const written = await this.writes.run(request.incidentId, () => this.write(request, decideOn));
    if (!('applied' in written)) {
      if (written.outcome === 'duplicate' && written.incident) await this.postLeftBehind(written.incident, request.key);
      return written;
    }
    const { incident, before, decision, event, post } = written.applied;
    for (const listener of this.listeners) this.background(incident.id, () => listener(incident, event));
    // The person who acted gets the new card in the response; copying the event to the timeline
    // and re-rendering the card for everyone else happen right after, off their critical path
    // (the outbox already holds the event durably).
    this.background(incident.id, () => this.deps.store.flushOutbox(incident));
    const deliveryProblem = await this.deliver(incident, decision, post);
    return { outcome: 'applied', incident, message: decision.message, changedSince: await this.changedSince(request, before), deliveryProblem };
  }

  /** Read, decide, write with optimistic concurrency; re-decides on the latest record after a conflict. */
  private async write(
    request: ActionRequest,
    decideOn: (incident: Incident, now: Date) => Decision,
  ): Promise<ActionResult | { applied: { incident: Incident; before: Incident; decision: Change; event: TimelineEvent; post?: PendingPost } }> {
    const { store, clock } = this.deps;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const incident = await store.findById(request.incidentId);
      if (!incident) return { outcome: 'not_found', message: 'That incident does not exist (any more). Nothing was changed.' };
      if (incident.outbox?.length) await store.flushOutbox(incident);
      if (incident.recentActions?.includes(request.key)) return { outcome: 'duplicate', incident, message: 'That was already done (a repeated click or retry); nothing changed twice.' };
      const now = clock.now();
      const decision = decideOn(incident, now);
      if ('refuse' in decision) return { outcome: 'refused', incident, message: decision.refuse, changedSince: await this.changedSince(request, incident) };
      const event: TimelineEvent = {
        ...timelineEvent(incident.id, decision.event.kind, request.key, { at: now, actor: actorOf(request.actor), payload: { ...decision.event.payload } }),
        version: incident.version + 1,
      };
      const post = decision.post ? { key: request.key, text: decision.post, by: request.actor } : undefined;
      const written = await store.applyChange(incident.id, incident.version, request.key, decision.set, event, post);
      if (written === 'missing') return { outcome: 'not_found', message: 'That incident does not exist (any more). Nothing was changed.' };
      if (written === 'duplicate') return { outcome: 'duplicate', incident, message: 'That was already done (a repeated click or retry); nothing changed twice.' };
      if (written === 'conflict') {
        // Someone else changed the incident between our read and write: back off a little and decide again on the new state.
        await clock.sleep(Math.round(this.random() * 5 * attempt));
        continue;
      }
      return { applied: { incident: written, before: incident, decision, event, post } };
    }
    return { outcome: 'refused', message: `${request.incidentId} is changing too fast right now; nothing was changed, please try again.` };
  }

  private async changedSince(request: ActionRequest, before: Incident): Promise<TimelineEvent[] | undefined> {
    if (request.seenVersion === undefined || request.seenVersion >= before.version) return undefined;
    return this.deps.store.listEventsSince(before.id, request.seenVersion);
  }

  /** Posts the update itself, then re-renders the card and broadcast for everyone. */
  private async deliver(incident: Incident, change: Change, post: PendingPost | undefined): Promise<string | undefined> {
    let problem = post && (await this.post(incident, post));
    if (change.topic && incident.channel) {
      try {
        await this.deps.workspace.updateChannelDescription(incident.channel.id, decide.topicText(incident, change.topic));
      } catch (error) {
        problem = `the topic is saved, but the channel description could not be updated: ${(error as Error).message}`;
      }
    }
    this.background(incident.id, () => this.refreshEverywhere(incident.id));
    return problem;
  }

  /** Posts an update to Teams and settles it (posted or reported as failed); returns the problem, if any. */
  private async post(incident: Incident, pending: PendingPost): Promise<string | undefined> {
    this.posting.add(pending.key);
    try {
      await this.deps.messenger.postUpdate(incident, pending.text, pending.by);
      return undefined;
    } catch (error) {
      this.deps.log.error({ incidentId: incident.id, err: (error as Error).message }, 'posting an update failed');
      return `the update is recorded, but posting it to Teams failed: ${(error as Error).message}`;
    } finally {
      await this.deps.store.settlePost(incident.id, pending.key);
      this.posting.delete(pending.key);
    }
  }

  /**
   * A retried action that was already applied: if the process that applied it died before
   * posting its update, the post is still undelivered on the record, and goes out now.
   */
  private async postLeftBehind(incident: Incident, key: string): Promise<void> {
    const pending = incident.undelivered?.find((p) => p.key === key);
    // Still being posted by this process (a retry that arrived mid-post): that post is enough.
    if (pending && !this.posting.has(key)) await this.post(incident, pending);
  }

  private background(incidentId: string, work: () => Promise<void>): void {
    const run: Promise<void> = work()
      .catch((error: unknown) => this.deps.log.warn({ incidentId, err: (error as Error).message }, 'background work after a change failed; the sweep retries it'))
      .finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /**
   * Re-renders the card and broadcast from the latest record. Concurrent requests for the same
   * incident coalesce, and a request arriving mid-render triggers one more render, so the last
   * card Teams shows is never older than the last change.
   */
  refreshEverywhere(incidentId: string): Promise<void> {
    const running = this.refreshing.get(incidentId);
    if (running) {
      this.dirty.add(incidentId);
      return running;
    }
    const run = (async () => {
      do {
        this.dirty.delete(incidentId);
        const latest = await this.deps.store.findById(incidentId);
        if (!latest) return;
        // Re-rendering is idempotent, so throttling and 5xx are simply retried.
        const retried = (send: () => Promise<void>) => withTransientRetries(this.deps.clock, 4, send);
        await Promise.all([
          latest.card && retried(() => this.deps.messenger.updateIncidentCard(latest)).catch((e: Error) => this.deps.log.warn({ incidentId, err: e.message }, 'card refresh failed')),
          latest.broadcast && retried(() => this.deps.messenger.updateBroadcast(latest)).catch((e: Error) => this.deps.log.warn({ incidentId, err: e.message }, 'broadcast refresh failed')),
        ]);
      } while (this.dirty.has(incidentId));
    })().finally(() => this.refreshing.delete(incidentId));
    this.refreshing.set(incidentId, run);
    return run;
  }

  /** Resolves when no outbox flush or card refresh is running (for shutdown, and tests). */
  async drain(): Promise<void> {
    while (this.refreshing.size > 0 || this.pending.size > 0) await Promise.allSettled([...this.refreshing.values(), ...this.pending]);
  }

  /** Finishes outboxes a crashed process left behind (their changes are recorded; the events follow). */
  async flushAllOutboxes(): Promise<number> {
    const pending = await this.deps.store.listWithOutbox(100);
    for (const incident of pending) await this.deps.store.flushOutbox(incident);
    return pending.length;
  }
}

function actorOf(person: Person) {
  if ('kind' in person) return person as unknown as typeof SYSTEM;
  return { kind: 'user' as const, id: person.id, name: person.name };
}
