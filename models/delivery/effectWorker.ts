/**
 * The outbox worker: delivers each incident's effects in order, one worker at a time per
 * incident (a lease in the database, so any replica can do it and a dead one is replaced), each
 * effect once. The process that recorded a change starts delivering it at once; the sweep picks
 * up what a dead or busy replica left behind.
 */
import type { Incident } from '../incident/incident.js';
import { incidentLabel } from '../incident/incident.js';
import type { Clock } from '../ports/clock.js';
import type { EffectStore } from '../ports/effectStore.js';
import type { Logger } from '../ports/logger.js';
import { PermanentError, TransientError } from '../support/errors.js';
import type { Effect, EffectKind, EffectState } from './effects.js';

/** What delivering one effect may ask of the worker. */
export interface DeliveryContext {
  /** An earlier attempt may have landed (it failed ambiguously, or its worker died): look for it before sending again. */
  readonly maybeSent: boolean;
  /** Call right before a message goes out: if this attempt fails, the next one looks first. */
  sending(): Promise<void>;
  /** Reactions that already ran for this effect, and noting one more (kept if the effect is retried). */
  readonly done: readonly string[];
  ran(name: string): Promise<void>;
}

/** Delivers one kind of effect. Throws TransientError to be retried, anything else to give up; NotReady to wait. */
export interface EffectHandler {
  deliver(incident: Incident, effect: Effect, context: DeliveryContext): Promise<void>;
}

/** The incident is not ready for this effect yet (e.g. its channel is still being created). */
export class NotReady extends Error {
  override readonly name = 'NotReady';
}

export interface EffectWorkerDeps {
  readonly store: EffectStore;
  readonly handlers: Readonly<Record<EffectKind, EffectHandler>>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Names this process's leases (unique per process: a restarted one must not think it still holds them). */
  readonly owner: string;
  readonly leaseMs: number;
  /** An effect that fails (or is not ready) for this long, or this many times, is given up. */
  readonly maxAttempts?: number;
  readonly giveUpAfterMs?: number;
  /** Told when an effect is given up, so people can see it. */
  readonly gaveUp?: (incident: Incident, effect: Effect, error: string) => Promise<void>;
  readonly random?: () => number;
}

const MAX_ATTEMPTS = 10;
const GIVE_UP_AFTER_MS = 60 * 60_000;
const NOT_READY_WAIT_MS = 1_000;
const RETRY_CAP_MS = 60_000;
const SWEEP_BATCH = 100;
/** Kinds that render the record as it is: a later one of the same kind does all an earlier one would. */
const COALESCED: ReadonlySet<EffectKind> = new Set(['refresh', 'topic']);

