/**
 * Where the metrics rows live (see models/metrics/metricsRow.ts), and how they stay right.
 *
 * - `metrics_days`: one document per tenant and UTC day, its incidents' rows as one compact text.
 *   A report reads a few hundred of these instead of every incident (the embedded server scans
 *   and ships each document it reads; 100,000 incidents cost seconds, a year of days milliseconds).
 *   Writers replace a day's text only if it is still the version they read (`v`), and never put
 *   back an older row of an incident than the one there.
 * - `metrics_pending`: a write that changes a figure first leaves a mark on its incident here,
 *   then changes the incident, then refreshes the row, then takes its own mark away. A crash or
 *   a failure anywhere in between leaves the mark; a report finding a mark older than any write
 *   takes refreshes that row first. Marks are a set, so one writer finishing never clears
 *   another's unfinished one.
 * - `metrics_state`: per tenant, that its rows were built from the incidents already stored (the
 *   migration: done once, by the first report that finds it missing).
 *
 * Standard queries and updates only: the same on MongoDB and on the embedded server.
 */
import { randomUUID } from 'node:crypto';
import { Types, type Connection } from 'mongoose';
import { deterministicId } from '../support/ids.js';
import { dayOf, decodeColumns, decodeRows, encodeRows, mergeRows, metricsRowOf, type MetricsRow, type RowColumns, type RowSource } from '../metrics/metricsRow.js';
import type { PostmortemFigures } from '../metrics/metricsReport.js';
import type { ItemFigures } from '../metrics/followUpFigures.js';

/** Bumped when the row's meaning changes: every tenant's rows are then rebuilt once. */
const ROWS_FORMAT = 4;
const DAY = 86_400_000;
/** A mark this old belongs to a writer that stopped (writes take milliseconds; clocks differ by seconds). */
const ABANDONED_MS = 60_000;
/** A day's text is rewritten on a conflict; this many in a row means something is wrong. */
const MAX_ATTEMPTS = 50;
/** Incidents read, and rows written, per step of a backfill. */
const BACKFILL_BATCH = 10_000;
const ROW_FIELDS = { _id: 1, tenantId: 1, version: 1, severity: 1, component: 1, type: 1, private: 1, milestones: 1 } as const;

interface DayDoc {
  _id: Types.ObjectId;
  tenantId: string;
  day: number;
  v: number;
  rows: string;
}
interface PendingDoc {
  _id: Types.ObjectId;
  marks: string[];
}
interface StateDoc {
  _id: Types.ObjectId;
  tenantId: string;
  format: number;
  at: Date;
}

const oid = (hex: string) => new Types.ObjectId(hex);
const dayId = (tenantId: string, day: number) => oid(deterministicId('metrics-day', tenantId, String(day)));
const stateId = (tenantId: string) => oid(deterministicId('metrics-state', tenantId));
const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;
const sourceOf = (doc: Record<string, unknown>): RowSource & { tenantId: string } => ({ ...(doc as unknown as RowSource & { tenantId: string }), id: String(doc._id) });

export class MongoMetricsRows {
  /** Per tenant and day: the live write in progress, and the rows waiting for the next one. */
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, { rows: MetricsRow[]; written: Promise<void> }>();

  constructor(private readonly connection: Connection) {}

  private get days() {
    return this.connection.collection<DayDoc>('metrics_days');
  }
  private get pending() {
    return this.connection.collection<PendingDoc>('metrics_pending');
  }
  private get state() {
    return this.connection.collection<StateDoc>('metrics_state');
  }

  async init(): Promise<void> {
    await this.days.createIndex({ tenantId: 1, day: 1 });
  }

  /** Before a write that may change a figure of this incident; the token takes the mark away. */
  async mark(incidentId: string): Promise<string> {
    const token = `${Date.now()}/${randomUUID()}`;
    await this.pending.updateOne({ _id: oid(incidentId) }, { $addToSet: { marks: token } }, { upsert: true });
    return token;
  }

  async unmark(incidentId: string, token: string): Promise<void> {
    const { deletedCount } = await this.pending.deleteOne({ _id: oid(incidentId), marks: [token] });
    if (deletedCount === 0) await this.pending.updateOne({ _id: oid(incidentId) }, { $pull: { marks: token } });
  }

  /** The row of an incident as it is now stored (or as a write just returned it). */
  async refresh(incident: RowSource & { readonly tenantId: string }): Promise<void> {
    const row = metricsRowOf(incident);
    if (row) await this.write(incident.tenantId, [row]);
  }

  /** Makes a tenant's rows current: built once from the stored incidents, then every marked row refreshed. */
  async ensure(tenantId: string): Promise<void> {
    const state = await this.state.findOne({ _id: stateId(tenantId) });
    if (state?.format !== ROWS_FORMAT) await this.backfill(tenantId);
    await this.sweep();
  }

  /** Rows for every incident of the tenant, from what is stored (idempotent; newer rows win). */
  async backfill(tenantId: string): Promise<number> {
    // In declared order, a batch at a time: memory stays bounded however long the history.
    const cursor = this.connection.collection('incidents').find({ tenantId }, { projection: ROW_FIELDS, sort: { 'milestones.declared': 1 }, batchSize: BACKFILL_BATCH });
    let batch: MetricsRow[] = [];
    let built = 0;
    for await (const doc of cursor) {
      const row = metricsRowOf(sourceOf(doc));
      if (!row) continue;
      batch.push(row);
      built++;
      if (batch.length < BACKFILL_BATCH) continue;
      await this.write(tenantId, batch);
      batch = [];
    }
    await this.write(tenantId, batch);
    await this.state.updateOne({ _id: stateId(tenantId) }, { $set: { tenantId, format: ROWS_FORMAT, at: new Date() } }, { upsert: true });
    return built;
  }

