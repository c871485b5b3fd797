/**
 * Every alert is stored twice in one go before it is acted on (deterministic _id from its
 * delivery key): in `alerts`, the permanent record, written once and never updated; and in
 * `alert_inbox`, the work still to do, deleted once processed. A crash after the 202 loses
 * nothing (the sweep processes what the inbox holds), and the collection that is searched and
 * updated stays as small as the backlog — the embedded server scans whole collections.
 * Fingerprint generations say which incident an alert belongs to without a unique index;
 * `alert_occurrences` remembers, per firing, the incident it joined (so a replay opens nothing);
 * `incident_alert_sets` holds the ids of each incident's alerts: the one folded timeline entry's
 * count is their number, so retries and crashes never double or lose one.
 */
import { Schema, Types, type Connection } from 'mongoose';
import { deterministicId } from '../support/ids.js';
import type { AlertEntry, AlertStore, StoredAlert } from '../ports/alertStore.js';

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
  },
  { collection: 'alerts', versionKey: false },
);
alertSchema.index({ tenantId: 1, fingerprint: 1, receivedAt: 1 });

const inboxSchema = new Schema({ _id: Schema.Types.ObjectId, alert: Schema.Types.Mixed, receivedAt: Date }, { collection: 'alert_inbox', versionKey: false });
inboxSchema.index({ receivedAt: 1 });

const generationSchema = new Schema({ _id: Schema.Types.ObjectId, key: String, generation: Number }, { collection: 'alert_generations', versionKey: false });

/**
 * `ref` repeats the _id as a string: the embedded server compares strings in `$in` about ten
 * times faster than ObjectIds (it scans), and real MongoDB answers either from an index.
 */
const occurrenceSchema = new Schema({ _id: Schema.Types.ObjectId, ref: String, incidentId: String, claimedAt: Date }, { collection: 'alert_occurrences', versionKey: false });
occurrenceSchema.index({ ref: 1 });

/**
 * The ids of an incident's alerts, split over SET_BUCKETS documents by id so none grows past
 * MongoDB's 16 MB (about 8 million alerts an incident). $addToSet makes adding one twice a
 * no-op within one document's atomic update, so the count — the sum of the sets' sizes — is
 * right after any retry, crash or race, with no transaction; and counting reads 16 small
 * documents rather than a row per alert (a scan of every incident's alerts, on the embedded server).
 */
const alertSetSchema = new Schema({ _id: Schema.Types.ObjectId, incidentId: Schema.Types.ObjectId, bucket: Number, ids: [String] }, { collection: 'incident_alert_sets', versionKey: false });
alertSetSchema.index({ incidentId: 1 });
const SET_BUCKETS = 16;

const DUPLICATE_KEY = 11000;
const oid = (id: string) => new Types.ObjectId(id);
const generationId = (tenantId: string, source: string, fingerprint: string) => oid(deterministicId('alert-generation', tenantId, source, fingerprint));
const occurrenceId = (tenantId: string, key: string) => deterministicId('alert-occurrence', tenantId, key);

/** insertMany(ordered: false) reports duplicates as write errors; they are the idempotent case. */
function onlyDuplicates(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (e.writeErrors?.length) return e.writeErrors.every((w) => (w.code ?? w.err?.code) === DUPLICATE_KEY);
  return e.code === DUPLICATE_KEY;
}

type Insertable = { insertMany(docs: never[], options: object): Promise<{ insertedCount: number }> };

/** Inserts what is new; rows already there (same _id) are the idempotent case. Returns how many were new. */
async function insertIgnoringDuplicates(collection: Insertable, docs: object[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    return (await collection.insertMany(docs as never[], { ordered: false })).insertedCount;
  } catch (error) {
    if (!onlyDuplicates(error)) throw error;
    return (error as { result?: { insertedCount?: number } }).result?.insertedCount ?? 0;
  }
}

