import { Types, type Connection } from 'mongoose';
import { deterministicId } from '../support/ids.js';
import { PERSON_SOURCES, type ConversationAddress, type Incident, type Person, type ProvisioningStep, type StepState } from '../incident/incident.js';
import type { ConversationStore } from '../ports/conversationStore.js';
import type { EventPageQuery, TimelineListener, TimelineReader } from '../ports/timelineStore.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import type { PostmortemSaveResult, PostmortemStore, StoredPostmortem } from '../ports/postmortemStore.js';
import type { StepFields } from '../ports/provisioningStore.js';
import type { PostmortemContent } from '../postmortem/postmortem.js';
import type { EventKind, TimelineEvent } from '../incident/timeline.js';
import { registerModels, type Models } from './schemas.js';
import { patchToSet } from './patchUpdate.js';
import { EventCounts } from './eventCounts.js';
import type { IncidentPatch } from '../incident/patch.js';
import type { Effect } from '../delivery/effects.js';

const DUPLICATE_KEY = 11000;
const oid = (hex: string) => new Types.ObjectId(hex);
const isDuplicate = (error: unknown) => (error as { code?: number }).code === DUPLICATE_KEY;
/** Events per round trip when streaming a timeline: small enough to hold, large enough to be quick. */
const STREAM_BATCH = 500;

/** Mongo documents carry `_id` ObjectIds; the domain speaks 24-hex strings. (The event counts are the store's: see countEvents.) */
function toIncident(doc: Record<string, unknown> | null): Incident | undefined {
  if (!doc) return undefined;
  const { _id, eventCounts: _counts, ...rest } = doc;
  return { id: String(_id), ...rest } as unknown as Incident;
}

export function toEvent(doc: Record<string, unknown>): TimelineEvent {
  const { _id, incidentId, recordedAt: _recordedAt, ...rest } = doc;
  return { id: String(_id), incidentId: String(incidentId), ...rest } as unknown as TimelineEvent;
}

function toPostmortem(doc: Record<string, unknown> | null, incidentId: string): StoredPostmortem | undefined {
  if (!doc) return undefined;
  return { incidentId, version: doc.version as number, content: doc.content as PostmortemContent, savedAt: doc.savedAt as Date, savedBy: doc.savedBy as Person };
}

/**
 * A page's filter, the conditions that rule out most events first: the embedded server tests each
 * event against them in this order, and comparing ObjectIds is its dearest test. (MongoDB picks an
 * index whatever the order.)
 */
function pageFilter(incidentId: string, query: EventPageQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (query.kinds || query.excludeKinds) filter.kind = { ...(query.kinds ? { $in: [...query.kinds] } : {}), ...(query.excludeKinds ? { $nin: [...query.excludeKinds] } : {}) };
  if (query.after) {
    // Keyset pagination: strictly after the last event seen, ties on time broken by id.
    const beyond = query.order === 'asc' ? '$gt' : '$lt';
    const { at, id } = query.after;
    filter.$or = [{ at: { [beyond]: at } }, { at, _id: { [beyond]: oid(id) } }];
  }
  filter.incidentId = oid(incidentId);
  return filter;
}

// Metrics rows: a write that changes milestones, severity or the set of incidents is also
// wrapped in metricsTracking.ts (MetricsTrackingStore), which keeps each incident's row current.
export class MongoIncidentStore implements IncidentStore, ConversationStore, TimelineReader, PostmortemStore {
  private readonly models: Models;
  private readonly listeners: TimelineListener[] = [];
  private readonly counts: EventCounts;

  constructor(connection: Connection) {
    this.models = registerModels(connection);
    this.counts = new EventCounts(connection);
  }

  /** Who hears of each new timeline event, whichever use case recorded it (the log). */
  onRecorded(listener: TimelineListener): void {
    this.listeners.push(listener);
  }