  /**
   * Refreshes the row of every incident with an abandoned mark (any tenant: the set is small),
   * then clears those marks. Younger marks are left to their writers, still at work: clearing
   * one before its write lands would lose the refresh that write needs.
   */
  async sweep(now = Date.now()): Promise<number> {
    let repaired = 0;
    for (const { _id, marks = [] } of await this.pending.find({}).toArray()) {
      const abandoned = marks.filter((mark) => Number(mark.split('/')[0]) < now - ABANDONED_MS);
      if (abandoned.length > 0) {
        const doc = await this.connection.collection('incidents').findOne({ _id }, { projection: ROW_FIELDS });
        if (doc) await this.refresh(sourceOf(doc));
        await this.pending.updateOne({ _id }, { $pullAll: { marks: abandoned } });
        repaired++;
      }
      if (abandoned.length === marks.length) await this.pending.deleteOne({ _id, marks: { $size: 0 } });
    }
    return repaired;
  }

  /** The tenant's rows of incidents declared before `beforeMs` (and some of that last day), a day at a time. */
  async read(tenantId: string, beforeMs: number): Promise<RowColumns[]> {
    const docs = await this.days.find({ tenantId, day: { $lte: Math.floor((beforeMs - 1) / DAY) } }, { projection: { _id: 0, rows: 1 }, batchSize: 100_000 }).toArray();
    return docs.map((doc) => decodeColumns(doc.rows));
  }

  /** The tenant's post-mortems, as the cause and action-item figures read them. */
  async postmortems(tenantId: string): Promise<PostmortemFigures[]> {
    const docs = await this.connection.collection('postmortems').find({ tenantId }, { projection: { 'content.rootCauses': 1, 'content.actionItems': 1 }, batchSize: 100_000 }).toArray();
    return docs.map((doc) => {
      const content = (doc.content ?? {}) as { rootCauses?: unknown; actionItems?: unknown };
      const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
      return {
        incidentId: String(doc._id),
        causeTypes: list(content.rootCauses).map((c) => ((c as { type?: unknown } | null)?.type as string | undefined) ?? null),
        actionItems: list(content.actionItems).map((a) => (a ?? {}) as ItemFigures),
      };
    });
  }

  /** Merges rows into their days: each day rewritten only if no one else rewrote it since it was read. */
  private async write(tenantId: string, rows: readonly MetricsRow[]): Promise<void> {
    const byDay = new Map<number, MetricsRow[]>();
    for (const row of rows) (byDay.get(dayOf(row)) ?? byDay.set(dayOf(row), []).get(dayOf(row))!).push(row);
    if (byDay.size === 0) return;
    if (byDay.size === 1) return this.queueDay(tenantId, ...[...byDay][0]!);
    // Many days (a backfill batch): one read of those days, then each day written in turn.
    const days = [...byDay.keys()];
    const span = { $gte: Math.min(...days), $lte: Math.max(...days) };
    const known = new Map((await this.days.find({ tenantId, day: span }).toArray()).map((doc) => [doc.day, doc]));
    for (const [day, dayRows] of byDay) await this.writeDay(tenantId, day, dayRows, known.get(day) ?? null);
  }

  /**
   * Live writes to one day are coalesced: while one is in flight, the rows that arrive meanwhile
   * wait and go together in the next. A storm of declares on one day is then a few writes, not a
   * queue of conflicting rewrites; other replicas' writes are what the version check is for.
   */
  private queueDay(tenantId: string, day: number, rows: readonly MetricsRow[]): Promise<void> {
    const key = `${tenantId}\u0000${day}`;
    const waiting = this.waiting.get(key);
    if (waiting) {
      waiting.rows.push(...rows);
      return waiting.written;
    }
    const batch: { rows: MetricsRow[]; written: Promise<void> } = { rows: [...rows], written: Promise.resolve() };
    const before = this.inFlight.get(key) ?? Promise.resolve();
    batch.written = before.then(() => {
      this.waiting.delete(key);
      return this.writeDay(tenantId, day, batch.rows);
    });
    this.waiting.set(key, batch);
    const settled: Promise<void> = batch.written.catch(() => undefined).finally(() => {
      if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
    });
    this.inFlight.set(key, settled);
    return batch.written;
  }

  private async writeDay(tenantId: string, day: number, rows: readonly MetricsRow[], known?: DayDoc | null): Promise<void> {
    let doc = known === undefined ? await this.days.findOne({ _id: dayId(tenantId, day) }) : known;
    for (let attempt = 1; ; attempt++) {
      const merged = mergeRows(decodeRows(doc?.rows), rows);
      if (!merged) return;
      const text = encodeRows(merged);
      if (!doc) {
        try {
          await this.days.insertOne({ _id: dayId(tenantId, day), tenantId, day, v: 1, rows: text });
          return;
        } catch (error) {
          if (!isDuplicate(error)) throw error;
        }
      } else if ((await this.days.updateOne({ _id: doc._id, v: doc.v }, { $set: { rows: text, v: doc.v + 1 } })).matchedCount === 1) {
        return;
      }
      if (attempt >= MAX_ATTEMPTS) throw new Error(`metrics rows of ${tenantId} for day ${day} kept changing under ${MAX_ATTEMPTS} attempts to write them`);
      // Another replica wrote the day meanwhile: read it again, after a moment that grows with each try.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * attempt * 2));
      doc = await this.days.findOne({ _id: dayId(tenantId, day) });
    }
  }
}