export class EffectWorker {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly wakeups = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly deps: EffectWorkerDeps) {}

  /** Delivers this incident's effects now (in the background; `drain` waits for it). */
  kick(incidentId: string): void {
    void this.deliverFor(incidentId);
  }

  /** Delivers what nobody is delivering: left by a dead replica, or waiting for its retry time. */
  async sweep(): Promise<number> {
    const ids = await this.deps.store.listWithEffects(this.deps.clock.now(), SWEEP_BATCH);
    await Promise.all(ids.map((id) => this.deliverFor(id)));
    return ids.length;
  }

  /** Resolves when no delivery is running in this process (retries due later are left to their timers and the sweep). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()]);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.wakeups.values()) clearTimeout(timer);
    this.wakeups.clear();
  }

  /** One loop per incident in this process; a kick while it runs makes it look again when done. */
  deliverFor(incidentId: string): Promise<void> {
    const current = this.running.get(incidentId);
    if (current) {
      this.again.add(incidentId);
      return current;
    }
    const run = (async () => {
      do {
        this.again.delete(incidentId);
        await this.deliverAll(incidentId).catch((error: unknown) =>
          this.deps.log.warn({ incidentId, err: (error as Error).message }, 'delivering effects failed; the sweep tries again'),
        );
      } while (this.again.has(incidentId) && !this.stopped);
    })().finally(() => this.running.delete(incidentId));
    this.running.set(incidentId, run);
    return run;
  }

  private leaseUntil(): Date {
    return new Date(this.deps.clock.now().getTime() + this.deps.leaseMs);
  }

  /**
   * Claims the incident's effects and delivers them until none is left. Effects taken over from
   * a worker whose lease expired may have been half sent: their posts are looked for first.
   * Settling is one write per change (all its effects at once); a worker that dies before that
   * leaves them to the next, which looks before posting again.
   */
  private async deliverAll(incidentId: string): Promise<void> {
    const { store, owner, clock } = this.deps;
    let claim = await store.claimEffects(incidentId, owner, this.leaseUntil(), clock.now());
    if (!claim) return;
    const inherited = new Set(claim.inherited ? (claim.incident.effects ?? []).map((e) => e.id) : []);
    // A failure of the database itself keeps the lease: when it expires, whoever takes over looks before posting.
    while (claim?.incident.effects?.length && !this.stopped) {
      const outcome = await this.deliverSnapshot(claim.incident, inherited);
      if (outcome === 'later') break;
      // Re-read (and renew the lease): changes recorded meanwhile added effects of their own.
      claim = await store.claimEffects(incidentId, owner, this.leaseUntil(), clock.now());
    }
    await store.releaseEffects(incidentId, owner);
  }

  /** The effects as claimed, in order; 'later' when the first undeliverable one must wait past the lease. */
  private async deliverSnapshot(incident: Incident, inherited: ReadonlySet<string>): Promise<'all' | 'later'> {
    const effects = incident.effects ?? [];
    const settled = new Set<string>();
    const settle = async (effect: Effect) => {
      settled.add(effect.id);
      const ofChange = effects.filter((e) => e.eventId === effect.eventId);
      if (ofChange.every((e) => settled.has(e.id))) await this.deps.store.settleChange(incident.id, effect.eventId, ofChange.map((e) => e.id));
    };
    let leaseFrom = this.deps.clock.now().getTime();
    for (const [index, effect] of effects.entries()) {
      if (COALESCED.has(effect.kind) && effects.slice(index + 1).some((e) => e.kind === effect.kind)) {
        await settle(effect);
        continue;
      }
      const stored = incident.effectState?.[effect.id];
      let state: EffectState = { attempts: 0, ...stored, maybeSent: Boolean(stored?.maybeSent) || inherited.has(effect.id) };
      for (;;) {
        const wait = state.notBefore ? new Date(state.notBefore).getTime() - this.deps.clock.now().getTime() : 0;
        if (wait > this.deps.leaseMs / 3) {
          // What was delivered of a change still waiting is settled one by one.
          for (const id of settled) await this.deps.store.settleEffect(incident.id, id);
          this.wakeAt(incident.id, wait);
          return 'later';
        }
        if (wait > 0) await this.deps.clock.sleep(wait);
        // Keep the lease while working through a long list or waiting for a retry.
        if (this.deps.clock.now().getTime() - leaseFrom > this.deps.leaseMs / 3) {
          if (!(await this.deps.store.claimEffects(incident.id, this.deps.owner, this.leaseUntil(), this.deps.clock.now()))) return 'later';
          leaseFrom = this.deps.clock.now().getTime();
        }
        const next = await this.attempt(incident, effect, state);
        if (!next) break;
        state = next;
      }
      await settle(effect);
    }
    return 'all';
  }

  /** Delivers once; returns the state to retry with (recorded), or nothing when the effect is done or given up. */
  private async attempt(incident: Incident, effect: Effect, state: EffectState): Promise<EffectState | undefined> {
    const { store, handlers, clock } = this.deps;
    let current = state;
    let sentNow = false;
    const context: DeliveryContext = {
      maybeSent: Boolean(state.maybeSent),
      sending: async () => {
        sentNow = true;
        current = { ...current, maybeSent: true };
      },
      done: state.done ?? [],
      ran: async (name) => {
        current = { ...current, done: [...(current.done ?? []), name] };
      },
    };
    try {
      await handlers[effect.kind].deliver(incident, effect, context);
      return undefined;
    } catch (error) {
      const message = (error as Error).message;
      const age = clock.now().getTime() - new Date(effect.at).getTime();
      const attempts = error instanceof NotReady ? current.attempts : current.attempts + 1;
      const giveUp = !(error instanceof TransientError || error instanceof NotReady) || attempts >= (this.deps.maxAttempts ?? MAX_ATTEMPTS) || age > (this.deps.giveUpAfterMs ?? GIVE_UP_AFTER_MS);
      if (giveUp) {
        await this.giveUp(incident, effect, error);
        return undefined;
      }
      const retryAfter = error instanceof NotReady ? NOT_READY_WAIT_MS : (error as TransientError).retryAfterMs ?? this.backoff(attempts);
      // Teams said it did not take what was just sent (and an earlier attempt was looked for first): nothing to look for next time.
      const refused = sentNow && error instanceof TransientError && error.refused;
      const next: EffectState = { ...current, attempts, lastError: message, notBefore: new Date(clock.now().getTime() + retryAfter), maybeSent: refused ? false : current.maybeSent };
      await store.markEffect(incident.id, effect.id, next);
      return next;
    }
  }

  /**
   * The first retry soon (a 503 or a reset is usually momentary, and people are waiting to see
   * their update in the channel), then growing by 3: 0.1, 0.3, 0.9, 2.7 s … capped at a minute,
   * so the ten attempts still span minutes of an outage. A 429's Retry-After is used instead.
   */
  private backoff(attempt: number): number {
    const ceiling = Math.min(RETRY_CAP_MS, 100 * 3 ** Math.max(0, attempt - 1));
    return Math.round(ceiling / 2 + ((this.deps.random ?? Math.random)() * ceiling) / 2);
  }

  private async giveUp(incident: Incident, effect: Effect, error: unknown): Promise<void> {
    const message = (error as Error).message;
    const hint = error instanceof PermanentError && error.hint ? ` (${error.hint})` : '';
    this.deps.log.error({ incident: incidentLabel(incident), effect: effect.kind, err: message }, 'an effect of a recorded change could not be delivered; given up');
    await this.deps.gaveUp?.(incident, effect, `${message}${hint}`).catch((e: unknown) => this.deps.log.warn({ incident: incidentLabel(incident), err: (e as Error).message }, 'could not record a delivery failure'));
  }

  /** Comes back for an incident whose next effect waits past the lease (the sweep would too, later). */
  private wakeAt(incidentId: string, ms: number): void {
    if (this.stopped || this.wakeups.has(incidentId)) return;
    const timer = setTimeout(() => {
      this.wakeups.delete(incidentId);
      this.kick(incidentId);
    }, ms);
    timer.unref();
    this.wakeups.set(incidentId, timer);
  }
}
