/**
 * Counting an incident's alerts exactly, in a few writes per batch of a storm, on any MongoDB and
 * on the embedded server (no unique indexes, no transactions, every query a full scan).
 *
 * `alert_folds` holds one small document per incident: `count`, and a mark per batch already
 * counted (`applied.b<batch id>`). A batch is added with one conditional update — "unless marked:
 * add n, mark" — that MongoDB applies atomically to the one document, so a retry, a crash or two
 * replicas counting the same batch count it once. (Marks of finished batches are dropped by
 * finishBatches, so the document stays as small as the work in flight.) The timeline entry then
 * takes the count with $max, so it only moves up and a crash between the two writes is repaired by
 * the next fold. Everything is written for all of a tick's incidents at once (bulk writes).
 *
 * An incident folded before `alert_folds` existed has its count in its entry (from the id sets
 * that used to hold it): that count is the new document's `base`.
 *
 * The entry is one event of the incident's timeline from the write that creates it: that write
 * is started and settled like any that records events (eventCounts.ts), until this process has
 * seen the incident's entry exist (it is never deleted).
 */
import { Schema, Types, type Collection, type Connection } from 'mongoose';
import { deterministicId } from '../support/ids.js';
import type { AlertFold, StoredAlert } from '../ports/alertStore.js';
import { EventCounts } from './eventCounts.js';

const foldSchema = new Schema({ _id: Schema.Types.ObjectId, incidentId: Schema.Types.ObjectId, count: Number, base: Number, applied: Schema.Types.Mixed }, { collection: 'alert_folds', versionKey: false });

const oid = (id: string) => new Types.ObjectId(id);
/** How many incidents `known` remembers before it starts over (asking again costs one read). */
const MAX_KNOWN = 10_000;
export const foldId = (incidentId: string) => oid(deterministicId('alert-fold', incidentId));
/** `b` first: a batch id of only digits would otherwise read as an array index in a path. */
export const batchMark = (batchId: string) => `applied.b${batchId}`;

/** MongoDB says E11000; the embedded server reports an upsert that collides as "Duplicate key error" with code 1. */
export function isDuplicate(error: { code?: number; errmsg?: string; message?: string; err?: { code?: number; errmsg?: string } }): boolean {
  const code = error.code ?? error.err?.code;
  return code === 11000 || /duplicate key/i.test(error.errmsg ?? error.err?.errmsg ?? error.message ?? '');
}

type BulkOp = Parameters<Collection['bulkWrite']>[0][number];

type Upserted = { upsertedIds?: Record<number, unknown> } | undefined;
const positions = (result: Upserted) => Object.keys(result?.upsertedIds ?? {}).map(Number);

/**
 * Runs the writes; returns the positions of those refused as duplicates (anything else is thrown),
 * and of the upserts that inserted their document.
 */
export async function bulkFindingDuplicates(collection: Collection, ops: BulkOp[]): Promise<{ collided: number[]; inserted: number[] }> {
  if (ops.length === 0) return { collided: [], inserted: [] };
  try {
    return { collided: [], inserted: positions(await collection.bulkWrite(ops, { ordered: false })) };
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { index: number; code?: number; errmsg?: string }[] }).writeErrors ?? [];
    if (writeErrors.length === 0 || !writeErrors.every(isDuplicate)) throw error;
    return { collided: writeErrors.map((w) => w.index), inserted: positions((error as { result?: Upserted }).result) };
  }
}

interface IncidentFold {
  readonly fold: AlertFold;
  readonly batches: Map<string, number>;
  readonly alerts: StoredAlert[];
}

export class AlertFolds {
  private readonly model;
  private readonly events: Collection;
  /** Incidents whose fold document exists (it is never deleted): no need to ask again for their base. */
  private readonly known = new Set<string>();
  /** Incidents whose timeline entry exists (never deleted either): writing it again adds no event to count. */
  private readonly entries = new Set<string>();
  private readonly counts: EventCounts;

  constructor(connection: Connection) {
    this.model = connection.model('AlertFold', foldSchema);
    this.events = connection.collection('timeline_events');
    this.counts = new EventCounts(connection);
  }

  init(): Promise<unknown> {
    return this.model.init();
  }