  /** Builds indexes (real MongoDB uses them; the embedded server accepts and ignores them). */
  async init(): Promise<void> {
    await Promise.all(Object.values(this.models).map((model) => model.init()));
  }

  async nextNumber(tenantId: string): Promise<number> {
    const counter = await this.models.Counter.findOneAndUpdate(
      { _id: oid(deterministicId('incident-number', tenantId)) },
      { $inc: { seq: 1 }, $setOnInsert: { name: `incident-number:${tenantId}` } },
      { upsert: true, returnDocument: 'after', lean: true },
    );
    if (!counter) throw new Error('incident counter upsert returned nothing');
    return counter.seq;
  }

  async insertIncident(incident: Incident, onInserted?: (stored: Incident) => void): Promise<{ incident: Incident; inserted: boolean }> {
    const { id, ...fields } = incident;
    try {
      await this.models.Incident.collection.insertOne({ _id: oid(id), ...fields, eventCounts: EventCounts.NONE_YET } as never);
      onInserted?.(incident);
      return { incident, inserted: true };
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      const existing = await this.findById(id);
      if (!existing) throw error;
      return { incident: existing, inserted: false };
    }
  }

  async findById(id: string): Promise<Incident | undefined> {
    if (!Types.ObjectId.isValid(id) || id.length !== 24) return undefined;
    return toIncident(await this.models.Incident.findById(oid(id)).lean());
  }

  async findByNumber(tenantId: string, number: number): Promise<Incident | undefined> {
    return toIncident(await this.models.Incident.findOne({ tenantId, number }).lean());
  }

  async findByChannel(tenantId: string, channelId: string): Promise<Incident | undefined> {
    // A private incident's room is its group chat: commands typed there find it the same way.
    return toIncident(await this.models.Incident.findOne({ tenantId, $or: [{ 'channel.id': channelId }, { 'chat.id': channelId }] }).lean());
  }

  async findByMeetingChat(tenantId: string, chatId: string): Promise<Incident | undefined> {
    return toIncident(await this.models.Incident.findOne({ tenantId, 'meeting.chatId': chatId }).lean());
  }

  async saveStep(id: string, step: ProvisioningStep, state: StepState, fields: StepFields = {}, event?: TimelineEvent): Promise<Incident> {
    const set = { [`provisioning.steps.${step}`]: state, ...fields, updatedAt: new Date() };
    // With an event, the same write puts it in the outbox and counts its recording started (eventCounts.ts).
    const update = event ? { $set: set, $inc: { version: 1, ...EventCounts.STARTING.$inc }, $max: EventCounts.STARTING.$max(), $push: { outbox: event } } : { $set: set, $inc: { version: 1 } };
    const updated = await this.models.Incident.findOneAndUpdate({ _id: oid(id) }, update as never, { returnDocument: 'after', lean: true });
    const incident = toIncident(updated);
    if (!incident) throw new Error(`incident ${id} not found while saving step ${step}`);
    if (event) {
      // Into the timeline now; after a crash before this, the outbox sweep brings it (flushOutbox).
      const inserted = await this.insertEvent({ ...event, at: new Date(event.at) });
      await this.counts.settleFlushed(id, (updated!.eventCounts as { epoch: number }).epoch, event, inserted);
    }
    return incident;
  }

  async setAckActivity(id: string, activityId: string): Promise<void> {
    await this.models.Incident.updateOne({ _id: oid(id) }, { $set: { 'source.ackActivityId': activityId } });
  }

  async markProvisioned(id: string, owner: string): Promise<void> {
    await this.models.Incident.updateOne({ _id: oid(id), 'provisioning.lease.owner': owner }, { $set: { 'provisioning.complete': true } });
  }

