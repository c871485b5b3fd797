/**
 * The few numbers the metrics need from one incident, computed once when it is written rather
 * than on every question: the declared and resolved instants (calendar buckets depend on the time
 * zone asked for, so they are worked out at question time from these) and the three durations,
 * already rounded the way the figures show them. Rows of incidents declared on the same UTC day
 * travel together as one compact text (columns), so a year of history is a few hundred small reads.
 */
import type { Milestones } from '../incident/incident.js';

const DAY = 86_400_000;

export interface MetricsRow {
  readonly id: string;
  /** The incident's version the row was computed from: a row never replaces a newer one. */
  readonly version: number;
  readonly declared: number;
  readonly resolved?: number;
  /** Durations in tenths of a minute, rounded as the report rounds them; absent = milestone missing. */
  readonly mtta?: number;
  readonly recovery?: number;
  readonly repair?: number;
  readonly severity: string;
  readonly component?: string;
  /** The incident type's id; absent for incidents from before types (the tenant's default type). */
  readonly type?: string;
  /** A private incident: its type decides whether people who may not see it count it (privateInMetrics). */
  readonly private?: boolean;
}

/** What a row is computed from: the stored incident, or just the fields a projection reads. */
export interface RowSource {
  readonly id: string;
  readonly version?: number;
  readonly severity: string;
  readonly component?: string | null;
  readonly type?: string | null;
  readonly private?: boolean | null;
  readonly milestones?: Partial<Record<keyof Milestones, Date | null>>;
}

const time = (value: unknown) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.getTime() : undefined);
/**
 * Rounding is monotonic, so the k-th smallest rounded duration is the rounded k-th smallest one:
 * percentiles over these equal the percentiles of the exact durations, rounded afterwards.
 */
export const tenthsOfMinute = (ms: number) => Math.round((ms / 60_000) * 10);
const span = (later: number | undefined, earlier: number) => (later === undefined ? undefined : tenthsOfMinute(later - earlier));

/** The row of an incident; undefined when it has no declared time (it is in no figure). */
export function metricsRowOf(source: RowSource): MetricsRow | undefined {
  const m = source.milestones ?? {};
  const declared = time(m.declared);
  if (declared === undefined) return undefined;
  // Impact began when it started; the declare time when no start was recorded (DEFINITIONS).
  const started = time(m.started) ?? declared;
  const resolved = time(m.resolved);
  return {
    id: source.id,
    version: source.version ?? 0,
    declared,
    resolved,
    mtta: span(time(m.acknowledged), declared),
    recovery: span(time(m.mitigated), started),
    repair: span(resolved, started),
    severity: source.severity,
    component: source.component ?? undefined,
    type: source.type ?? undefined,
    private: source.private === true ? true : undefined,
  };
}

/** The UTC day a row is kept under; the declared time never changes, so neither does its day. */
export const dayOf = (row: Pick<MetricsRow, 'declared'>) => Math.floor(row.declared / DAY);

/**
 * A day's rows as columns, one array per field (null where a value is missing): parsed in about
 * half the time of a list of rows, and read by the report without building an object per row.
 */
export interface RowColumns {
  readonly id: readonly string[];
  readonly version: readonly number[];
  readonly declared: readonly number[];
  readonly resolved: readonly (number | null)[];
  readonly mtta: readonly (number | null)[];
  readonly recovery: readonly (number | null)[];
  readonly repair: readonly (number | null)[];
  readonly severity: readonly string[];
  readonly component: readonly (string | null)[];
  readonly type: readonly (string | null)[];
  readonly private: readonly (boolean | null)[];
}
const COLUMNS = ['id', 'version', 'declared', 'resolved', 'mtta', 'recovery', 'repair', 'severity', 'component', 'type', 'private'] as const satisfies readonly (keyof MetricsRow)[];
const EMPTY: RowColumns = { id: [], version: [], declared: [], resolved: [], mtta: [], recovery: [], repair: [], severity: [], component: [], type: [], private: [] };

export function encodeRows(rows: readonly MetricsRow[]): string {
  return JSON.stringify(Object.fromEntries(COLUMNS.map((column) => [column, rows.map((row) => row[column] ?? null)])));
}

export function decodeColumns(text: string | undefined): RowColumns {
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  // Anything else (a format from before ROWS_FORMAT last changed) reads as no rows; the rebuild that format change starts rewrites it.
  return parsed && typeof parsed === 'object' && Array.isArray((parsed as RowColumns).id) ? (parsed as RowColumns) : EMPTY;
}

export const decodeRows = (text: string | undefined): MetricsRow[] => rowsOf(decodeColumns(text));

export function rowsOf(c: RowColumns): MetricsRow[] {
  const value = <T>(v: T | null) => (v === null ? undefined : v);
  return c.id.map((id, i) => ({
    id, version: c.version[i]!, declared: c.declared[i]!, resolved: value(c.resolved[i]!), mtta: value(c.mtta[i]!), recovery: value(c.recovery[i]!), repair: value(c.repair[i]!), severity: c.severity[i]!, component: value(c.component[i]!), type: value(c.type[i] ?? null), private: value(c.private?.[i] ?? null),
  }));
}

const same = (a: MetricsRow, b: MetricsRow) => COLUMNS.every((column) => a[column] === b[column]);

/**
 * One day's rows with `incoming` merged in, each replacing the row of its incident unless that
 * one is newer (a slow writer never undoes a later change); undefined when nothing changed.
 */
export function mergeRows(existing: readonly MetricsRow[], incoming: readonly MetricsRow[]): MetricsRow[] | undefined {
  const byId = new Map(existing.map((r) => [r.id, r]));
  let changed = false;
  for (const row of incoming) {
    const current = byId.get(row.id);
    if (current && (current.version > row.version || same(current, row))) continue;
    byId.set(row.id, row);
    changed = true;
  }
  return changed ? [...byId.values()] : undefined;
}
