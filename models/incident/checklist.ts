/**
 * The SOP checklist per severity. Items come from the tenant config file (TENANT_CONFIG_FILE) or these defaults,
 * which encode the practices of experienced responders: the incident mindset and two-minute context
 * questions, the first-30-minutes guide, the assess → stabilise → update → verify loop, one fix
 * at a time, and watching after the fix. Ticks live on the incident (who and when) and every
 * tick is a timeline event.
 */
import { z } from 'zod';
import type { Incident, Person } from './incident.js';
import { SEVERITIES, type Severity } from './severity.js';

export interface ChecklistItem {
  readonly id: string;
  readonly phase: string;
  readonly text: string;
}
export type Sop = Readonly<Record<Severity, readonly ChecklistItem[]>>;

export interface Tick {
  readonly by: Person;
  readonly at: Date;
}

const item = (id: string, phase: string, text: string): ChecklistItem => ({ id, phase, text });

const CORE: readonly ChecklistItem[] = [
  item('mindset', 'Mindset', 'Stay calm: fix the problem, not the blame. Say what you know and what you do not.'),
  item('context', 'Two-minute context', 'Answer in two minutes: what is broken, for whom, since when, what changed recently?'),
  item('call', 'First 30 minutes', 'Open the bridge (the incident meeting) and get the responders on it.'),
  item('understand', 'First 30 minutes', 'Understand the impact: which customers, which features, how bad, still growing?'),
  item('statement', 'First 30 minutes', 'Write the incident statement: one sentence on what is wrong and who is affected (the topic line).'),
  item('roles', 'First 30 minutes', 'Assign the roles: Incident Commander, Communications lead, Scribe; add SMEs for the components involved.'),
  item('communicate', 'First 30 minutes', 'Communicate: post the first update in the broadcast channel, and tell support.'),
  item('stabilise', 'First 30 minutes', 'Stabilise before you fix: roll back, fail over, shed load or switch off the feature.'),
  item('timebox', 'First 30 minutes', 'Agree time-boxed next steps (who does what by when) and say when the next update is due.'),
  item('loop', 'Working loop', 'Loop: assess → stabilise → update → verify, and post the status summary each round.'),
  item('one-fix', 'Working loop', 'Never apply two fixes at once: one change, observe, then the next.'),
  item('watch', 'After the fix', 'Watch after the fix: keep monitoring for an agreed window before calling it resolved.'),
  item('postmortem', 'After the fix', 'Schedule the blameless post-mortem and the proper-fix window (24/48/72 h).'),
];

const MAJOR_EXTRA: readonly ChecklistItem[] = [
  item('exec', 'Communicate', 'Tell the business lead and leadership; agree who speaks to customers.'),
  item('status-page', 'Communicate', 'Update the public status page, then every 30 minutes until resolved.'),
  item('data', 'Stabilise', 'Check for data loss or corruption; if any, stop writes that spread it and raise to P0.'),
];

/** Defaults: P0/P1 get everything; P2 the core; P3 a short version. */
export const DEFAULT_SOP: Sop = {
  P0: [...CORE, ...MAJOR_EXTRA],
  P1: [...CORE, ...MAJOR_EXTRA],
  P2: CORE,
  P3: CORE.filter((i) => ['context', 'statement', 'roles', 'one-fix', 'watch', 'postmortem'].includes(i.id)),
};

const itemSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'ids are lowercase letters, digits and dashes (≤ 40)'),
  phase: z.string().trim().min(1).max(60),
  text: z.string().trim().min(1).max(300),
});
/** One list: at most 60 items, ids unique (a tick is stored under its item's id). Also an incident type's own items. */
export const checklistSchema = z
  .array(itemSchema)
  .max(60)
  .superRefine((items, ctx) => {
    const ids = items.map((i) => i.id);
    const dupe = ids.find((id, n) => ids.indexOf(id) !== n);
    if (dupe) ctx.addIssue({ code: 'custom', message: `item id "${dupe}" appears twice` });
  });

/** The checklists of every severity, as written in the tenant config file. */
export const sopSchema = z.object(Object.fromEntries(SEVERITIES.map((s) => [s, checklistSchema])) as Record<Severity, typeof checklistSchema>).strict();

export function checklistFor(sop: Sop, severity: Severity): readonly ChecklistItem[] {
  return sop[severity];
}

/** How much of the incident's checklist (its type's, at its severity) is ticked. */
export function checklistProgress(incident: Pick<Incident, 'checklist'>, items: readonly ChecklistItem[]): { done: number; total: number } {
  const ticks = incident.checklist ?? {};
  return { done: items.filter((i) => ticks[i.id]).length, total: items.length };
}
