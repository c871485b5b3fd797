/**
 * Getting people there and keeping them talking, on durable timers:
 * - declare → page the first level of the escalation policy (the on-call Incident Commander);
 * - not acknowledged within the severity's window (15 min by default) → escalate: page the next
 *   level and tell the channel; repeat up the policy;
 * - while the incident is active, a status-update reminder every N minutes (10 by default) that
 *   says how long since the last update; escalation-matrix reminders at set ages;
 * - after resolution, post-mortem reminders until it is published.
 * Each timer checks the incident when it fires, and state changes cancel the timers they make moot.
 */
import type { ActionResult, IncidentActions } from '../actions/incidentActions.js';
import { incidentLabel, type Incident } from '../incident/incident.js';
import { jobId, RetryLater, type Job, type JobKind, type JobStore } from './jobs.js';
import { isOpen } from '../incident/lifecycle.js';
import { levelPeople, onCallSchema, ownersOf, timingFor, type OnCallSetup } from './oncall.js';
import type { EscalationLevel } from '../incident/incidentTypes.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';
import type { Person } from '../incident/person.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import type { Pager } from '../ports/pager.js';
import { SYSTEM, timelineEvent, type TimelineEvent } from '../incident/timeline.js';
import { md, mdCode, type Markdown } from '../support/markdown.js';

export interface PagingDeps {
  readonly store: IncidentStore;
  readonly jobs: JobStore;
  readonly actions: Pick<IncidentActions, 'run'>;
  readonly messenger: Pick<Messenger, 'postNotice'>;
  readonly pager: Pager;
  /** The current on-call setup (file, or as changed by the `oncall` command); undefined when none is configured. */
  readonly setup: (tenantId: string) => Promise<OnCallSetup | undefined>;
  /** Each incident's type: whom it pages (the rota's policy, nobody, or its own policy). Undefined: every incident pages the rota's policy. */
  readonly types?: Pick<TenantProfiles, 'typeOf'>;
  readonly clock: Clock;
  readonly log: Logger;
}

/** The job kinds that only make sense until someone acknowledges. */
const UNTIL_ACK: readonly JobKind[] = ['page', 'escalate'];
/** The job kinds that only make sense while the incident is active. */
const WHILE_ACTIVE: readonly JobKind[] = ['page', 'escalate', 'update_reminder', 'matrix_reminder'];
const MINUTE = 60_000;


const ago = (from: Date, to: Date) => {
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / MINUTE));
  return minutes < 90 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
};

const NO_SETUP: Pick<OnCallSetup, 'timings'> = { timings: {} };

/**
 * The on-call setup with a type's own escalation levels instead of the rota's policy. Levels that
 * name people need no rota; `primary` and `secondary` are the rota's, so without one there is no setup.
 */
function withPolicy(setup: OnCallSetup | undefined, levels: readonly EscalationLevel[]): OnCallSetup | undefined {
  const policy = levels as OnCallSetup['policy'];
  if (setup) return { ...setup, policy };
  if (!levels.every((l) => typeof l.target === 'object')) return undefined;
  const first = (levels[0]!.target as { people: readonly Person[] }).people[0]!;
  return { ...onCallSchema.parse({ rota: { name: 'incident type policy', people: [first] } }), policy };
}

export class Paging {
  constructor(private readonly deps: PagingDeps) {}

  /** When the incident's post-mortem is due: the rota's hours for its severity after it was resolved. */
  async postmortemDue(incident: Incident): Promise<Date> {
    const timing = await this.timing(incident);
    return new Date((incident.milestones.resolved ?? this.deps.clock.now()).getTime() + timing.postmortemDueHours * 60 * MINUTE);
  }

  private async timing(incident: Incident) {
    return timingFor((await this.deps.setup(incident.tenantId)) ?? NO_SETUP, incident.severity);
  }

  /** The timer handlers, for the JobRunner. */
  get handlers(): Readonly<Record<Exclude<JobKind, 'tracker_sync' | 'nudge'>, (job: Job) => Promise<void>>> {
    return {
      page: (job) => this.onIncident(job, (incident) => this.page(incident, job)),
      escalate: (job) => this.onIncident(job, (incident) => this.escalate(incident, job)),
      update_reminder: (job) => this.onIncident(job, (incident) => this.updateReminder(incident, job)),
      matrix_reminder: (job) => this.onIncident(job, (incident) => this.matrixReminder(incident, job)),
      postmortem_reminder: (job) => this.onIncident(job, (incident) => this.postmortemReminder(incident, job)),
    };
  }

  /**
   * A new incident: page the first level now, remind about updates, and set the matrix
   * reminders. Idempotent (deterministic job ids): called at declare and again when
   * provisioning completes, so a crash between the two still pages.
   */
  async incidentDeclared(incident: Incident): Promise<void> {
    const timing = await this.timing(incident);
    const declared = incident.milestones.declared;
    const at = (minutes: number) => new Date(declared.getTime() + minutes * MINUTE);
    await Promise.all([
      this.schedule('page', incident, 'level-0', declared, { level: 0 }),
      this.schedule('update_reminder', incident, at(timing.updateMinutes).toISOString(), at(timing.updateMinutes)),
      ...timing.matrix.map((step) => this.schedule('matrix_reminder', incident, `after-${step.afterMinutes}`, at(step.afterMinutes), { ...step })),
    ]);
  }

