/**
 * Editing the status summary without losing anyone's words. A form carries the values it was
 * opened with (its base); a save changes only the fields the person changed from that base. A
 * field someone else changed meanwhile is a conflict: it keeps their value and the person is shown
 * both, never overwritten silently.
 */
import { CAUSE_TYPES, ENVIRONMENTS, incidentLabel, SUMMARY_FIELDS, SUMMARY_LABELS, type Incident, type Person, type StatusSummary, type Topic } from '../incident/incident.js';
import { TEXT_LIMITS } from './limits.js';
import { whenClosed } from './roleDecisions.js';
import type { Decision } from './decisions.js';

const UNKNOWN = 'UNKNOWN';

/** The fields of the summary form: the template, then the channel topic line and its owners. */
export const SUMMARY_FORM_FIELDS = [...SUMMARY_FIELDS, 'topicLine', 'sreOwner', 'devOwner'] as const;
export type SummaryFormField = (typeof SUMMARY_FORM_FIELDS)[number];
export type SummaryFormValues = Readonly<Record<SummaryFormField, string>>;

export const SUMMARY_FORM_LABELS: Readonly<Record<SummaryFormField, string>> = { ...SUMMARY_LABELS, topicLine: 'Topic line', sreOwner: 'SRE owner', devOwner: 'Developer owner' };

export interface SummaryInput {
  /** The fields the form sent (absent fields are left as they are). */
  readonly values: Partial<Record<SummaryFormField, string>>;
  /** The values the form was opened with; absent: the person saw the record as it is now. */
  readonly base?: Partial<Record<SummaryFormField, string>>;
  readonly dataLoss?: boolean;
}

export interface SummaryConflict {
  readonly field: SummaryFormField;
  readonly label: string;
  /** What the record says now (someone else's value). */
  readonly theirs: string;
  /** What this person wrote. */
  readonly mine: string;
}

/** One spelling per meaning: blanks and UNKNOWN are the same, spaces are collapsed. */
function norm(value: string | undefined): string {
  const clean = (value ?? '').replace(/\s+/g, ' ').trim();
  return clean.toUpperCase() === UNKNOWN ? '' : clean;
}

/** The record's values as the form shows them ('' where unknown). */
export function summaryFormValues(incident: Incident): SummaryFormValues {
  const s = incident.summary;
  const template = Object.fromEntries(SUMMARY_FIELDS.map((field) => [field, norm(s?.[field])])) as Record<(typeof SUMMARY_FIELDS)[number], string>;
  return {
    ...template,
    environment: template.environment || 'Production',
    component: template.component || norm(incident.component),
    topicLine: norm(incident.topic?.line),
    sreOwner: norm(incident.topic?.sreOwner),
    devOwner: norm(incident.topic?.devOwner),
  };
}

/**
 * Per field: unchanged by this person (same as their base) → left alone; changed by them while
 * the record still has the base → saved; changed by both to different values → a conflict.
 * A base that does not name a field (an old form) counts as a conflict wherever the values differ.
 */
export function mergeSummaryEdit(current: SummaryFormValues, input: Pick<SummaryInput, 'values' | 'base'>): { changes: Partial<Record<SummaryFormField, string>>; conflicts: SummaryConflict[] } {
  const changes: Partial<Record<SummaryFormField, string>> = {};
  const conflicts: SummaryConflict[] = [];
  for (const field of SUMMARY_FORM_FIELDS) {
    if (!Object.hasOwn(input.values, field)) continue;
    const mine = norm(input.values[field]);
    const now = current[field];
    if (mine === now) continue;
    const base = input.base === undefined ? now : Object.hasOwn(input.base, field) ? norm(input.base[field]) : undefined;
    if (base === mine) continue;
    if (base === now) changes[field] = mine;
    else conflicts.push({ field, label: SUMMARY_FORM_LABELS[field], theirs: now || UNKNOWN, mine: mine || UNKNOWN });
  }
  return { changes, conflicts };
}

