import { Types, type Collection, type Connection } from 'mongoose';
import type { TimelineEvent } from '../incident/timeline.js';
import type { EventMatch, TimelineMatcher } from '../ports/timelineStore.js';
import { toEvent } from './mongoStore.js';

/**
 * The timeline's search, over the (incidentId, at, _id) index: one incident's events whose kind
 * or words match, oldest first. The incident comes first in the filter, so the embedded server
 * rules out other incidents' events before trying any pattern (it tests conditions in order).
 */
export class MongoTimelineMatcher implements TimelineMatcher {
  private readonly events: Collection;

  constructor(connection: Connection) {
    this.events = connection.collection('timeline_events');
  }

  async matchEvents(incidentId: string, match: EventMatch, limit: number): Promise<TimelineEvent[]> {
    const regex = { $regex: match.pattern, $options: 'i' };
    const anyOf: Record<string, unknown>[] = [{ 'actor.name': regex }, ...match.paths.map((path) => ({ [`payload.${path}`]: regex }))];
    if (match.kinds.length > 0) anyOf.unshift({ kind: { $in: [...match.kinds] } });
    const docs = await this.events
      .find({ incidentId: new Types.ObjectId(incidentId), $or: anyOf }, { projection: { recordedAt: 0 } })
      .sort({ at: 1, _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((doc) => toEvent(doc as Record<string, unknown>));
  }
}