  /** After every change to an incident: cancel what it made moot, start what it calls for. */
  async incidentChanged(incident: Incident, event: TimelineEvent): Promise<void> {
    const { jobs, pager } = this.deps;
    if (event.kind === 'acknowledged') {
      await jobs.cancelJobs(incident.id, UNTIL_ACK);
      await pager.acknowledge(incident);
    }
    if (event.kind === 'escalated' && event.actor.kind === 'user') {
      // Someone pressed Escalate: page the next level now.
      const level = (incident.paging?.level ?? -1) + 1;
      await this.schedule('page', incident, `manual-${event.id}`, this.deps.clock.now(), { level, manual: true });
    }
    if (!isOpen(incident.status)) await jobs.cancelJobs(incident.id, WHILE_ACTIVE);
    if (event.kind === 'resolved' || (event.kind === 'status_changed' && event.payload.to === 'resolved')) {
      await pager.resolve(incident);
      await this.schedule('postmortem_reminder', incident, `resolved-${event.id}`, await this.postmortemDue(incident));
    }
    if (event.kind === 'status_changed' && event.payload.from === 'resolved' && isOpen(incident.status)) {
      // Reopened: reminders start again; the post-mortem is not due while it is active.
      await jobs.cancelJobs(incident.id, ['postmortem_reminder']);
      const timing = await this.timing(incident);
      const due = new Date(this.deps.clock.now().getTime() + timing.updateMinutes * MINUTE);
      await this.schedule('update_reminder', incident, due.toISOString(), due);
    }
    if (event.kind === 'postmortem_published' || incident.status === 'archived') await jobs.cancelJobs(incident.id, ['postmortem_reminder']);
  }

  private async onIncident(job: Job, run: (incident: Incident) => Promise<void>): Promise<void> {
    const incident = await this.deps.store.findById(job.incidentId);
    if (!incident) return this.deps.log.warn({ jobId: job.id, incidentId: job.incidentId }, 'a timer fired for an incident that does not exist; dropped');
    await run(incident);
  }

  private async page(incident: Incident, job: Job): Promise<void> {
    if (!isOpen(incident.status) || (incident.milestones.acknowledged && !job.payload.manual)) return;
    // The page links to the incident channel: wait (a few seconds) for it unless creating it failed for good.
    if (!incident.channel && !incident.provisioning.complete) throw new RetryLater('the incident channel is not created yet');
    const now = this.deps.clock.now();
    const type = this.deps.types?.typeOf(incident);
    if (type?.paging.kind === 'none') {
      if (job.payload.manual || Number(job.payload.level ?? 0) === 0) await this.notice(incident, job, md`${type.label} incidents page nobody, so nobody was paged for ${incidentLabel(incident)}. @mention whoever should help here, or give them a role (${mdCode('role sme @person')}).`);
      return;
    }
    const rotaSetup = await this.deps.setup(incident.tenantId);
    // A type with its own policy (security pages the security on-call) uses its levels over the rota's shifts.
    const setup = type?.paging.kind === 'policy' ? withPolicy(rotaSetup, type.paging.levels) : rotaSetup;
    const level = Number(job.payload.level ?? 0);
    if (!setup) {
      await this.notice(incident, job, md`No on-call rota is configured, so nobody was paged for ${incidentLabel(incident)}. Page someone directly; an admin can set ONCALL_FILE or use \`oncall add @person\`.`);
      return;
    }
    const target = levelPeople(setup, level, now);
    if (!target) {
      await this.notice(incident, job, md`Nobody acknowledged ${incidentLabel(incident)} and the escalation policy has no level ${level + 1}. Page someone directly.`);
      return;
    }
    await this.deps.pager.page({ incident, people: target.people, level, label: target.label, dedupKey: `${incident.id}:level-${level}`, link: incident.channel?.webUrl });
    await this.recorded(
      this.deps.actions.run('recordPage', { incidentId: incident.id, key: `${job.id}:paged`, actor: SYSTEM, via: 'app' }, { level, label: target.label, people: target.people, at: now }),
    );
    const owners = level === 0 ? ownersOf(setup, incident.component) : undefined;
    if (owners && owners.people.length > 0) {
      await this.notice(incident, job, md`${incident.component ?? ''} is owned by ${owners.team}: suggested SMEs ${owners.people.map((p) => p.name).join(', ')} (assign with \`role sme @person\`).`);
    }
    const timing = timingFor(setup, incident.severity);
    await this.schedule('escalate', incident, `after-level-${level}-${job.id}`, new Date(now.getTime() + timing.ackMinutes * MINUTE), { level, ackMinutes: timing.ackMinutes });
  }

