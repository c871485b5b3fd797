/**
 * The alert inbox: every alert is stored (deterministic _id from its delivery key) before it is
 * acted on, so a crash after the 202 loses nothing; a sweep processes whatever is left pending.
 * Fingerprint generations say which incident an alert belongs to without a unique index.
 */
import { Schema, Types, type Connection } from 'mongoose';
import { deterministicId } from '../ids.js';
import type { AlertStore, StoredAlert } from '../ports.js';
import type { TimelineEvent } from '../timeline.js';

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
    processed: Boolean,
    incidentId: Schema.Types.ObjectId,
  },
  { collection: 'alerts', versionKey: false },
);
// The sweep asks for unprocessed alerts by age.
alertSchema.index({ processed: 1, receivedAt: 1 });

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

export class MongoAlertStore implements AlertStore {
  private readonly alerts;
  private readonly generations;
  private readonly events;

  constructor(connection: Connection) {
    this.alerts = connection.model('Alert', alertSchema);
    this.generations = connection.model('AlertGeneration', generationSchema);
    this.events = connection.collection('timeline_events');
  }

  init(): Promise<unknown> {
    return this.alerts.init();
  }

  async storeAlerts(alerts: readonly StoredAlert[]): Promise<number> {
    if (alerts.length === 0) return 0;
    const docs = alerts.map(({ id, ...alert }) => ({ _id: oid(id), ...alert, processed: false }));
    try {
      const result = await this.alerts.collection.insertMany(docs as never[], { ordered: false });
      return result.insertedCount;
    } catch (error) {
      if (!onlyDuplicates(error)) throw error;
      return (error as { insertedCount?: number; result?: { insertedCount?: number } }).insertedCount ?? (error as { result?: { insertedCount?: number } }).result?.insertedCount ?? 0;
    }
  }

  async pendingAlerts(before: Date, limit: number): Promise<StoredAlert[]> {
    const docs = await this.alerts.find({ processed: false, receivedAt: { $lt: before } }).sort({ receivedAt: 1 }).limit(limit).lean();
    return docs.map(({ _id, processed: _p, incidentId: _i, ...rest }) => ({ ...(rest as unknown as Omit<StoredAlert, 'id'>), id: String(_id), labels: (rest.labels ?? {}) as Record<string, string> }));
  }

  async markAlertsProcessed(ids: readonly string[], incidentId: string | undefined): Promise<void> {
    if (ids.length === 0) return;
    await this.alerts.updateMany({ _id: { $in: ids.map(oid) } }, { $set: { processed: true, ...(incidentId ? { incidentId: oid(incidentId) } : {}) } });
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
    if (events.length === 0) return;
    const recordedAt = new Date();
    const docs = events.map(({ id, incidentId, ...fields }) => ({ _id: oid(id), incidentId: oid(incidentId), ...fields, recordedAt }));
    try {
      await this.events.insertMany(docs as never[], { ordered: false });
    } catch (error) {
      if (!onlyDuplicates(error)) throw error;
    }
  }
}
