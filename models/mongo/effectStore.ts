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

  async claimEffects(incidentId: string, owner: string, until: Date, now: Date): Promise<{ incident: Incident; inherited: boolean } | undefined> {
    // The record as it was before the claim: its lease says whose it was.
    const doc = await this.incidents.findOneAndUpdate(
      { _id: oid(incidentId), 'effects.0': { $exists: true }, $or: [{ effectsLease: null }, { 'effectsLease.until': { $lt: now } }, { 'effectsLease.owner': owner }] },
      { $set: { effectsLease: { owner, until } } },
      { returnDocument: 'before' },
    );
    if (!doc) return undefined;
    const { _id, effectsLease, ...rest } = doc as Record<string, unknown>;
    // Another owner's lease, or one of ours that ran out (that loop lost track of what it sent).
    const previous = effectsLease as { owner?: string; until?: Date } | null | undefined;
    const inherited = Boolean(previous?.owner && (previous.owner !== owner || new Date(previous.until ?? 0) < now));
    return { incident: { id: String(_id), ...rest, effectsLease: { owner, until } } as unknown as Incident, inherited };
  }

  async releaseEffects(incidentId: string, owner: string): Promise<void> {
    await this.incidents.updateOne({ _id: oid(incidentId), 'effectsLease.owner': owner }, { $unset: { effectsLease: '' } });
  }

  async settleEffect(incidentId: string, effectId: string): Promise<void> {
    await this.incidents.updateOne({ _id: oid(incidentId) }, { $pull: { effects: { id: effectId } } as never, $unset: { [`effectState.${effectId}`]: '' } });
  }

  async settleChange(incidentId: string, eventId: string, effectIds: readonly string[]): Promise<void> {
    const unset = Object.fromEntries(effectIds.map((id) => [`effectState.${id}`, '']));
    await this.incidents.updateOne({ _id: oid(incidentId) }, { $pull: { effects: { eventId } } as never, $unset: unset });
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
