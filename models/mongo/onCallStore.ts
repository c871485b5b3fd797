/** The on-call setup per tenant, with a version for optimistic concurrency (two admins editing at once). */
import { Schema, Types, type Connection } from 'mongoose';
import { deterministicId } from '../support/ids.js';
import type { OnCallSetup } from '../paging/oncall.js';
import type { OnCallStore } from '../ports/onCallStore.js';

const onCallSchema = new Schema(
  { _id: Schema.Types.ObjectId, tenantId: String, setup: { type: Schema.Types.Mixed, required: true }, version: { type: Number, required: true } },
  { collection: 'oncall', versionKey: false },
);

const idFor = (tenantId: string) => new Types.ObjectId(deterministicId('oncall', tenantId));

export class MongoOnCallStore implements OnCallStore {
  private readonly docs;

  constructor(connection: Connection) {
    this.docs = connection.model('OnCall', onCallSchema);
  }

  async getOnCall(tenantId: string): Promise<{ setup: OnCallSetup; version: number } | undefined> {
    const doc = await this.docs.findById(idFor(tenantId)).lean();
    return doc ? { setup: doc.setup as OnCallSetup, version: doc.version } : undefined;
  }

  async saveOnCall(tenantId: string, setup: OnCallSetup, expectedVersion: number): Promise<boolean> {
    if (expectedVersion === 0) {
      try {
        await this.docs.collection.insertOne({ _id: idFor(tenantId), tenantId, setup, version: 1 } as never);
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === 11000) return false;
        throw error;
      }
    }
    const result = await this.docs.updateOne({ _id: idFor(tenantId), version: expectedVersion }, { $set: { setup }, $inc: { version: 1 } });
    return result.modifiedCount === 1;
  }
}
