/**
 * Alerts, in the few writes per batch a storm needs (the embedded server scans whole collections
 * on every query and runs writes one at a time, so a write per alert is what limited intake):
 *
 * - `alert_inbox` holds what is accepted and not yet processed, one document per batch (all the
 *   alerts of one group commit): accepting a batch is one insert, finishing it one delete. A
 *   batch is processed under a lease (the process that stored it holds the first), so a sweep
 *   never processes a batch another process is processing, nor one it has finished.
 * - `alerts` is the permanent record, one row per alert (deterministic _id from its delivery),
 *   written once when its batch is processed, with the id of the batch that wrote it first: that
 *   batch is the one that counts it, so a retried delivery (another batch) is kept once and counted
 *   once, and a batch processed again after a crash finds its own rows and counts them still.
 * - `alert_generations` says which incident a fingerprint's alerts go to, without a unique index;
 *   `alert_occurrences` remembers, per firing, the incident it joined (so a replay opens nothing);
 *   `alert_folds` counts each incident's alerts (models/mongo/alertFolds.ts).
 */
import { Schema, Types, type Connection } from 'mongoose';
import { deterministicId } from '../support/ids.js';
import type { Status } from '../incident/lifecycle.js';
import { laneKey, type AlertBatch, type AlertFold, type AlertLane, type AlertStore, type BatchLease, type StoredAlert } from '../ports/alertStore.js';
import { AlertFolds, isDuplicate } from './alertFolds.js';

const alertSchema = new Schema(
  {
    _id: Schema.Types.ObjectId,
    tenantId: String,
    source: String,
    fingerprint: String,
    status: String,
    title: String,
    description: String,
    severityLabel: String,
    component: String,
    startsAt: Date,
    url: String,
    labels: Schema.Types.Mixed,
    deliveryKey: String,
    occurrenceKey: String,
    receivedAt: Date,
    partial: Boolean,
    /** The batch that recorded it first. */
    batch: String,
  },
  { collection: 'alerts', versionKey: false },
);
alertSchema.index({ tenantId: 1, fingerprint: 1, receivedAt: 1 });

/** A batch: `alerts`. (Before batches, one document per alert, `alert`: still read, for an inbox left by an older version.) */
const inboxSchema = new Schema({ _id: Schema.Types.ObjectId, alerts: Schema.Types.Mixed, alert: Schema.Types.Mixed, receivedAt: Date, lease: { owner: String, until: Date } }, { collection: 'alert_inbox', versionKey: false });
inboxSchema.index({ receivedAt: 1 });

const generationSchema = new Schema({ _id: Schema.Types.ObjectId, key: String, generation: Number }, { collection: 'alert_generations', versionKey: false });

/**
 * `ref` repeats the _id as a string: the embedded server compares strings in `$in` about ten
 * times faster than ObjectIds (it scans), and real MongoDB answers either from an index.
 */
const occurrenceSchema = new Schema({ _id: Schema.Types.ObjectId, ref: String, incidentId: String, claimedAt: Date }, { collection: 'alert_occurrences', versionKey: false });
occurrenceSchema.index({ ref: 1 });

const oid = (id: string) => new Types.ObjectId(id);
const generationId = (tenantId: string, source: string, fingerprint: string) => oid(deterministicId('alert-generation', tenantId, source, fingerprint));
const occurrenceId = (tenantId: string, key: string) => deterministicId('alert-occurrence', tenantId, key);

type Insertable = { insertMany(docs: never[], options: object): Promise<unknown> };

/** Inserts what is new; says which of the docs (by position) were there already (same _id): the idempotent case. */
async function insertFindingDuplicates(collection: Insertable, docs: object[]): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (error) {
    const e = error as { code?: number; writeErrors?: { index?: number; code?: number; err?: { index?: number; code?: number } }[] };
    if (e.writeErrors?.length ? !e.writeErrors.every(isDuplicate) : !isDuplicate(e)) throw error;
    // A single duplicate may come back as a plain E11000 without positions: then ask about all.
    if (!e.writeErrors?.length) return new Set(docs.map((_, n) => n));
    return new Set(e.writeErrors.map((w) => w.index ?? w.err?.index ?? -1));
  }
}