  private async escalate(incident: Incident, job: Job): Promise<void> {
    if (!isOpen(incident.status) || incident.milestones.acknowledged) return;
    const from = Number(job.payload.level ?? 0);
    const minutes = Number(job.payload.ackMinutes ?? 15);
    // Say it once: when the policy has no next level, there is nothing to escalate to, only someone to page by hand.
    const type = this.deps.types?.typeOf(incident);
    const rotaSetup = await this.deps.setup(incident.tenantId);
    const setup = type?.paging.kind === 'policy' ? withPolicy(rotaSetup, type.paging.levels) : rotaSetup;
    if (setup && !levelPeople(setup, from + 1, this.deps.clock.now())) {
      await this.notice(incident, job, md`⚠️ Nobody acknowledged ${incidentLabel(incident)} within ${minutes} min, and the on-call policy has no level after level ${from + 1}. Page someone directly: @mention them here, or give them a role (${mdCode('role commander @person')}), which notifies them.`);
      return;
    }
    await this.recorded(
      this.deps.actions.run('escalate', { incidentId: incident.id, key: `${job.id}:escalated`, actor: SYSTEM, via: 'app' }, { note: `not acknowledged within ${minutes} min; paging the next level` }),
    );
    await this.notice(incident, job, md`⚠️ Nobody acknowledged ${incidentLabel(incident)} within ${minutes} min: paging level ${from + 2} of the on-call policy.`);
    await this.schedule('page', incident, `level-${from + 1}`, this.deps.clock.now(), { level: from + 1 });
  }

  private async updateReminder(incident: Incident, job: Job): Promise<void> {
    if (!isOpen(incident.status)) return;
    const now = this.deps.clock.now();
    const every = (await this.timing(incident)).updateMinutes * MINUTE;
    const last = incident.lastUpdate?.at ?? incident.milestones.declared;
    const due = new Date(last.getTime() + every);
    if (due.getTime() > now.getTime() + MINUTE / 2) {
      // Someone posted an update since this reminder was set: the next one counts from theirs.
      return this.schedule('update_reminder', incident, due.toISOString(), due);
    }
    if (!incident.channel && !incident.provisioning.complete) throw new RetryLater('the incident channel is not created yet');
    const since = incident.lastUpdate ? md`The last update was ${ago(last, now)} ago (${incident.lastUpdate.by.name})` : md`No update yet, ${ago(last, now)} after declaring`;
    await this.notice(incident, job, md`⏰ Status update due for ${incidentLabel(incident)}. ${since}. Post one with \`update <text>\` or the card's Post update button.`, incident.roles.commander ? [incident.roles.commander] : []);
    const next = new Date(now.getTime() + every);
    await this.schedule('update_reminder', incident, next.toISOString(), next);
  }

  private async matrixReminder(incident: Incident, job: Job): Promise<void> {
    if (!isOpen(incident.status)) return;
    const age = ago(incident.milestones.declared, this.deps.clock.now());
    await this.notice(incident, job, md`📣 Escalation matrix: ${incidentLabel(incident)} (${incident.severity}) has been open for ${age}. Make sure ${String(job.payload.notify)} know; consider whether the severity is still right.`);
  }

  private async postmortemReminder(incident: Incident, job: Job): Promise<void> {
    if (incident.postmortem?.publishedVersion || incident.status === 'archived' || isOpen(incident.status)) return;
    const now = this.deps.clock.now();
    const owner = incident.roles.commander;
    const state = incident.postmortem ? `version ${incident.postmortem.version} is saved but not published` : 'nobody has started it';
    await this.notice(incident, job, md`📝 The post-mortem for ${incidentLabel(incident)} is due: ${state}. Open the tab's Post-mortem view to finish and publish it.`, owner ? [owner] : []);
    const tomorrow = new Date(now.getTime() + 24 * 60 * MINUTE);
    await this.schedule('postmortem_reminder', incident, tomorrow.toISOString(), tomorrow);
  }

  /** A message in the channel, and the same words on the timeline (once per timer; as typed there, the tab and exports escape for themselves). */
  private async notice(incident: Incident, job: Job, text: Markdown, mentions: Incident['roles']['commander'][] = []): Promise<void> {
    await this.deps.store.appendEvent(timelineEvent(incident.id, 'reminder', job.id, { at: this.deps.clock.now(), actor: SYSTEM, payload: { text: text.unescaped, timer: job.kind } }));
    // At least once: a timer re-run after a failure posts again rather than risk a page nobody saw.
    await this.deps.messenger.postNotice(incident, text, mentions.filter((p): p is NonNullable<typeof p> => Boolean(p)));
  }

  private async recorded(result: Promise<ActionResult>): Promise<void> {
    const { outcome, message } = await result;
    if (outcome === 'refused' || outcome === 'not_found') this.deps.log.info({ message }, 'a timer found nothing to do');
  }

  private schedule(kind: JobKind, incident: Incident, occurrence: string, dueAt: Date, payload: Record<string, unknown> = {}): Promise<void> {
    return this.deps.jobs.scheduleJob({ id: jobId(kind, incident.id, occurrence), kind, incidentId: incident.id, dueAt, payload });
  }
}
