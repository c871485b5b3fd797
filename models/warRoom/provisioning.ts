import { channelName } from './channelName.js';
import { ChannelBudget } from './channelBudget.js';
import { channelDescription, isOurChannel } from '../actions/decisions.js';
import { NameTakenError, PermanentError, TransientError } from '../support/errors.js';
import { incidentLabel, PROVISIONING_STEPS, type Incident, type ProvisioningStep, type StepState } from '../incident/incident.js';
import { NO_TELEMETRY, type Telemetry } from '../ports/telemetry.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import type { StepFields } from '../ports/provisioningStore.js';
import type { TabSpec, Workspace } from '../ports/workspace.js';
import { fillText, type TenantProfiles } from '../incident/tenantProfile.js';
import { SYSTEM, timelineEvent, type EventKind } from '../incident/timeline.js';

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

interface StepOutcome {
  /** Nothing to do for this incident (e.g. a monitor-declared incident has no reporter chat). */
  readonly skipped?: boolean;
  readonly fields?: StepFields;
  readonly event?: { kind: EventKind; payload: Record<string, unknown> };
}

type StepAction = (incident: Incident, attempt: number) => Promise<StepOutcome>;

/** Capped exponential backoff with jitter; Retry-After from the server wins when given. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return retryAfterMs;
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * The war room as a resumable saga: channel and meeting first (they are independent), then
 * tab, card, broadcast and the reporter's answer together, then the card is updated with the
 * links (the meeting chat's tab follows off that path).
 * Each step's result is saved as it lands, so a restart (or another replica, once the lease
 * expires) picks up exactly where this one stopped.
 */
