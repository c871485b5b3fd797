import type { Incident, PendingPost } from '../incident/incident.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentLookup } from '../ports/incidentLookup.js';
import type { ChangeStore } from '../ports/changeStore.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import type { Workspace } from '../ports/workspace.js';
import { withTransientRetries } from '../support/retry.js';
import { PermanentError } from '../support/errors.js';
import { md } from '../support/markdown.js';
import { channelDescription, type Change } from './decisions.js';

export interface ChangeDeliveryDeps {
  readonly store: Pick<IncidentLookup, 'findById'> & Pick<ChangeStore, 'settlePost'>;
  readonly messenger: Pick<Messenger, 'postUpdate' | 'updateIncidentCard' | 'updateBroadcast'>;
  readonly workspace: Pick<Workspace, 'updateChannelDescription'>;
  readonly clock: Clock;
  readonly log: Logger;
}

/**
 * Delivering a recorded change to Teams: the update it posts, the channel's topic line, and the
 * card and broadcast re-rendered for everyone. Background work is tracked so shutdown (and
 * tests) can wait for it.
 */
export class ChangeDelivery {
  private readonly refreshing = new Map<string, Promise<void>>();
  private readonly dirty = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  /** Action keys whose update this process is posting right now. */
  private readonly posting = new Set<string>();

  constructor(private readonly deps: ChangeDeliveryDeps) {}

  /** Posts the update itself and the topic line, then re-renders the card and broadcast for everyone; returns a problem to tell the actor, if any. */
  async deliver(incident: Incident, change: Change, post: PendingPost | undefined): Promise<string | undefined> {
    let problem = post && (await this.post(incident, post));
    // The channel header says the current severity and topic: rewritten when either changes.
    if ((change.topic || change.event.kind === 'severity_changed') && incident.channel) {
      try {
        await this.deps.workspace.updateChannelDescription(incident.channel.id, channelDescription(incident));
      } catch (error) {
        const hint = error instanceof PermanentError && error.hint ? ` (${error.hint})` : '';
        problem = `the change is saved, but the channel description could not be updated: ${(error as Error).message}${hint}`;
      }
    }
    this.background(incident.id, () => this.refreshEverywhere(incident.id));
    return problem;
  }

  /**
   * A retried action that was already applied: if the process that applied it died before
   * posting its update, the post is still undelivered on the record, and goes out now.
   */
  async postLeftBehind(incident: Incident, key: string): Promise<void> {
    // Still being posted by this process (a retry that arrived mid-post): that post is enough.
    if (!incident.undelivered?.some((p) => p.key === key) || this.posting.has(key)) return;
    // Posted and settled since the retry read the record (the first click finished meanwhile): nothing left behind.
    const latest = await this.deps.store.findById(incident.id);
    const pending = latest?.undelivered?.find((p) => p.key === key);
    if (latest && pending && !this.posting.has(key)) await this.post(latest, pending);
  }

  /** Posts an update to Teams and settles it (posted or reported as failed); returns the problem, if any. */
  private async post(incident: Incident, pending: PendingPost): Promise<string | undefined> {
    this.posting.add(pending.key);
    try {
      // The update is what the person typed: the channel reads it as typed, escaped.
      await this.deps.messenger.postUpdate(incident, md`${pending.text}`, pending.by);
      return undefined;
    } catch (error) {
      this.deps.log.error({ incidentId: incident.id, err: (error as Error).message }, 'posting an update failed');
      return `the update is recorded, but posting it to Teams failed: ${(error as Error).message}`;
    } finally {
      await this.deps.store.settlePost(incident.id, pending.key);
      this.posting.delete(pending.key);
    }
  }

  /** Runs work after the actor has their answer; a failure is logged and left to the sweep. */
  background(incidentId: string, work: () => Promise<void>): void {
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

  /** Resolves when no delivery, reaction or card refresh is running (for shutdown, and tests). */
  async drain(): Promise<void> {
    while (this.refreshing.size > 0 || this.pending.size > 0) await Promise.allSettled([...this.refreshing.values(), ...this.pending]);
  }
}
