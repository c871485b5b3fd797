/**
 * How many events each incident's timeline holds, in all and per kind, kept on the incident record
 * as events are recorded, so the tab's "Showing 200 of 10,000" costs one small read instead of a
 * count over the timeline (on the embedded server, a count reads every event of every incident).
 *
 * `eventCounts` on the incident: `total` and `kinds.<kind>`; `whole`, that they cover the whole
 * timeline (set when the incident is inserted, or by a recount); and the writes: `started` and
 * `settled` (how many began and how many finished), `lastStart` (ms) and `epoch`. A write first
 * counts itself started (and learns the epoch), then inserts its events, then — in one update,
 * only in the same epoch — adds the events it really inserted and counts itself settled. So a
 * retried or duplicate append (the insert finds the event there) adds nothing, and no insert is
 * counted twice. A crash between the insert and its count leaves a write started but never
 * settled: a reader finding such writes and none started for a minute (they all stopped), or
 * counts that are not whole (an incident stored before counts were kept), recounts the timeline
 * and stores the recount in a new epoch (late settles of the old one then change nothing), only
 * if no write started or settled meanwhile; otherwise it answers from the recount, and a later
 * read tries again. Each write's updates are O(1) on the one document, however many run at once.
 *
 * Standard updates only (no transactions, no unique indexes): the same on MongoDB and on the
 * embedded server.
 */
import { Types, type Collection, type Connection } from 'mongoose';
import type { EventKind } from '../incident/timeline.js';
import type { EventPageQuery } from '../ports/timelineStore.js';

/** Writes started this long ago and not settled are a stopped writer's (writes take milliseconds; clocks differ by seconds). */
const ABANDONED_MS = 60_000;

interface StoredCounts {
  readonly total?: number;
  readonly kinds?: Readonly<Record<string, number>>;
  readonly whole?: boolean;
  readonly started?: number;
  readonly settled?: number;
  readonly lastStart?: number;
  readonly epoch?: number;
}

type KindFilter = Pick<EventPageQuery, 'kinds' | 'excludeKinds'>;
type KindCounts = Partial<Record<EventKind, number>>;

const oid = (id: string) => new Types.ObjectId(id);

/** The events a filter shows, from per-kind counts: every kind asked for (or every kind), less those excluded. */
export function countOf(kinds: Readonly<Record<string, number>>, filter: KindFilter = {}): number {
  const asked = filter.kinds ? new Set<string>(filter.kinds) : undefined;
  const excluded = new Set<string>(filter.excludeKinds ?? []);
  return Object.entries(kinds).reduce((sum, [kind, n]) => ((asked && !asked.has(kind)) || excluded.has(kind) ? sum : sum + n), 0);
}

export class EventCounts {
  /** What a new incident is stored with: no events yet, counted from the start. */
  static readonly NONE_YET: StoredCounts = { total: 0, kinds: {}, whole: true, started: 0, settled: 0, epoch: 0 };

  private readonly incidents: Collection;
  private readonly events: Collection;

  constructor(connection: Connection) {
    this.incidents = connection.collection('incidents');
    this.events = connection.collection('timeline_events');
  }

  /**
   * Records events of one incident with `insert` (saying, per event, whether it inserted it or found
   * it there already), counting each inserted one once: one start and one settle for the lot.
   */
  async recording(incidentId: string, kinds: readonly EventKind[], insert: () => Promise<readonly boolean[]>): Promise<readonly boolean[]> {
    const epochs = await this.start([incidentId]);
    const inserted = await insert();
    const added: KindCounts = {};
    kinds.forEach((kind, n) => inserted[n] && (added[kind] = (added[kind] ?? 0) + 1));
    // The events are stored either way; a count that failed leaves its write unsettled, and a recount repairs it.
    await this.settle(epochs, new Map([[incidentId, added]])).catch(() => undefined);
    return inserted;
  }

  /**
   * `start`'s update, for a write of the incident that also puts an event in its outbox: counting
   * the recording started in that same write saves one. Its flush then ends with settleFlushed.
   * $inc by 0 makes the epoch 0 where there was none (an incident stored before counts were kept).
   */
  static readonly STARTING = {
    $inc: { 'eventCounts.started': 1, 'eventCounts.epoch': 0 },
    $max: () => ({ 'eventCounts.lastStart': Date.now() }),
  } as const;