  async fold(folds: readonly AlertFold[]): Promise<void> {
    const incidents = new Map<string, IncidentFold>();
    for (const fold of folds) {
      if (fold.alerts.length === 0) continue;
      const incident = incidents.get(fold.entry.incidentId) ?? { fold, batches: new Map<string, number>(), alerts: [] };
      incident.batches.set(fold.batchId, (incident.batches.get(fold.batchId) ?? 0) + fold.alerts.length);
      incident.alerts.push(...fold.alerts);
      incidents.set(fold.entry.incidentId, incident);
    }
    if (incidents.size === 0) return;
    const ids = [...incidents.keys()].map(foldId);
    const bases = await this.bases([...incidents.values()]);
    const base = (incidentId: string) => bases.get(incidentId) ?? 0;
    const counting = (incidentId: string, batches: readonly (readonly [string, number])[]): BulkOp => ({
      updateOne: {
        filter: { _id: foldId(incidentId), ...Object.fromEntries(batches.map(([batchId]) => [batchMark(batchId), { $exists: false }])) },
        update: {
          $inc: { count: batches.reduce((sum, [, n]) => sum + n, 0) },
          $set: Object.fromEntries(batches.map(([batchId]) => [batchMark(batchId), true])),
          $setOnInsert: { incidentId: oid(incidentId), base: base(incidentId) },
        },
        upsert: true,
      },
    });
    const documents = this.model.collection as unknown as Collection;
    // Each incident's batches in one write (the embedded server scans the collection per write).
    const groups = [...incidents].map(([incidentId, { batches }]) => ({ incidentId, batches: [...batches] }));
    const { collided } = await bulkFindingDuplicates(documents, groups.map((g) => counting(g.incidentId, g.batches)));
    // Not applied: one of the batches was counted before (a retry; the upsert then collides with
    // the document), or two first upserts of the document raced. Then one batch at a time: the
    // document exists by now (that is what a collision means), so a batch that collides again was
    // counted before.
    await bulkFindingDuplicates(documents, collided.flatMap((n) => groups[n]!.batches.map((batch) => counting(groups[n]!.incidentId, [batch]))));
    const totals = new Map(
      (await this.model.collection.find({ _id: { $in: ids } }, { projection: { count: 1, base: 1 } }).toArray()).map((doc) => [String(doc._id), Number(doc.base ?? 0) + Number(doc.count ?? 0)] as const),
    );
    if (this.known.size > MAX_KNOWN) this.known.clear();
    if (this.entries.size > MAX_KNOWN) this.entries.clear();
    for (const incidentId of incidents.keys()) if (totals.has(String(foldId(incidentId)))) this.known.add(incidentId);
    await this.writeEntries([...incidents.values()], (incidentId) => totals.get(String(foldId(incidentId))) ?? 0);
  }

  /** Drops the marks of finished batches (they can never be folded again) from these incidents' documents. */
  async dropMarks(batchIds: readonly string[], incidentIds: readonly string[]): Promise<void> {
    if (batchIds.length === 0 || incidentIds.length === 0) return;
    await this.model.collection.updateMany({ _id: { $in: incidentIds.map(foldId) } }, { $unset: Object.fromEntries(batchIds.map((id) => [batchMark(id), ''])) });
  }

  /** For incidents without a fold document yet: the count their entry already shows (0 for a new incident). */
  private async bases(incidents: IncidentFold[]): Promise<Map<string, number>> {
    const unknown = incidents.filter(({ fold }) => !this.known.has(fold.entry.incidentId));
    if (unknown.length === 0) return new Map();
    const existing = new Set((await this.model.collection.find({ _id: { $in: unknown.map(({ fold }) => foldId(fold.entry.incidentId)) } }, { projection: { _id: 1 } }).toArray()).map((doc) => String(doc._id)));
    const fresh = unknown.filter(({ fold }) => !existing.has(String(foldId(fold.entry.incidentId))));
    if (fresh.length === 0) return new Map();
    const entries = await this.events.find({ _id: { $in: fresh.map(({ fold }) => oid(fold.entry.id)) } }, { projection: { incidentId: 1, 'payload.count': 1 } }).toArray();
    return new Map(entries.map((doc) => [String(doc.incidentId), Number((doc.payload as { count?: number } | undefined)?.count ?? 0)]));
  }

  private async writeEntries(incidents: IncidentFold[], total: (incidentId: string) => number): Promise<void> {
    const recordedAt = new Date();
    const plans = incidents.map(({ fold: { entry }, alerts }) => {
      const times = alerts.map((a) => new Date(a.receivedAt).getTime());
      const first = new Date(Math.min(...times));
      const last = new Date(Math.max(...times));
      const latest = alerts.findLast((a) => new Date(a.receivedAt).getTime() === last.getTime())!;
      const fold = {
        // (Top-level fields only in $setOnInsert: the embedded server mishandles dotted ones there.)
        $setOnInsert: { incidentId: oid(entry.incidentId), kind: 'alert_received', actor: entry.actor },
        $min: { at: first, 'payload.firstSeen': first },
        $max: { 'payload.lastSeen': last, 'payload.count': total(entry.incidentId) },
        // recordedAt moves on each change, so a live tab is sent the entry again with its new count.
        $set: { 'payload.fingerprint': entry.fingerprint, 'payload.folded': true, recordedAt },
      };
      const words = { 'payload.title': latest.title, 'payload.status': latest.status, 'payload.url': latest.url ?? null, 'payload.labels': latest.labels };
      return { entry, last, fold, words };
    });
    const unseen = plans.map(({ entry }) => entry.incidentId).filter((incidentId) => !this.entries.has(incidentId));
    const epochs = await this.counts.start(unseen);
    // One write when this batch holds the newest alert (the usual case): the latest words are its.
    const first = await bulkFindingDuplicates(
      this.events,
      plans.map(({ entry, last, fold, words }) => ({
        updateOne: { filter: { _id: oid(entry.id), $or: [{ 'payload.lastSeen': { $lte: last } }, { 'payload.lastSeen': { $exists: false } }] }, update: { ...fold, $set: { ...fold.$set, ...words } }, upsert: true },
      })),
    );
    // The entry holds newer words (the upsert then collides with it), or two upserts of a new entry raced.
    const again = await bulkFindingDuplicates(this.events, first.collided.map((n) => ({ updateOne: { filter: { _id: oid(plans[n]!.entry.id) }, update: plans[n]!.fold, upsert: true } })));
    const created = new Set([...first.inserted, ...again.inserted.map((n) => first.collided[n]!)].map((n) => plans[n]!.entry.incidentId));
    await this.counts.settle(epochs, new Map(unseen.map((id) => [id, created.has(id) ? { alert_received: 1 } : {}])));
    for (const incidentId of unseen) this.entries.add(incidentId);
  }
}