/** Like insertIgnoringDuplicates, but says which of the docs (by position) were already there. */
async function insertFindingDuplicates(collection: Insertable, docs: object[]): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (error) {
    if (!onlyDuplicates(error)) throw error;
    const e = error as { writeErrors?: { index?: number; err?: { index?: number } }[] };
    // A single duplicate may come back as a plain E11000 without positions: then ask about all.
    if (!e.writeErrors?.length) return new Set(docs.map((_, n) => n));
    return new Set(e.writeErrors.map((w) => w.index ?? w.err?.index ?? -1));
  }
}

export class MongoAlertStore implements AlertStore {
  private readonly alerts;
  private readonly inbox;
  private readonly generations;
  private readonly occurrences;
  private readonly alertSets;
  private readonly events;

  constructor(connection: Connection) {
    this.alerts = connection.model('Alert', alertSchema);
    this.inbox = connection.model('AlertInbox', inboxSchema);
    this.generations = connection.model('AlertGeneration', generationSchema);
    this.occurrences = connection.model('AlertOccurrence', occurrenceSchema);
    this.alertSets = connection.model('IncidentAlertSet', alertSetSchema);
    this.events = connection.collection('timeline_events');
  }

  init(): Promise<unknown> {
    return Promise.all([this.alerts.init(), this.inbox.init(), this.occurrences.init(), this.alertSets.init()]);
  }

  async storeAlerts(alerts: readonly StoredAlert[]): Promise<number> {
    if (alerts.length === 0) return 0;
    // Both writes at once: if either fails the monitor is told 503 and retries; an alert already
    // in the inbox is processed anyway, and the retry is the same delivery, so nothing doubles.
    const [, inserted] = await Promise.all([
      insertIgnoringDuplicates(this.inbox.collection, alerts.map((alert) => ({ _id: oid(alert.id), alert, receivedAt: alert.receivedAt }))),
      insertIgnoringDuplicates(this.alerts.collection, alerts.map(({ id, ...alert }) => ({ _id: oid(id), ...alert }))),
    ]);
    return inserted;
  }

  async pendingAlerts(before: Date, limit: number): Promise<StoredAlert[]> {
    const docs = await this.inbox.find({ receivedAt: { $lt: before } }).sort({ receivedAt: 1 }).limit(limit).lean();
    return docs.map((doc) => {
      const alert = doc.alert as StoredAlert;
      return { ...alert, receivedAt: new Date(alert.receivedAt), startsAt: alert.startsAt ? new Date(alert.startsAt) : undefined };
    });
  }

  async markAlertsProcessed(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.inbox.deleteMany({ _id: { $in: ids.map(oid) } });
  }

  async alertGeneration(tenantId: string, source: string, fingerprint: string): Promise<number> {
    const doc = await this.generations.findOneAndUpdate(
      { _id: generationId(tenantId, source, fingerprint) },
      { $setOnInsert: { key: `${tenantId}|${source}|${fingerprint}`.slice(0, 500), generation: 0 } },
      { upsert: true, returnDocument: 'after', lean: true },
    );
    return doc?.generation ?? 0;
  }

  async advanceAlertGeneration(tenantId: string, source: string, fingerprint: string, from: number): Promise<void> {
    // Conditional: two processes that both saw the incident end move the generation on once.
    await this.generations.updateOne({ _id: generationId(tenantId, source, fingerprint), generation: from }, { $inc: { generation: 1 } });
  }

  async claimOccurrences(tenantId: string, keys: readonly string[], incidentId: string): Promise<Map<string, string>> {
    const unique = [...new Set(keys)];
    const claimedAt = new Date();
    const docs = unique.map((key) => ({ _id: oid(occurrenceId(tenantId, key)), ref: occurrenceId(tenantId, key), incidentId, claimedAt }));
    const taken = await insertFindingDuplicates(this.occurrences.collection, docs);
    const owners = new Map(unique.map((key) => [key, incidentId]));
    if (taken.size === 0) return owners;
    // Only the ones claimed before are read back (a repeat or a replay): usually none.
    const earlier = await this.occurrenceIncidents(tenantId, unique.filter((_, n) => taken.has(n) || taken.has(-1)));
    for (const [key, owner] of earlier) owners.set(key, owner);
    return owners;
  }

