import { PermanentError, TransientError } from '../support/errors.js';
import { PROVISIONING_STEPS, type Incident, type Provisioning, type ProvisioningStep, type StepState } from '../incident/incident.js';
import { NO_TELEMETRY, type Telemetry } from '../ports/telemetry.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import type { StepFields } from '../ports/provisioningStore.js';
import type { TabSpec, Workspace } from '../ports/workspace.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';
import { SYSTEM, timelineEvent, type TimelineEvent } from '../incident/timeline.js';
import { WarRoomSteps, type StepAction } from './warRoomSteps.js';
import { RoomRecord, type KnownStep } from './roomRecord.js';

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly capMs: number;
}

export interface ProvisioningConfig {
  /** Each tenant's channel-name pattern and meeting subject. */
  readonly profiles: TenantProfiles;
  readonly meetingHours: number;
  readonly retry: RetryPolicy;
  readonly leaseMs: number;
  /** Who this process is, for the provisioning lease (several replicas share one database). */
  readonly owner: string;
  readonly tabFor: (incident: Incident) => Omit<TabSpec, 'channelId'>;
  /** The company-wide broadcast channel, if one is configured (and its team, when not the incidents team). */
  readonly broadcastChannel?: { readonly channelId: string; readonly teamId?: string };
}

export interface ProvisioningDeps {
  readonly store: IncidentStore;
  readonly workspace: Workspace;
  readonly messenger: Messenger;
  readonly clock: Clock;
  readonly log: Logger;
  readonly config: ProvisioningConfig;
  readonly random?: () => number;
  /**
   * Runs when provisioning of an incident starts, every time (first run or resume): paging
   * schedules its timers here, idempotently, so an incident declared just before a crash is
   * still paged once a replica picks it up.
   */
  readonly onStart?: (incident: Incident) => Promise<void>;
  readonly telemetry?: Telemetry;
}

/** One step under way: its result as soon as it is known, and once it is on the record. */
interface StepRun {
  readonly known: Promise<KnownStep>;
  readonly saved: Promise<{ state: StepState; incident: Incident }>;
}

interface StepTiming {
  /** Told the result the moment it is known, synchronously, before anything is written. */
  readonly onKnown?: (known: KnownStep) => void;
  /** What the result's write waits for (asked once the result is known; failures are written at once). */
  readonly saveAfter?: () => Promise<unknown>;
}

/** The steps that start the moment the channel is known. */
interface Room {
  readonly tab: StepRun;
  readonly card: StepRun;
  readonly broadcast: StepRun;
}

/** The steps a card with the links shows as they ended (their later writes need no second drawing). */
const SHOWN_WITH_LINKS: readonly ProvisioningStep[] = ['channel', 'meeting', 'tab', 'card', 'cardLinks'];

/** Capped exponential backoff with jitter; Retry-After from the server wins when given. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The war room as a resumable saga, two Graph round trips to the card with its links: channel
 * and meeting first (they are independent); the moment Graph answers for the channel, tab, card
 * and broadcast; the moment the card, tab and meeting exist, the card shows their links. The
 * reporter's answer and the meeting chat's tab (two more round trips) follow off that path, and
 * the results are written once the posts on it are out. A result is written only after what it
 * was made from, so a restart (or another replica, once the lease expires) picks up exactly where
 * this one stopped: a step that ran before its input was written finds what it made.
 */
