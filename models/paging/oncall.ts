/**
 * Who is on call, who comes next, and how long we wait before asking them: the rota (primary and
 * secondary with handoffs), the escalation policy (levels with delays), the per-severity timings
 * (acknowledge within, update every, post-mortem due after) and the contact directory
 * (component → owning team and people, for suggesting SMEs). Plain data and pure functions; the
 * file (ONCALL_FILE) and the `oncall` chat command both produce an OnCallSetup.
 */
import { z } from 'zod';
import type { Person } from '../incident/incident.js';
import { SEVERITIES, type Severity } from '../incident/severity.js';

/** A healthy rota has at least four people: fewer means someone is on call too often. */
export const MIN_HEALTHY_ROTA = 4;

const person = z
  .object({
    id: z.string().trim().min(1).max(200),
    name: z.string().trim().min(1).max(120),
    aadObjectId: z.string().trim().max(100).optional(),
  })
  .strict();

const minutes = z.number().int().min(1).max(7 * 24 * 60);
/** A page nobody acknowledges for an hour has failed: escalation must happen within that. */
export const ACK_MINUTES_MAX = 60;
/** Reminders to post an update: at least every four hours while the incident is open. */
export const UPDATE_MINUTES_MAX = 240;

const timing = z
  .object({
    /** Escalate to the next level if the page is not acknowledged within this. */
    ackMinutes: z.number().int().min(1, 'acknowledgement time must be at least 1 minute').max(ACK_MINUTES_MAX, `escalate within ${ACK_MINUTES_MAX} minutes of an unacknowledged page at most (a longer wait switches escalation off in practice)`),
    /** Remind the channel to post a status update this often while the incident is active. */
    updateMinutes: z.number().int().min(1, 'updates at least every minute').max(UPDATE_MINUTES_MAX, `remind to post updates at least every ${UPDATE_MINUTES_MAX} minutes`),
    /** Escalation-matrix reminders: at these ages of an open incident, remind who must be told. */
    matrix: z.array(z.object({ afterMinutes: minutes, notify: z.string().trim().min(1).max(300) }).strict()).max(10),
    /** The post-mortem is due this long after resolution; reminders repeat daily until published. */
    postmortemDueHours: z.number().int().min(1).max(24 * 30),
  })
  .strict();
export type Timing = z.infer<typeof timing>;

const levelTarget = z.union([z.literal('primary'), z.literal('secondary'), z.object({ people: z.array(person).min(1).max(20) }).strict()]);
/** One level of an escalation policy: here, and in an incident type's own policy (TENANT_CONFIG_FILE `types`). */
export const escalationLevelSchema = z.object({ target: levelTarget, label: z.string().trim().max(80).optional() }).strict();

export const onCallSchema = z
  .object({
    rota: z
      .object({
        name: z.string().trim().min(1).max(80).default('on-call'),
        people: z.array(person).min(1, 'the rota needs at least one person').max(100),
        /** When the first person's shift started; shifts follow one another from there. */
        start: z.string().datetime({ offset: true }).default('2026-01-05T09:00:00Z'),
        shiftHours: z.number().int().min(1).max(24 * 28).default(168),
      })
      .strict(),
    policy: z
      .array(escalationLevelSchema)
      .min(1, 'the escalation policy needs at least one level')
      .max(10)
      .default([{ target: 'primary' }, { target: 'secondary' }]),
    timings: z.partialRecord(z.enum(SEVERITIES), timing.partial()).default({}),
    directory: z
      .array(z.object({ component: z.string().trim().min(1).max(80), team: z.string().trim().min(1).max(120), people: z.array(person).max(20).default([]) }).strict())
      .max(500)
      .default([]),
  })
  .strict()
  .superRefine((setup, ctx) => {
    const ids = setup.rota.people.map((p) => p.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['rota', 'people'], message: 'someone is listed twice' });
  });

export type OnCallSetup = z.infer<typeof onCallSchema>;
export type LevelTarget = OnCallSetup['policy'][number]['target'];

const DEFAULT_TIMING: Readonly<Record<Severity, Timing>> = {
  P0: { ackMinutes: 15, updateMinutes: 10, matrix: [{ afterMinutes: 30, notify: 'the engineering director and the support lead' }], postmortemDueHours: 48 },
  P1: { ackMinutes: 15, updateMinutes: 10, matrix: [{ afterMinutes: 60, notify: 'the engineering manager on call and the support lead' }], postmortemDueHours: 72 },
  P2: { ackMinutes: 15, updateMinutes: 10, matrix: [], postmortemDueHours: 120 },
  P3: { ackMinutes: 15, updateMinutes: 30, matrix: [], postmortemDueHours: 168 },
};