export class Provisioner {
  private readonly random: () => number;
  private readonly telemetry: Telemetry;
  /** Resolved at shutdown: steps in hand finish, no new step or retry starts, leases are released. */
  private stopping = false;
  private stopSignal!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.stopSignal = resolve));
  private readonly budget: ChannelBudget;

  constructor(private readonly deps: ProvisioningDeps) {
    this.budget = new ChannelBudget({ workspace: deps.workspace, clock: deps.clock });
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

  /** Provisions what is still pending. Returns undefined when another process holds the lease. */
  async provision(id: string): Promise<Incident | undefined> {
    const { store, clock, config } = this.deps;
    const claimed = await store.claimProvisioning(id, config.owner, this.leaseUntil(), clock.now());
    if (!claimed) return undefined;
    try {
      // Paging's timers are scheduled beside the war room, not before it.
      const paging = this.deps.onStart?.(claimed).catch((error: unknown) => this.deps.log.error({ incidentId: id, err: (error as Error).message }, 'scheduling the paging timers failed; the next resume retries'));
      // An earlier claim may have stopped mid-step: every step then looks for what it may have made before making it.
      const resumed = (claimed.provisioning.claims ?? 1) > 1;
      const run = (from: Incident, step: ProvisioningStep, action: StepAction, landed?: (incident: Incident) => void) => this.step(from, step, action, resumed, landed);
      const meeting = run(claimed, 'meeting', (incident) => this.createMeeting(incident));
      // What needs the channel starts as soon as Graph answers, while the channel is being saved
      // (after a crash in between, the resumed claim adopts the channel and finds the card).
      let roomStarted!: (incident: Incident) => void;
      const withChannel = new Promise<Incident>((resolve) => (roomStarted = resolve));
      const channel = run(claimed, 'channel', (incident) => this.createChannel(incident), (incident) => roomStarted(incident)).then((result) => (roomStarted(result.incident), result));
      const room = withChannel.then((incident) =>
        Promise.all([
          run(incident, 'tab', (i, attempt) => this.addTab(i, attempt)),
          run(incident, 'card', (i, attempt) => this.postCard(i, attempt)),
          run(incident, 'broadcast', (i, attempt) => this.postBroadcast(i, attempt)),
          // Off the critical path, from the record as it is then: the "declaring…" reply it updates is recorded while the channel is made.
          channel.then(() => this.current(id)).then((latest) => run(latest, 'reporter', (i) => this.notifyReporter(i))),
        ]),
      );
      // The meeting chat's tab takes more round trips (install the app in the chat, then pin): the
      // card gets its bridge and tab links as soon as those exist, not after it.
      const meetingTab = meeting.then(({ incident }) => run(incident, 'meetingTab', (i, attempt) => this.addMeetingTab(i, attempt)));
      await Promise.all([meeting, channel, room]);
      await run(await this.current(id), 'cardLinks', (incident) => this.refreshCard(incident));
      if ((await meetingTab).state.status === 'failed') await this.refreshCard(await this.current(id)).catch(() => undefined);
      await paging;
      // Stopped half-way: the steps left are still pending, for whoever claims it next.
      if (!this.stopping) await store.markProvisioned(id, config.owner);
    } finally {
      await store.releaseProvisioning(id, config.owner);
    }
    return store.findById(id);
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

  private leaseUntil(): Date {
    return new Date(this.deps.clock.now().getTime() + this.deps.config.leaseMs);
  }

  private async current(id: string): Promise<Incident> {
    const incident = await this.deps.store.findById(id);
    if (!incident) throw new Error(`incident ${id} vanished during provisioning`);
    return incident;
  }

  /**
   * Runs one step from the record as the step before it left it (no re-read on the critical path).
   * The attempt is recorded before it is made, except the very first attempt of the first claim:
   * nothing can exist from before it, and after a crash the next claim (resumed) looks first.
   */
  private async step(from: Incident, step: ProvisioningStep, action: StepAction, resumed: boolean, landed?: (incident: Incident) => void): Promise<{ state: StepState; incident: Incident }> {
    const { store, clock, config, log } = this.deps;
    const id = from.id;
    let incident = from;
    // Records from before a step existed have no state for it: it is pending.
    let state = incident.provisioning.steps[step] ?? { status: 'pending', attempts: 0 };
    for (let attempt = state.attempts + 1; state.status === 'pending' && !this.stopping; attempt++) {
      // A step that finds attempts > 1 knows an earlier try may have succeeded out of our sight, and checks before creating again.
      const effective = resumed ? attempt + 1 : attempt;
      if (effective > 1) incident = await store.saveStep(id, step, { status: 'pending', attempts: attempt, error: state.error });
      try {
        const outcome = await action(incident, effective);
        const done: StepState = { status: outcome.skipped ? 'skipped' : 'done', attempts: attempt, at: clock.now() };
        const event = outcome.event && timelineEvent(id, outcome.event.kind, step, { at: clock.now(), actor: SYSTEM, payload: outcome.event.payload });
        if (outcome.fields && !outcome.skipped) landed?.({ ...incident, ...outcome.fields } as Incident);
        [incident] = await Promise.all([store.saveStep(id, step, done, outcome.fields), event && store.appendEvent(event)]);
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
          incident = await store.saveStep(id, step, state);
          await store.renewProvisioning(id, config.owner, new Date(clock.now().getTime() + wait + config.leaseMs));
          await Promise.race([clock.sleep(wait), this.stopped]);
          continue;
        }
        this.telemetry.provisioningStep(step, 'failed');
        state = failure(error, attempt, clock.now());
        log.error({ incidentId: id, step, attempt, err: state.error, hint: state.hint }, 'provisioning step failed');
        [incident] = await Promise.all([
          store.saveStep(id, step, state),
          store.appendEvent(timelineEvent(id, 'provisioning_failed', step, { at: clock.now(), actor: SYSTEM, payload: { step, error: state.error, hint: state.hint } })),
        ]);
      }
    }
    return { state, incident };
  }

  private async createChannel(incident: Incident): Promise<StepOutcome> {
    const { workspace, config } = this.deps;
    const budget = await this.budget.check();
    if ('full' in budget) throw new PermanentError(`there is no room for another channel: ${budget.full}`, 'Ask a Teams admin for a new incidents team (TEAMS_TEAM_ID), or to delete channels nobody needs (they free their place after 30 days).');
    if (budget.warning) this.deps.log.warn({ incident: incidentLabel(incident), channels: budget.count }, budget.warning);
    const note = budget.warning ? { warning: budget.warning } : {};
    const description = channelDescription(incident);
    const nameInput = { number: incident.number, title: incident.title, severity: incident.severity, declaredAt: incident.milestones.declared };
    for (let attempt = 1; attempt <= 10; attempt++) {
      const displayName = channelName(config.profiles.for(incident.tenantId).channelNamePattern, nameInput, attempt);
      try {
        const channel = await workspace.createChannel({ displayName, description });
        this.budget.created();
        return { fields: { channel }, event: { kind: 'channel_created', payload: { ...channel, ...note } } };
      } catch (error) {
        if (!(error instanceof NameTakenError)) throw error;
        // Ours from an attempt that crashed before we saved it? Adopt it instead of making another.
        const existing = await workspace.findChannelByName(displayName);
        if (existing && isOurChannel(incident, existing.description)) {
          const channel = { id: existing.id, name: existing.name, webUrl: existing.webUrl };
          return { fields: { channel }, event: { kind: 'channel_created', payload: { ...channel, adopted: true, ...note } } };
        }
      }
    }
    throw new PermanentError('every candidate channel name is taken', 'Rename or delete old incident channels, or change channelNamePattern in TENANT_CONFIG_FILE.');
  }

  private async createMeeting(incident: Incident): Promise<StepOutcome> {
    const startsAt = incident.milestones.declared;
    const template = this.deps.config.profiles.for(incident.tenantId).texts.meetingSubject;
    const meeting = await this.deps.workspace.createMeeting({
      subject: fillText(template, { label: incidentLabel(incident), title: incident.title, severity: incident.severity }),
      externalId: incident.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + this.deps.config.meetingHours * 3_600_000),
    });
    return { fields: { meeting }, event: { kind: 'meeting_created', payload: { ...meeting } } };
  }

  private async addTab(incident: Incident, attempt: number): Promise<StepOutcome> {
    const channel = requireChannel(incident);
    const spec = { ...this.deps.config.tabFor(incident), channelId: channel.id };
    const earlier = attempt > 1 ? await this.deps.workspace.findTab(channel.id, spec.entityId) : undefined;
    const tab = earlier ?? (await this.deps.workspace.addTab(spec));
    return { fields: { tab }, event: { kind: 'tab_added', payload: { ...tab } } };
  }

  /** The bridge carries the incident tab, so people on the call see the timeline and checklist. */
  private async addMeetingTab(incident: Incident, attempt: number): Promise<StepOutcome> {
    const chatId = incident.meeting?.chatId;
    if (!chatId) return { skipped: true };
    const spec = { ...this.deps.config.tabFor(incident), chatId };
    const earlier = attempt > 1 ? await this.deps.workspace.findMeetingTab(chatId, spec.entityId) : undefined;
    const meetingTab = earlier ?? (await this.deps.workspace.addMeetingTab(spec));
    return { fields: { meetingTab }, event: { kind: 'meeting_tab_added', payload: { ...meetingTab, chatId } } };
  }

  /**
   * A retry (attempt > 1) may follow an attempt whose post landed but whose answer was lost
   * (a crash, a dropped connection): look for that card before posting another.
   */
  private async postCard(incident: Incident, attempt: number): Promise<StepOutcome> {
    const channel = requireChannel(incident);
    const earlier = attempt > 1 ? await this.findEarlier(incident, { channelId: channel.id }, 'refresh') : undefined;
    const card = earlier ?? (await this.deps.messenger.postIncidentCard(incident));
    return { fields: { card }, event: { kind: 'card_posted', payload: { ...card, ...(earlier ? { adopted: true } : {}) } } };
  }

  private async findEarlier(incident: Incident, where: { channelId: string; teamId?: string }, verb: string) {
    const activityId = await this.deps.workspace.findPostedCard(where, incident.id, verb);
    return activityId ? this.deps.messenger.rootMessage(incident.tenantId, where.channelId, activityId) : undefined;
  }

  private async postBroadcast(incident: Incident, attempt: number): Promise<StepOutcome> {
    const where = this.deps.config.broadcastChannel;
    if (!where) return { skipped: true };
    requireChannel(incident);
    const earlier = attempt > 1 ? await this.findEarlier(incident, where, 'follow') : undefined;
    const broadcast = earlier ?? (await this.deps.messenger.postBroadcast(incident));
    return { fields: { broadcast }, event: { kind: 'broadcast_posted', payload: { ...broadcast, ...(earlier ? { adopted: true } : {}) } } };
  }

  private async notifyReporter(incident: Incident): Promise<StepOutcome> {
    if (!incident.source.replyTo) return { skipped: true };
    await this.deps.messenger.notifyReporter(incident);
    return { event: { kind: 'reporter_notified', payload: { conversationId: incident.source.replyTo.conversationId } } };
  }

  /** The card went out before the meeting and tab existed; now show their links (or failures). */
  private async refreshCard(incident: Incident): Promise<StepOutcome> {
    if (!incident.card) return { skipped: true };
    await this.deps.messenger.updateIncidentCard(incident);
    return {};
  }
}

function requireChannel(incident: Incident) {
  if (incident.channel) return incident.channel;
  const failed = incident.provisioning.steps.channel;
  throw new PermanentError(`the incident channel does not exist${failed.error ? ` (${failed.error})` : ''}`, failed.hint);
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