export class Provisioner {
  private readonly random: () => number;
  private readonly telemetry: Telemetry;
  private readonly steps: WarRoomSteps;
  /**
   * The war rooms this process is building: its own sweep never starts a second run of one whose
   * lease ran out while a step was slow (another replica may, once the lease has expired).
   */
  private readonly inHand = new Set<string>();
  /** Resolved at shutdown: steps in hand finish, no new step or retry starts, leases are released. */
  private stopping = false;
  private stopSignal!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.stopSignal = resolve));

  constructor(private readonly deps: ProvisioningDeps) {
    const { config } = deps;
    this.steps = new WarRoomSteps({ ...deps, profiles: config.profiles, meetingHours: config.meetingHours, tabFor: config.tabFor, broadcastChannel: config.broadcastChannel });
    this.random = deps.random ?? Math.random;
    this.telemetry = deps.telemetry ?? NO_TELEMETRY;
  }

  /**
   * Shutdown: finish the Graph/connector calls in flight, start nothing new, give the leases
   * back (provision's finally) so another replica carries on at once instead of after expiry.
   */
  stop(): void {
    this.stopping = true;
    this.stopSignal();
  }

  /**
   * The lease a new record is stored with, so the process that declares it provisions it
   * without another write to claim it. None while stopping: another replica takes it at once.
   */
  leaseForNew(): Pick<Provisioning, 'lease' | 'claims'> {
    return this.stopping ? {} : { lease: { owner: this.deps.config.owner, until: this.leaseUntil() }, claims: 1 };
  }

  /**
   * Provisions what is still pending. Returns undefined when another process holds the lease.
   * `declared`: the record as this process just stored it with leaseForNew().
   */
  async provision(id: string, declared?: Incident): Promise<Incident | undefined> {
    if (this.inHand.has(id)) return undefined;
    this.inHand.add(id);
    try {
      return await this.provisionInHand(id, declared);
    } finally {
      this.inHand.delete(id);
    }
  }

  private async provisionInHand(id: string, declared: Incident | undefined): Promise<Incident | undefined> {
    const { store, clock, config } = this.deps;
    const claimed = this.heldSinceDeclared(id, declared) ?? (await store.claimProvisioning(id, config.owner, this.leaseUntil(), clock.now()));
    if (!claimed) return undefined;
    try {
      const room = this.buildRoom(claimed);
      // Paging's timers are scheduled beside the war room, once its first Graph calls are on their way.
      const paging = this.deps.onStart?.(claimed).catch((error: unknown) => this.deps.log.error({ incidentId: id, err: (error as Error).message }, 'scheduling the paging timers failed; the next resume retries'));
      await room;
      await paging;
      // Stopped half-way: the steps left are still pending, for whoever claims it next.
      if (!this.stopping) await store.markProvisioned(id, config.owner);
    } finally {
      await store.releaseProvisioning(id, config.owner);
    }
    return store.findById(id);
  }

  /**
   * The saga's order. Writes wait for the posts on the card's path to be out, so they stay off
   * it, and a result is written only after what it was made from: the record never holds a step
   * done whose input it lacks. After a crash in between, the resumed claim finds what was made.
   */
  private async buildRoom(claimed: Incident): Promise<void> {
    const { id } = claimed;
    // An earlier claim may have stopped mid-step: every step then looks for what it may have made before making it.
    const resumed = (claimed.provisioning.claims ?? 1) > 1;
    const record = new RoomRecord(claimed);
    const run = (from: Incident, step: ProvisioningStep, action: StepAction, timing?: StepTiming) => this.step(record, from, step, action, resumed, timing);
    const { steps } = this;
    const firstCardOut = signal();
    const linksOut = signal();

    // The channel goes first: everything on the way to the card waits for it. What needs it
    // starts the moment Graph answers, before the channel is written (a resumed claim adopts it).
    let roomOpened!: (room: Room) => void;
    const room = new Promise<Room>((resolve) => (roomOpened = resolve));
    const afterChannel = () => channel.saved;
    const channel = run(claimed, 'channel', steps.createChannel, {
      saveAfter: () => firstCardOut.done,
      onKnown: () => {
        // The tab first: its Graph round trip is on the way to the card's links.
        const tab = run(record.latest, 'tab', steps.addTab, { saveAfter: () => Promise.all([channel.saved, linksOut.done]) });
        const card = run(record.latest, 'card', steps.postCard, { saveAfter: afterChannel });
        card.known.then(firstCardOut.give, firstCardOut.give);
        roomOpened({ tab, card, broadcast: run(record.latest, 'broadcast', steps.postBroadcast, { saveAfter: afterChannel }) });
      },
    });
    // Written once the first card is out (after the channel, however long that takes): createOrGet on the incident's id finds it again after a crash.
    const meeting = run(claimed, 'meeting', steps.createMeeting, { saveAfter: () => firstCardOut.done });
    // The meeting chat's tab takes more round trips (install the app in the chat, then pin): off the card's path.
    const meetingTab = handled(meeting.saved.then(() => run(record.latest, 'meetingTab', steps.addMeetingTab).saved));
    // From the record as it is then: the "declaring…" reply it updates is recorded while the channel is made.
    const reporter = handled(channel.saved.then(() => this.current(id)).then((latest) => run(latest, 'reporter', steps.notifyReporter).saved));

    // (The room opens as the channel's result is known, which is before it is saved: the race only carries a failed write.)
    const { tab, card, broadcast } = await Promise.race([room, channel.saved.then(() => room)]);
    // The links as soon as card, tab and meeting exist (or failed), drawn from what is known; on the record once what they show is.
    await Promise.all([channel.known, meeting.known, tab.known, card.known]);
    const shownSaved = handled(Promise.all([channel.saved, meeting.saved, tab.saved, card.saved]));
    let drawn = claimed.version;
    const links = run(record.latest, 'cardLinks', async (_, attempt) => {
      const shown = record.latest;
      try {
        const outcome = await steps.refreshCard(shown, attempt);
        drawn = shown.version;
        return outcome;
      } finally {
        linksOut.give();
        await shownSaved;
      }
    });
    await links.saved.finally(linksOut.give);

    // Drawn again only if the record moved on meanwhile in a way the card does not show.
    const redrawIfMovedOn = async () => {
      const now = await this.current(id);
      if (!now.card || !record.movedOn(drawn, SHOWN_WITH_LINKS, now)) return;
      await steps.refreshCard(now, 1).catch((error: unknown) => this.deps.log.warn({ incidentId: id, err: (error as Error).message }, 'drawing the card again failed; the next change draws it'));
      drawn = now.version;
    };
    await Promise.all([broadcast.saved, reporter]);
    await redrawIfMovedOn();
    await meetingTab;
    await redrawIfMovedOn();
  }

  /** After a restart: finish every incident whose war room was left half-built. */
  async resumeAll(): Promise<number> {
    const unfinished = await this.deps.store.listUnprovisioned(100, this.deps.clock.now());
    const results = await Promise.allSettled(unfinished.map((incident) => this.provision(incident.id)));
    for (const result of results) {
      if (result.status === 'rejected') this.deps.log.error({ err: result.reason }, 'resuming provisioning failed');
    }
    return unfinished.length;
  }

  /** The record as declared here, if it still carries the first lease, ours and unexpired. */
  private heldSinceDeclared(id: string, declared: Incident | undefined): Incident | undefined {
    const held = declared?.provisioning;
    const ours = held?.lease?.owner === this.deps.config.owner && held.claims === 1 && !held.complete && held.lease.until > this.deps.clock.now();
    return ours && declared!.id === id ? declared : undefined;
  }

  private leaseUntil(): Date {
    return new Date(this.deps.clock.now().getTime() + this.deps.config.leaseMs);
  }

  private async current(id: string): Promise<Incident> {
    const incident = await this.deps.store.findById(id);
    if (!incident) throw new Error(`incident ${id} vanished during provisioning`);
    return incident;
  }

  /**
   * Runs one step from the record as the step before it left it (no re-read on the critical
   * path). Its result is known (onKnown, synchronously, before anything is saved) as soon as the
   * action returns; a failure once it is recorded.
   */
  private step(record: RoomRecord, from: Incident, step: ProvisioningStep, action: StepAction, resumed: boolean, { onKnown, saveAfter }: StepTiming = {}): StepRun {
    let tell!: (known: KnownStep) => void;
    let told = false;
    let fail!: (error: unknown) => void;
    const known = new Promise<KnownStep>((resolve, reject) => {
      tell = (result) => {
        if (told) return;
        told = true;
        record.learn(result);
        onKnown?.(result);
        resolve(result);
      };
      fail = reject;
    });
    const saved = this.attempts(record, from, step, action, resumed, tell, saveAfter).then(
      (result) => (tell({ step, state: result.state }), result),
      (error: unknown) => {
        fail(error);
        throw error;
      },
    );
    return { known: handled(known), saved: handled(saved) };
  }

  /**
   * The attempts at one step. The attempt is recorded before it is made, except the very first
   * attempt of the first claim: nothing can exist from before it, and after a crash the next
   * claim (resumed) looks first.
   */
  private async attempts(
    record: RoomRecord,
    from: Incident,
    step: ProvisioningStep,
    action: StepAction,
    resumed: boolean,
    tell: (known: KnownStep) => void,
    saveAfter?: () => Promise<unknown>,
  ): Promise<{ state: StepState; incident: Incident }> {
    const { store, clock, config, log } = this.deps;
    const id = from.id;
    const save = async (state: StepState, fields?: StepFields, event?: TimelineEvent) => record.saved(step, await store.saveStep(id, step, state, fields, event));
    let incident = from;
    // Records from before a step existed have no state for it: it is pending.
    let state = incident.provisioning.steps[step] ?? { status: 'pending', attempts: 0 };
    for (let attempt = state.attempts + 1; state.status === 'pending' && !this.stopping; attempt++) {
      // A step that finds attempts > 1 knows an earlier try may have succeeded out of our sight, and checks before creating again.
      const effective = resumed ? attempt + 1 : attempt;
      if (effective > 1) incident = await save({ status: 'pending', attempts: attempt, error: state.error });
      try {
        const outcome = await action(incident, effective);
        const done: StepState = { status: outcome.skipped ? 'skipped' : 'done', attempts: attempt, at: clock.now() };
        const fields = outcome.skipped ? undefined : outcome.fields;
        tell({ step, state: done, fields });
        await saveAfter?.();
        const event = outcome.event && timelineEvent(id, outcome.event.kind, step, { at: clock.now(), actor: SYSTEM, payload: outcome.event.payload });
        incident = await save(done, outcome.fields, event);
        this.telemetry.provisioningStep(step, 'done');
        return { state: done, incident };
      } catch (error) {
        const retryable = error instanceof TransientError && attempt < config.retry.maxAttempts;
        if (retryable) {
          const wait = backoffMs(config.retry, attempt, this.random, error.retryAfterMs);
          log.warn({ incidentId: id, step, attempt, wait, err: error.message }, 'provisioning step failed; retrying');
          state = { status: 'pending', attempts: attempt, error: error.message };
          this.telemetry.provisioningStep(step, 'retried');
          // On the record while it waits: the attempt made and why it failed.
          incident = await save(state);
          await store.renewProvisioning(id, config.owner, new Date(clock.now().getTime() + wait + config.leaseMs));
          await Promise.race([clock.sleep(wait), this.stopped]);
          continue;
        }
        this.telemetry.provisioningStep(step, 'failed');
        state = failure(error, attempt, clock.now());
        log.error({ incidentId: id, step, attempt, err: state.error, hint: state.hint }, 'provisioning step failed');
        incident = await save(state, undefined, timelineEvent(id, 'provisioning_failed', step, { at: clock.now(), actor: SYSTEM, payload: { step, error: state.error, hint: state.hint } }));
      }
    }
    return { state, incident };
  }
}

/** Given once, from wherever comes first; waited for by those whose writes must follow. */
function signal(): { readonly done: Promise<void>; readonly give: () => void } {
  let give!: () => void;
  const done = new Promise<void>((resolve) => (give = resolve));
  return { done, give };
}

/**
 * A promise some paths never wait for (the run stopped early): its failure is not unhandled, and
 * whoever does wait for it still hears of it.
 */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function failure(error: unknown, attempts: number, at: Date): StepState {
  if (error instanceof PermanentError) return { status: 'failed', attempts, at, error: error.message, hint: error.hint };
  if (error instanceof TransientError) return { status: 'failed', attempts, at, error: `${error.message} (gave up after ${attempts} attempts)` };
  return { status: 'failed', attempts, at, error: error instanceof Error ? error.message : String(error) };
}

export function provisioningFailures(incident: Incident): { step: ProvisioningStep; error: string; hint?: string }[] {
  return PROVISIONING_STEPS.flatMap((step) => {
    const state = incident.provisioning.steps[step];
    return state?.status === 'failed' ? [{ step, error: state.error ?? 'failed', hint: state.hint }] : [];
  });
}
