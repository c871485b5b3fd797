import { Types, type Connection } from 'mongoose';
import type { Incident } from '../incident/incident.js';
import type { EffectState } from '../delivery/effects.js';
import type { EffectStore } from '../ports/effectStore.js';

const oid = (hex: string) => new Types.ObjectId(hex);

/**
 * The effects outbox on the incidents collection. Raw collection calls: the effect state is a
 * map keyed by effect id, written one key at a time with dotted paths.
 */
export class MongoEffectStore implements EffectStore {
  private readonly incidents;

  constructor(connection: Connection) {
    // The Incident model is registered by the incident store on the same connection.
    this.incidents = connection.model('Incident').collection;
  }

  async claimEffects(incidentId: string, owner: string, until: Date, now: Date): Promise<Incident | undefined> {
    const doc = await this.incidents.findOneAndUpdate(
      { _id: oid(incidentId), 'effects.0': { $exists: true }, $or: [{ effectsLease: null }, { 'effectsLease.until': { $lt: now } }, { 'effectsLease.owner': owner }] },
      { $set: { effectsLease: { owner, until } } },
      { returnDocument: 'after' },
    );
    if (!doc) return undefined;
    const { _id, ...rest } = doc as Record<string, unknown>;
    return { id: String(_id), ...rest } as unknown as Incident;
  }

  async releaseEffects(incidentId: string, owner: string): Promise<void> {
    await this.incidents.updateOne({ _id: oid(incidentId), 'effectsLease.owner': owner }, { $unset: { effectsLease: '' } });
  }

  async settleEffect(incidentId: string, effectId: string): Promise<void> {
    await this.incidents.updateOne({ _id: oid(incidentId) }, { $pull: { effects: { id: effectId } } as never, $unset: { [`effectState.${effectId}`]: '' } });
  }

  async markEffect(incidentId: string, effectId: string, state: EffectState): Promise<void> {
    await this.incidents.updateOne({ _id: oid(incidentId) }, { $set: { [`effectState.${effectId}`]: state } });
  }

  async listWithEffects(now: Date, limit: number): Promise<string[]> {
    const docs = await this.incidents
      .find({ 'effects.0': { $exists: true }, $or: [{ effectsLease: null }, { 'effectsLease.until': { $lt: now } }] }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    return docs.map((doc) => String(doc._id));
  }
}