  async occurrenceIncidents(tenantId: string, keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const byRef = new Map(keys.map((key) => [occurrenceId(tenantId, key), key]));
    const docs = await this.occurrences.find({ ref: { $in: [...byRef.keys()] } }, { ref: 1, incidentId: 1 }).lean();
    return new Map(docs.flatMap((doc) => (doc.ref && doc.incidentId && byRef.has(doc.ref) ? [[byRef.get(doc.ref)!, doc.incidentId] as const] : [])));
  }

  async foldAlerts(entry: AlertEntry, alerts: readonly StoredAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    const incidentId = oid(entry.incidentId);
    await this.addToSets(entry.incidentId, incidentId, alerts);
    // Counted, never incremented: the sets' sizes are right whatever happened before — a retry,
    // a crash between these writes, two replicas folding at once ($max keeps the highest count
    // seen, and the last one taken after the last addition sees them all).
    const count = await this.countSets(incidentId);
    const times = alerts.map((a) => new Date(a.receivedAt).getTime());
    const first = new Date(Math.min(...times));
    const last = new Date(Math.max(...times));
    const latest = alerts.findLast((a) => new Date(a.receivedAt).getTime() === last.getTime())!;
    const fold = {
      // (Top-level fields only in $setOnInsert: the embedded server mishandles dotted ones there.)
      $setOnInsert: { incidentId, kind: 'alert_received', actor: entry.actor },
      $min: { at: first, 'payload.firstSeen': first },
      $max: { 'payload.lastSeen': last, 'payload.count': count },
      // recordedAt moves on each change, so a live tab is sent the entry again with its new count.
      $set: { 'payload.fingerprint': entry.fingerprint, 'payload.folded': true, recordedAt: new Date() },
    };
    const words = { 'payload.title': latest.title, 'payload.status': latest.status, 'payload.url': latest.url ?? null, 'payload.labels': latest.labels };
    try {
      // One write when this batch holds the newest alert (the usual case): the latest words are its.
      await this.events.updateOne(
        { _id: oid(entry.id), $or: [{ 'payload.lastSeen': { $lte: last } }, { 'payload.lastSeen': { $exists: false } }] },
        { ...fold, $set: { ...fold.$set, ...words } },
        { upsert: true },
      );
    } catch (error) {
      // The entry holds newer words (the upsert then collides with it), or two upserts of a new entry raced.
      if (!onlyDuplicates(error) && !/duplicate key/i.test((error as Error).message)) throw error;
      await this.events.updateOne({ _id: oid(entry.id) }, fold, { upsert: true });
    }
  }

  private async addToSets(incidentHex: string, incidentId: Types.ObjectId, alerts: readonly StoredAlert[]): Promise<void> {
    const buckets = new Map<number, string[]>();
    for (const { id } of alerts) {
      const bucket = parseInt(id.slice(-4), 16) % SET_BUCKETS;
      const ids = buckets.get(bucket);
      if (ids) ids.push(id);
      else buckets.set(bucket, [id]);
    }
    const writes = [...buckets].map(([bucket, ids]) => ({
      updateOne: { filter: { _id: oid(deterministicId('incident-alert-set', incidentHex, String(bucket))) }, update: { $setOnInsert: { incidentId, bucket }, $addToSet: { ids: { $each: ids } } }, upsert: true },
    }));
    const write = () => this.alertSets.collection.bulkWrite(writes, { ordered: false });
    // Two upserts of one new set at once: MongoDB may refuse the loser with E11000; again, it matches.
    await write().catch((error: unknown) => (onlyDuplicates(error) ? write() : Promise.reject(error)));
  }

  private async countSets(incidentId: Types.ObjectId): Promise<number> {
    const [total] = await this.alertSets.aggregate<{ n: number }>([{ $match: { incidentId } }, { $project: { size: { $size: '$ids' } } }, { $group: { _id: null, n: { $sum: '$size' } } }]);
    return total?.n ?? 0;
  }
}


