/**
 * Every alert is stored twice in one go before it is acted on (deterministic _id from its
 * delivery key): in `alerts`, the permanent record, written once and never updated; and in
 * `alert_inbox`, the work still to do, deleted once processed. A crash after the 202 loses
 * nothing (the sweep processes what the inbox holds), and the collection that is searched and
 * updated stays as small as the backlog — the embedded server scans whole collections.
 * Fingerprint generations say which incident an alert belongs to without a unique index.
 */
import { Schema, Types, type Connection } from 'mongoose';
import { deterministicId } from '../support/ids.js';
import type { AlertStore, StoredAlert } from '../ports/alertStore.js';
import type { TimelineEvent } from '../incident/timeline.js';

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
    receivedAt: Date,
    partial: Boolean,
  },
  { collection: 'alerts', versionKey: false },
);
alertSchema.index({ tenantId: 1, fingerprint: 1, receivedAt: 1 });

const inboxSchema = new Schema({ _id: Schema.Types.ObjectId, alert: Schema.Types.Mixed, receivedAt: Date }, { collection: 'alert_inbox', versionKey: false });
inboxSchema.index({ receivedAt: 1 });

const generationSchema = new Schema({ _id: Schema.Types.ObjectId, key: String, generation: Number }, { collection: 'alert_generations', versionKey: false });

const DUPLICATE_KEY = 11000;
const oid = (id: string) => new Types.ObjectId(id);
const generationId = (tenantId: string, source: string, fingerprint: string) => oid(deterministicId('alert-generation', tenantId, source, fingerprint));

/** insertMany(ordered: false) reports duplicates as write errors; they are the idempotent case. */
function onlyDuplicates(error: unknown): boolean {
  const e = error as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (e.writeErrors?.length) return e.writeErrors.every((w) => (w.code ?? w.err?.code) === DUPLICATE_KEY);
  return e.code === DUPLICATE_KEY;
}

/** Inserts what is new; rows already there (same _id) are the idempotent case. Returns how many were new. */
async function insertIgnoringDuplicates(collection: { insertMany(docs: never[], options: object): Promise<{ insertedCount: number }> }, docs: object[]): Promise<number> {
  if (docs.length === 0) return 0;
  try {
    return (await collection.insertMany(docs as never[], { ordered: false })).insertedCount;
  } catch (error) {
    if (!onlyDuplicates(error)) throw error;
    return (error as { result?: { insertedCount?: number } }).result?.insertedCount ?? 0;
  }
}

export class MongoAlertStore implements AlertStore {
  private readonly alerts;
  private readonly inbox;
  private readonly generations;
  private readonly events;

  constructor(connection: Connection) {
    this.alerts = connection.model('Alert', alertSchema);
    this.inbox = connection.model('AlertInbox', inboxSchema);
    this.generations = connection.model('AlertGeneration', generationSchema);
    this.events = connection.collection('timeline_events');
  }

  init(): Promise<unknown> {
    return Promise.all([this.alerts.init(), this.inbox.init()]);
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

  async appendEvents(events: readonly TimelineEvent[]): Promise<void> {
    const recordedAt = new Date();
    await insertIgnoringDuplicates(this.events, events.map(({ id, incidentId, ...fields }) => ({ _id: oid(id), incidentId: oid(incidentId), ...fields, recordedAt })));
  }
}