/** Not leased by anyone at `now`: never leased (stored by an older version, or without one), or the lease ran out. */
const unleased = (now: Date) => ({ $or: [{ lease: { $exists: false } }, { 'lease.until': { $lt: now } }] as object[] });

/** An alert as BSON gives it back: absent fields may come back null, dates as dates. */
function revive(doc: Record<string, unknown>): StoredAlert {
  const alert = Object.fromEntries(Object.entries(doc).filter(([, value]) => value !== null && value !== undefined)) as Record<string, unknown>;
  return { ...alert, receivedAt: new Date(alert.receivedAt as Date), ...(alert.startsAt ? { startsAt: new Date(alert.startsAt as Date) } : {}) } as unknown as StoredAlert;
}

export class MongoAlertStore implements AlertStore {
  private readonly alerts;
  private readonly inbox;
  private readonly generations;
  private readonly occurrences;
  private readonly incidents;
  private readonly folds: AlertFolds;

  constructor(connection: Connection) {
    this.alerts = connection.model('Alert', alertSchema);
    this.inbox = connection.model('AlertInbox', inboxSchema);
    this.generations = connection.model('AlertGeneration', generationSchema);
    this.occurrences = connection.model('AlertOccurrence', occurrenceSchema);
    this.incidents = connection.collection('incidents');
    this.folds = new AlertFolds(connection);
  }

  init(): Promise<unknown> {
    return Promise.all([this.alerts.init(), this.inbox.init(), this.occurrences.init(), this.folds.init()]);
  }

  async storeBatches(batches: readonly AlertBatch[], lease?: BatchLease): Promise<void> {
    if (batches.length === 0) return;
    // A batch already there is the same batch written twice (its id is new each time it is made).
    await insertFindingDuplicates(this.inbox.collection, batches.map((batch) => ({ _id: oid(batch.id), receivedAt: batch.receivedAt, alerts: batch.alerts, ...(lease ? { lease } : {}) })));
  }

  async pendingBatches(receivedBefore: Date, now: Date, limit: number): Promise<AlertBatch[]> {
    const docs = await this.inbox.collection.find({ receivedAt: { $lt: receivedBefore }, ...unleased(now) }).sort({ receivedAt: 1 }).limit(limit).toArray();
    return docs.map((doc) => {
      // An older version's one-alert document is a batch of one named after it (its row in `alerts` has no batch: see recordAlerts).
      const alerts = Array.isArray(doc.alerts) ? (doc.alerts as Record<string, unknown>[]) : doc.alert ? [doc.alert as Record<string, unknown>] : [];
      return { id: String(doc._id), receivedAt: new Date(doc.receivedAt as Date), alerts: alerts.map(revive) };
    });
  }

  async recordAlerts(batches: readonly AlertBatch[]): Promise<Map<string, string>> {
    // The same alert twice in these batches is written for the first of them.
    const batchOf = new Map<string, string>();
    const docs: object[] = [];
    for (const batch of batches) {
      for (const { id, ...alert } of batch.alerts) {
        if (batchOf.has(id)) continue;
        batchOf.set(id, batch.id);
        docs.push({ _id: oid(id), ...alert, batch: batch.id });
      }
    }
    const ids = [...batchOf.keys()];
    const taken = await insertFindingDuplicates(this.alerts.collection, docs);
    const recorded = new Map(ids.filter((_, n) => !taken.has(n) && !taken.has(-1)).map((id) => [id, batchOf.get(id)!]));
    if (taken.size === 0) return recorded;
    // Rows there already: ours if an earlier attempt at one of these batches wrote them (usually none are).
    const ours = new Set(batches.map((b) => b.id));
    const earlier = ids.filter((_, n) => taken.has(n) || taken.has(-1));
    const rows = await this.alerts.collection.find({ _id: { $in: earlier.map(oid) } }, { projection: { batch: 1 } }).toArray();
    for (const row of rows) {
      // A row without a batch was written by an older version together with its one-alert inbox document: that batch has its id.
      const batch = (row.batch as string | undefined) ?? String(row._id);
      if (ours.has(batch)) recorded.set(String(row._id), batch);
    }
    return recorded;
  }

