/**
 * Durable timers in MongoDB. A claim is one findOneAndUpdate (atomic on every MongoDB and on the
 * embedded server), so two replicas polling together never both get a job. Job ids are
 * deterministic, so scheduling is an upsert that never duplicates.
 */
import { Schema, Types, type Connection } from 'mongoose';
import type { Job, JobKind, JobStore } from '../paging/jobs.js';

const jobSchema = new Schema(
  {
    _id: Schema.Types.ObjectId,
    kind: { type: String, required: true },
    incidentId: { type: Schema.Types.ObjectId, required: true },
    dueAt: { type: Date, required: true },
    payload: { type: Schema.Types.Mixed, default: {} },
    state: { type: String, enum: ['pending', 'done', 'cancelled'], required: true },
    attempts: { type: Number, default: 0 },
    leaseOwner: String,
    leaseUntil: Date,
    lastError: String,
  },
  { collection: 'jobs', versionKey: false },
);
// The poll asks "what is pending and due"; cancelling asks "what is pending for this incident".
jobSchema.index({ state: 1, dueAt: 1 });
jobSchema.index({ incidentId: 1, state: 1, kind: 1 });

type JobDoc = { _id: Types.ObjectId; kind: string; incidentId: Types.ObjectId; dueAt: Date; payload?: Record<string, unknown>; attempts?: number };

const toJob = (doc: JobDoc): Job => ({
  id: doc._id.toHexString(),
  kind: doc.kind as JobKind,
  incidentId: doc.incidentId.toHexString(),
  dueAt: doc.dueAt,
  payload: doc.payload ?? {},
  attempts: doc.attempts ?? 0,
});

export class MongoJobStore implements JobStore {
  private readonly jobs;

  constructor(connection: Connection) {
    this.jobs = connection.model('Job', jobSchema);
  }

  init(): Promise<unknown> {
    return this.jobs.init();
  }

  async scheduleJob(job: Omit<Job, 'attempts'>): Promise<void> {
    await this.jobs.updateOne(
      { _id: new Types.ObjectId(job.id) },
      { $setOnInsert: { kind: job.kind, incidentId: new Types.ObjectId(job.incidentId), dueAt: job.dueAt, payload: job.payload, state: 'pending', attempts: 0 } },
      { upsert: true },
    );
  }

  async claimJob(now: Date, owner: string, leaseUntil: Date): Promise<Job | undefined> {
    const doc = await this.jobs
      .findOneAndUpdate(
        { state: 'pending', dueAt: { $lte: now }, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
        { $set: { leaseOwner: owner, leaseUntil } },
        { sort: { dueAt: 1 }, returnDocument: 'after', lean: true },
      )
      .exec();
    return doc ? toJob(doc as unknown as JobDoc) : undefined;
  }

  async completeJob(id: string, owner: string): Promise<void> {
    await this.jobs.updateOne({ _id: new Types.ObjectId(id), leaseOwner: owner }, { $set: { state: 'done' }, $unset: { leaseUntil: 1 } });
  }

  async retryJob(id: string, owner: string, dueAt: Date, error: string, countAttempt = true): Promise<void> {
    await this.jobs.updateOne(
      { _id: new Types.ObjectId(id), leaseOwner: owner },
      { $set: { dueAt, lastError: error.slice(0, 500) }, $inc: { attempts: countAttempt ? 1 : 0 }, $unset: { leaseUntil: 1 } },
    );
  }

  async cancelJobs(incidentId: string, kinds: readonly JobKind[]): Promise<number> {
    const result = await this.jobs.updateMany({ incidentId: new Types.ObjectId(incidentId), state: 'pending', kind: { $in: [...kinds] } }, { $set: { state: 'cancelled' } });
    return result.modifiedCount;
  }

  async pendingJobs(incidentId: string): Promise<Job[]> {
    const docs = await this.jobs.find({ incidentId: new Types.ObjectId(incidentId), state: 'pending' }).sort({ dueAt: 1 }).lean();
    return (docs as unknown as JobDoc[]).map(toJob);
  }
}