  async claimProvisioning(id: string, owner: string, until: Date, now: Date): Promise<Incident | undefined> {
    const claimed = await this.models.Incident.findOneAndUpdate(
      {
        _id: oid(id),
        'provisioning.complete': false,
        // Only a free or expired lease: not even the same process may hold it twice.
        $or: [{ 'provisioning.lease': { $exists: false } }, { 'provisioning.lease.until': { $lte: now } }],
      },
      { $set: { 'provisioning.lease': { owner, until } }, $inc: { 'provisioning.claims': 1 } },
      { returnDocument: 'after', lean: true },
    );
    return toIncident(claimed);
  }

  async renewProvisioning(id: string, owner: string, until: Date): Promise<void> {
    await this.models.Incident.updateOne({ _id: oid(id), 'provisioning.lease.owner': owner }, { $set: { 'provisioning.lease.until': until } });
  }

  async releaseProvisioning(id: string, owner: string): Promise<void> {
    await this.models.Incident.updateOne({ _id: oid(id), 'provisioning.lease.owner': owner }, { $unset: { 'provisioning.lease': 1 } });
  }

  async listUnprovisioned(limit: number, now: Date): Promise<Incident[]> {
    const docs = await this.models.Incident.find({
      'provisioning.complete': false,
      $or: [{ 'provisioning.lease': { $exists: false } }, { 'provisioning.lease.until': { $lte: now } }],
    })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toIncident(doc)!);
  }

  async applyChange(
    id: string,
    expectedVersion: number,
    actionKey: string,
    patch: IncidentPatch,
    event: TimelineEvent,
    effects: readonly Effect[],
  ): Promise<Incident | 'conflict' | 'duplicate' | 'missing'> {
    const updated = await this.models.Incident.findOneAndUpdate(
      { _id: oid(id), version: expectedVersion, recentActions: { $ne: actionKey } },
      {
        $set: { ...patchToSet(patch), updatedAt: event.at },
        $inc: { version: 1 },
        // The last 200 action keys are enough to recognise a retried Teams invoke.
        $push: { recentActions: { $each: [actionKey], $slice: -200 }, outbox: event, ...(effects.length ? { effects: { $each: [...effects] } } : {}) },
      },
      { returnDocument: 'after', lean: true },
    );
    if (updated) return toIncident(updated)!;
    const current = await this.findById(id);
    if (!current) return 'missing';
    return current.recentActions?.includes(actionKey) ? 'duplicate' : 'conflict';
  }

  async flushOutbox(incident: Incident): Promise<void> {
    const pending = incident.outbox ?? [];
    if (pending.length === 0) return;
    await this.counts.recording(incident.id, pending.map((e) => e.kind), async () => {
      const inserted: boolean[] = [];
      for (const event of pending) inserted.push(await this.insertEvent({ ...event, at: new Date(event.at) }));
      return inserted;
    });
    // One equality $pull per event: the embedded server ignores `$in` conditions inside $pull.
    for (const event of pending) await this.models.Incident.updateOne({ _id: oid(incident.id) }, { $pull: { outbox: { id: event.id } } });
  }

  async listWithOutbox(limit: number): Promise<Incident[]> {
    const docs = await this.models.Incident.find({ 'outbox.0': { $exists: true } }).limit(limit).lean();
    return docs.map((doc) => toIncident(doc)!);
  }

  async countDeclaredSince(tenantId: string, since: Date, reporter?: Pick<Person, 'id'>): Promise<number> {
    return this.models.Incident.countDocuments({
      tenantId,
      'milestones.declared': { $gte: since },
      'source.kind': { $in: [...PERSON_SOURCES] },
      ...(reporter ? { 'reporter.id': reporter.id } : {}),
    });
  }

  async listOpen(tenantId: string, limit: number): Promise<Incident[]> {
    const docs = await this.models.Incident.find({ tenantId, status: { $nin: ['resolved', 'closed', 'archived'] } })
      .sort({ number: -1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toIncident(doc)!);
  }

  async listForPerson(tenantId: string, person: Pick<Person, 'id' | 'aadObjectId'>, limit: number): Promise<Incident[]> {
    // Plain string equality on known paths: the values never become operators.
    const paths = ['roles.commander', 'roles.communications', 'roles.business', 'roles.technical', 'roles.scribe', 'roles.smes', 'followers'];
    const who = [{ field: 'id', value: person.id }, ...(person.aadObjectId ? [{ field: 'aadObjectId', value: person.aadObjectId }] : [])];
    const or = paths.flatMap((path) => who.map(({ field, value }) => ({ [`${path}.${field}`]: { $eq: String(value) } })));
    const docs = await this.models.Incident.find({ tenantId: { $eq: tenantId }, status: { $nin: ['closed', 'archived'] }, $or: or })
      .sort({ number: -1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => toIncident(doc)!);
  }

  async listEventsSince(incidentId: string, afterVersion: number): Promise<TimelineEvent[]> {
    const docs = await this.models.TimelineEvent.find({ incidentId: oid(incidentId), version: { $gt: afterVersion } }).sort({ version: 1 }).lean();
    return docs.map((doc) => toEvent(doc as Record<string, unknown>));
  }

  async appendEvent(event: TimelineEvent): Promise<boolean> {
    const [inserted] = await this.counts.recording(event.incidentId, [event.kind], async () => [await this.insertEvent(event)]);
    return inserted!;
  }

  /** One event into the timeline, unless it is there already (false); who listens hears of a new one. */
  private async insertEvent(event: TimelineEvent): Promise<boolean> {
    const { id, incidentId, ...fields } = event;
    try {
      await this.models.TimelineEvent.collection.insertOne({ _id: oid(id), incidentId: oid(incidentId), ...fields, recordedAt: new Date() } as never);
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
    for (const listener of this.listeners) listener.eventRecorded(event);
    return true;
  }

  async listEvents(incidentId: string): Promise<TimelineEvent[]> {
    const docs = await this.models.TimelineEvent.find({ incidentId: oid(incidentId) }).sort({ at: 1, _id: 1 }).lean();
    return docs.map((doc) => toEvent(doc as Record<string, unknown>));
  }

  async pageEvents(incidentId: string, query: EventPageQuery): Promise<TimelineEvent[]> {
    const direction = query.order === 'asc' ? 1 : -1;
    const docs = await this.models.TimelineEvent.find(pageFilter(incidentId, query)).sort({ at: direction, _id: direction }).limit(query.limit).lean();
    return docs.map((doc) => toEvent(doc as Record<string, unknown>));
  }

  async *streamEvents(incidentId: string): AsyncGenerator<TimelineEvent> {
    // Sorted by the (incidentId, at, _id) index, so real MongoDB streams it without sorting in memory.
    const cursor = this.models.TimelineEvent.find({ incidentId: oid(incidentId) }).sort({ at: 1, _id: 1 }).lean().cursor({ batchSize: STREAM_BATCH });
    try {
      for await (const doc of cursor) yield toEvent(doc as Record<string, unknown>);
    } finally {
      await cursor.close();
    }
  }

  /** From the counts kept on the incident as its events are recorded (eventCounts.ts), not a count over the timeline. */
  countEvents(incidentId: string, filter: Pick<EventPageQuery, 'kinds' | 'excludeKinds'> = {}): Promise<number> {
    return this.counts.count(incidentId, filter);
  }

  async eventsRecordedSince(incidentId: string, since: Date, limit: number): Promise<{ events: TimelineEvent[]; latest?: Date }> {
    // The time first: on the embedded server it rules out all but the newest events before the ObjectId test (see pageFilter).
    const docs = await this.models.TimelineEvent.find({ recordedAt: { $gte: since }, incidentId: oid(incidentId) }).sort({ recordedAt: 1 }).limit(limit).lean();
    const latest = docs.at(-1)?.recordedAt ?? undefined;
    return { events: docs.map((doc) => toEvent(doc as Record<string, unknown>)), latest };
  }

  async getPostmortem(incidentId: string): Promise<StoredPostmortem | undefined> {
    if (!Types.ObjectId.isValid(incidentId) || incidentId.length !== 24) return undefined;
    return toPostmortem(await this.models.Postmortem.findById(oid(incidentId)).lean(), incidentId);
  }

  async savePostmortem(
    incidentId: string,
    tenantId: string,
    expectedVersion: number,
    key: string,
    content: PostmortemContent,
    by: Person,
    at: Date,
  ): Promise<PostmortemSaveResult> {
    const fields = { content, savedAt: at, savedBy: by };
    let saved: StoredPostmortem | undefined;
    if (expectedVersion === 0) {
      try {
        // The first save creates the head; a duplicate _id means someone else created it first.
        await this.models.Postmortem.collection.insertOne({ _id: oid(incidentId), tenantId, version: 1, ...fields, recentKeys: [key] } as never);
        saved = { incidentId, version: 1, ...fields };
      } catch (error) {
        if (!isDuplicate(error)) throw error;
      }
    } else {
      const updated = await this.models.Postmortem.findOneAndUpdate(
        { _id: oid(incidentId), version: expectedVersion, recentKeys: { $ne: key } },
        { $set: fields, $inc: { version: 1 }, $push: { recentKeys: { $each: [key], $slice: -50 } } },
        { returnDocument: 'after', lean: true },
      );
      saved = toPostmortem(updated, incidentId);
    }
    if (saved) {
      await this.recordVersion(saved);
      return { saved };
    }
    const current = await this.models.Postmortem.findById(oid(incidentId)).lean();
    if (!current) throw new Error(`post-mortem of ${incidentId} vanished while saving`);
    const head = toPostmortem(current, incidentId)!;
    return current.recentKeys?.includes(key) ? { duplicate: head } : { conflict: head };
  }

  async recordVersion(postmortem: StoredPostmortem): Promise<void> {
    const { incidentId, version, content, savedAt, savedBy } = postmortem;
    await this.models.PostmortemVersion.updateOne(
      { _id: oid(deterministicId('postmortem-version', incidentId, String(version))) },
      { $setOnInsert: { incidentId: oid(incidentId), version, content, savedAt, savedBy } },
      { upsert: true },
    );
  }

  async listPostmortemVersions(incidentId: string): Promise<Omit<StoredPostmortem, 'content'>[]> {
    const docs = await this.models.PostmortemVersion.find({ incidentId: oid(incidentId) }, { content: 0 }).sort({ version: -1 }).lean();
    return docs.map((doc) => ({ incidentId, version: doc.version, savedAt: doc.savedAt as Date, savedBy: doc.savedBy as unknown as Person }));
  }

  async getPostmortemVersion(incidentId: string, version: number): Promise<StoredPostmortem | undefined> {
    const doc = await this.models.PostmortemVersion.findOne({ incidentId: oid(incidentId), version }).lean();
    return toPostmortem(doc as Record<string, unknown> | null, incidentId);
  }

  async remember(address: ConversationAddress): Promise<void> {
    const seenAt = new Date();
    const set = { serviceUrl: address.serviceUrl, tenantId: address.tenantId, seenAt };
    await Promise.all([
      this.models.Conversation.updateOne(
        { _id: oid(deterministicId('conversation', address.tenantId, address.conversationId)) },
        { $set: { ...set, conversationId: address.conversationId } },
        { upsert: true },
      ),
      this.models.Conversation.updateOne({ _id: oid(deterministicId('tenant', address.tenantId)) }, { $set: set }, { upsert: true }),
    ]);
  }

  async serviceUrlFor(tenantId: string, conversationId?: string): Promise<string | undefined> {
    const ids = [conversationId && deterministicId('conversation', tenantId, conversationId), deterministicId('tenant', tenantId)];
    for (const id of ids) {
      if (!id) continue;
      const found = await this.models.Conversation.findById(oid(id)).lean();
      if (found?.serviceUrl) return found.serviceUrl;
    }
    return undefined;
  }
}