  async claimBatches(batchIds: readonly string[], lease: BatchLease, now: Date): Promise<Set<string>> {
    if (batchIds.length === 0) return new Set();
    const ids = batchIds.map(oid);
    // Per document atomic: of two processes claiming one batch, one gets it.
    await this.inbox.collection.updateMany({ _id: { $in: ids }, $or: [...unleased(now).$or, { 'lease.owner': lease.owner }] }, { $set: { lease } });
    return new Set((await this.inbox.collection.find({ _id: { $in: ids }, 'lease.owner': lease.owner }, { projection: { _id: 1 } }).toArray()).map((doc) => String(doc._id)));
  }

  async finishBatches(batchIds: readonly string[], owner: string, incidentIds: readonly string[]): Promise<void> {
    if (batchIds.length === 0) return;
    const { deletedCount } = await this.inbox.collection.deleteMany({ _id: { $in: batchIds.map(oid) }, 'lease.owner': owner });
    // Only now, and only if they were all still ours: a mark dropped while its batch could still be
    // processed again would let it count twice (a batch another process took over keeps its marks).
    if (deletedCount === batchIds.length) await this.folds.dropMarks(batchIds, incidentIds);
  }

  async alertGenerations(tenantId: string, lanes: readonly AlertLane[]): Promise<Map<string, number>> {
    const byId = new Map(lanes.map((lane) => [String(generationId(tenantId, lane.source, lane.fingerprint)), laneKey(lane)]));
    const docs = lanes.length === 0 ? [] : await this.generations.collection.find({ _id: { $in: [...byId.keys()].map(oid) } }, { projection: { generation: 1 } }).toArray();
    const generations = new Map([...byId.values()].map((key) => [key, 0]));
    for (const doc of docs) generations.set(byId.get(String(doc._id))!, Number(doc.generation ?? 0));
    return generations;
  }

  async advanceAlertGeneration(tenantId: string, source: string, fingerprint: string, from: number): Promise<void> {
    // Conditional: two processes that both saw the incident end move the generation on once. A
    // fingerprint never moved has no document (generation 0): the first move creates it, and a
    // second mover's upsert then collides with it — the move is made.
    const filter = { _id: generationId(tenantId, source, fingerprint), generation: from };
    await this.generations.collection
      .updateOne(filter, { $inc: { generation: 1 }, $setOnInsert: { key: `${tenantId}|${source}|${fingerprint}`.slice(0, 500) } }, { upsert: from === 0 })
      .catch((error: unknown) => (isDuplicate(error as Error) ? undefined : Promise.reject(error)));
  }

  async incidentStatuses(incidentIds: readonly string[]): Promise<Map<string, Status>> {
    if (incidentIds.length === 0) return new Map();
    const docs = await this.incidents.find({ _id: { $in: [...new Set(incidentIds)].map(oid) } }, { projection: { status: 1 } }).toArray();
    return new Map(docs.map((doc) => [String(doc._id), doc.status as Status]));
  }

  async claimOccurrences(tenantId: string, claims: ReadonlyMap<string, string>): Promise<Map<string, string>> {
    const keys = [...claims.keys()];
    const claimedAt = new Date();
    const docs = keys.map((key) => ({ _id: oid(occurrenceId(tenantId, key)), ref: occurrenceId(tenantId, key), incidentId: claims.get(key)!, claimedAt }));
    const taken = await insertFindingDuplicates(this.occurrences.collection, docs);
    const owners = new Map(claims);
    if (taken.size === 0) return owners;
    // Only the ones claimed before are read back (a repeat or a replay): usually none.
    const earlier = await this.occurrenceIncidents(tenantId, keys.filter((_, n) => taken.has(n) || taken.has(-1)));
    for (const [key, owner] of earlier) owners.set(key, owner);
    return owners;
  }

  async occurrenceIncidents(tenantId: string, keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const byRef = new Map(keys.map((key) => [occurrenceId(tenantId, key), key]));
    const docs = await this.occurrences.collection.find({ ref: { $in: [...byRef.keys()] } }, { projection: { ref: 1, incidentId: 1 } }).toArray();
    return new Map(docs.flatMap((doc) => (doc.ref && doc.incidentId && byRef.has(doc.ref as string) ? [[byRef.get(doc.ref as string)!, doc.incidentId as string] as const] : [])));
  }

  foldAlerts(folds: readonly AlertFold[]): Promise<void> {
    return this.folds.fold(folds);
  }
}