  /**
   * After inserting an event started in the incident's own write (STARTING): counted if inserted,
   * settled, and out of the outbox, in one update. In another epoch (a recount happened meanwhile)
   * it only leaves the outbox. A crash before this leaves the write unsettled, and a recount repairs it.
   */
  async settleFlushed(incidentId: string, epoch: number, event: { readonly id: string; readonly kind: EventKind }, inserted: boolean): Promise<void> {
    const counted = inserted ? { 'eventCounts.total': 1, [`eventCounts.kinds.${event.kind}`]: 1 } : {};
    const pull = { $pull: { outbox: { id: event.id } } };
    const settled = await this.incidents.updateOne({ _id: oid(incidentId), 'eventCounts.epoch': epoch }, { $inc: { 'eventCounts.settled': 1, ...counted }, ...pull } as never);
    if (settled.matchedCount === 0) await this.incidents.updateOne({ _id: oid(incidentId) }, pull as never);
  }

  /** Before writes that may insert events of these incidents: each incident's epoch, for settle (none for an incident not stored). */
  async start(incidentIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const started = await Promise.all(
      incidentIds.map(async (incidentId) => {
        const doc = await this.incidents.findOneAndUpdate(
          { _id: oid(incidentId) },
          { $inc: EventCounts.STARTING.$inc, $max: EventCounts.STARTING.$max() } as never,
          { projection: { 'eventCounts.epoch': 1 }, returnDocument: 'after' },
        );
        return doc ? ([incidentId, Number((doc.eventCounts as StoredCounts).epoch)] as const) : undefined;
      }),
    );
    return new Map(started.filter((entry) => entry !== undefined));
  }

  /** After those writes: what each incident's writes inserted, per kind (nothing, for an event found there already). */
  async settle(epochs: ReadonlyMap<string, number>, added: ReadonlyMap<string, KindCounts>): Promise<void> {
    await Promise.all(
      [...epochs].map(([incidentId, epoch]) => {
        const kinds = Object.entries(added.get(incidentId) ?? {}).filter(([, n]) => n);
        const counted = Object.fromEntries([['eventCounts.total', kinds.reduce((sum, [, n]) => sum + n!, 0)], ...kinds.map(([kind, n]) => [`eventCounts.kinds.${kind}`, n])]);
        return this.incidents.updateOne({ _id: oid(incidentId), 'eventCounts.epoch': epoch }, { $inc: { 'eventCounts.settled': 1, ...counted } } as never);
      }),
    );
  }

  /** How many of the incident's events the filter shows: from the counts, or recounted when they cannot be trusted. */
  async count(incidentId: string, filter: KindFilter = {}): Promise<number> {
    const doc = await this.incidents.findOne({ _id: oid(incidentId) }, { projection: { eventCounts: 1 } });
    const counts = (doc?.eventCounts ?? {}) as StoredCounts;
    const unsettled = (counts.started ?? 0) - (counts.settled ?? 0);
    const stopped = unsettled > 0 && !(Date.now() - (counts.lastStart ?? 0) < ABANDONED_MS);
    if (counts.whole && (unsettled <= 0 || !stopped)) return countOf(counts.kinds ?? {}, filter);
    const kinds = await this.recount(incidentId);
    // Kept only if every unsettled write has stopped, and none started or settled since the read.
    if (doc && (unsettled <= 0 || stopped)) {
      const same = (field: 'started' | 'settled') => ({ [`eventCounts.${field}`]: counts[field] ?? { $exists: false } });
      const started = counts.started ?? 0;
      await this.incidents.updateOne(
        { _id: oid(incidentId), ...same('started'), ...same('settled') },
        { $set: { eventCounts: { total: countOf(kinds), kinds, whole: true, started, settled: started, lastStart: counts.lastStart ?? 0, epoch: (counts.epoch ?? 0) + 1 } } },
      );
    }
    return countOf(kinds, filter);
  }

  /** The incident's events counted per kind, in one pass over its timeline. */
  private async recount(incidentId: string): Promise<Record<string, number>> {
    const groups = await this.events.aggregate<{ _id: string; n: number }>([{ $match: { incidentId: oid(incidentId) } }, { $group: { _id: '$kind', n: { $sum: 1 } } }]).toArray();
    return Object.fromEntries(groups.map((g) => [g._id, g.n]));
  }
}