/** What this person wrote that the record does not hold after their save: someone else's value won. */
export function unsavedFields(after: Incident, input: Pick<SummaryInput, 'values' | 'base'>): SummaryConflict[] {
  const stored = summaryFormValues(after);
  return SUMMARY_FORM_FIELDS.flatMap((field) => {
    if (!Object.hasOwn(input.values, field)) return [];
    const mine = norm(input.values[field]);
    const base = input.base && Object.hasOwn(input.base, field) ? norm(input.base[field]) : undefined;
    if (mine === stored[field] || (input.base !== undefined && base === mine)) return [];
    return [{ field, label: SUMMARY_FORM_LABELS[field], theirs: stored[field] || UNKNOWN, mine: mine || UNKNOWN }];
  });
}

function problemsOf(values: SummaryFormValues): string[] {
  const problems: string[] = [];
  for (const field of SUMMARY_FIELDS) {
    if (values[field].length > TEXT_LIMITS.summaryField) problems.push(`${SUMMARY_LABELS[field]} is longer than ${TEXT_LIMITS.summaryField} characters`);
  }
  if (!(ENVIRONMENTS as readonly string[]).includes(values.environment)) problems.push(`Environment must be one of ${ENVIRONMENTS.join(', ')}`);
  if (values.type && !(CAUSE_TYPES as readonly string[]).includes(values.type)) problems.push(`Type must be one of ${CAUSE_TYPES.join(', ')} (or UNKNOWN)`);
  if (values.topicLine.length + values.sreOwner.length + values.devOwner.length > TEXT_LIMITS.topic) problems.push(`the topic line is longer than ${TEXT_LIMITS.topic} characters`);
  return problems;
}

const names = (conflicts: readonly SummaryConflict[]) => conflicts.map((c) => c.label).join(', ');

/** The status summary and topic line, saved field by field (see mergeSummaryEdit). */
export function updateSummary(incident: Incident, input: SummaryInput, actor: Person, forceP0OnDataLoss: boolean): Decision {
  const closed = whenClosed(incident);
  if (closed) return closed;
  const current = summaryFormValues(incident);
  const { changes, conflicts } = mergeSummaryEdit(current, input);
  const next: SummaryFormValues = { ...current, ...changes };
  const problems = problemsOf(next);
  if (problems.length > 0) return { refuse: `The summary was not saved: ${problems.join('; ')}.` };
  const newDataLoss = input.dataLoss === true && !incident.dataLoss;
  const changed = Object.keys(changes) as SummaryFormField[];
  if (changed.length === 0 && !newDataLoss) {
    return { refuse: conflicts.length > 0 ? `Nothing was saved: someone else changed ${names(conflicts)} since you opened the form.` : 'Nothing was changed: the summary already says that.' };
  }
  const summary = Object.fromEntries(SUMMARY_FIELDS.map((field) => [field, next[field] || UNKNOWN])) as unknown as StatusSummary;
  const topicChanged = changed.some((field) => field === 'topicLine' || field === 'sreOwner' || field === 'devOwner');
  const topic: Topic | undefined = topicChanged && next.topicLine ? { line: next.topicLine, sreOwner: next.sreOwner || undefined, devOwner: next.devOwner || undefined } : undefined;
  const summaryChanged = changed.some((field) => (SUMMARY_FIELDS as readonly string[]).includes(field)) || !incident.summary;
  const raise = newDataLoss && forceP0OnDataLoss && incident.severity !== 'P0';
  const kept = conflicts.length > 0 ? `; ${names(conflicts)} kept someone else's newer value` : '';
  return {
    patch: { ...(summaryChanged ? { summary } : {}), ...(topic ? { topic } : {}), ...(newDataLoss ? { dataLoss: true } : {}), ...(raise ? { severity: 'P0' } : {}) },
    event: { kind: 'summary_updated', payload: { summary, changed, topic, dataLoss: newDataLoss || undefined, severityRaisedTo: raise ? 'P0' : undefined } },
    message: `${actor.name} updated the status summary of ${incidentLabel(incident)} (${changed.map((f) => SUMMARY_FORM_LABELS[f]).join(', ') || 'data loss'})${kept}${raise ? '; data loss was reported, so it is now P0' : ''}.`,
    topic,
  };
}