/** The timing for a severity: the file's values over the defaults (15 min to acknowledge, updates every 10). */
export function timingFor(setup: Pick<OnCallSetup, 'timings'>, severity: Severity): Timing {
  return { ...DEFAULT_TIMING[severity], ...setup.timings[severity] };
}

export function parseOnCall(json: unknown): { setup: OnCallSetup } | { problems: string[] } {
  const parsed = onCallSchema.safeParse(json);
  if (parsed.success) return { setup: parsed.data };
  return { problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`) };
}

export interface Shift {
  readonly primary: Person;
  readonly secondary?: Person;
  readonly startedAt: Date;
  readonly handoffAt: Date;
}

/** Who holds the pager at a moment: shifts rotate through the people in order; the next one is secondary. */
export function shiftAt(rota: OnCallSetup['rota'], at: Date): Shift {
  const people = rota.people;
  const shiftMs = rota.shiftHours * 3_600_000;
  const start = Date.parse(rota.start);
  const index = Math.floor((at.getTime() - start) / shiftMs);
  const slot = ((index % people.length) + people.length) % people.length;
  const startedAt = new Date(start + index * shiftMs);
  return {
    primary: people[slot]!,
    secondary: people.length > 1 ? people[(slot + 1) % people.length] : undefined,
    startedAt,
    handoffAt: new Date(startedAt.getTime() + shiftMs),
  };
}

/**
 * The rota's start after its people or shift length change, so the shift in progress keeps its
 * times and its primary (or, when the primary left the rota, the next person in order takes over
 * now): editing the rota changes future shifts, never silently who holds the pager.
 */
export function keepCurrentShift(before: OnCallSetup['rota'], people: readonly Person[], shiftHours: number, at: Date): { start: string; takesOver?: Person } {
  const current = shiftAt(before, at);
  let position = people.findIndex((p) => p.id === current.primary.id);
  let takesOver: Person | undefined;
  if (position < 0) {
    // The primary left: whoever followed them in the old order is first in line now.
    const old = before.people.findIndex((p) => p.id === current.primary.id);
    position = people.length === 0 ? 0 : Math.max(0, old) % people.length;
    takesOver = people[position];
  }
  // With a new shift length the shift in progress is re-cut to that length around now (a shorter one may end sooner).
  const shiftMs = shiftHours * 3_600_000;
  const startedAt = current.startedAt.getTime() + Math.floor((at.getTime() - current.startedAt.getTime()) / shiftMs) * shiftMs;
  return { start: new Date(startedAt - position * shiftMs).toISOString(), takesOver };
}

/** Who a policy level pages at a moment; undefined past the last level. */
export function levelPeople(setup: OnCallSetup, level: number, at: Date): { people: Person[]; label: string } | undefined {
  const step = setup.policy[level];
  if (!step) return undefined;
  const shift = shiftAt(setup.rota, at);
  const target = step.target;
  if (target === 'primary') return { people: [shift.primary], label: step.label ?? 'primary on-call' };
  if (target === 'secondary') return { people: shift.secondary ? [shift.secondary] : [shift.primary], label: step.label ?? 'secondary on-call' };
  return { people: target.people, label: step.label ?? `level ${level + 1}` };
}

/** What an admin should fix about the setup; shown by `oncall` and logged at start. */
export function setupWarnings(setup: OnCallSetup): string[] {
  const warnings: string[] = [];
  const n = setup.rota.people.length;
  if (n < MIN_HEALTHY_ROTA) warnings.push(`The ${setup.rota.name} rota has ${n} ${n === 1 ? 'person' : 'people'}; a healthy rota has at least ${MIN_HEALTHY_ROTA}, or people burn out.`);
  if (setup.policy.length < 2) warnings.push('The escalation policy has one level: an unacknowledged page has nobody to escalate to.');
  return warnings;
}

/** The owners of a component, for suggesting SMEs (case-insensitive). */
export function ownersOf(setup: Pick<OnCallSetup, 'directory'>, component: string | undefined): OnCallSetup['directory'][number] | undefined {
  if (!component) return undefined;
  const wanted = component.trim().toLowerCase();
  return setup.directory.find((entry) => entry.component.toLowerCase() === wanted);
}

/** Local mode's rota: the sandbox people, so paging and escalation can be watched in the browser. */
export function localOnCall(people: readonly Person[]): OnCallSetup {
  return onCallSchema.parse({ rota: { name: 'local on-call', people: people.slice(0, 6).map((p) => ({ id: p.id, name: p.name, ...(p.aadObjectId ? { aadObjectId: p.aadObjectId } : {}) })) } });
}
