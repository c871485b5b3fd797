/**
 * Where each action item lives in its tracker, one document per (incident, item); found again by
 * the item's address when a webhook tells of a change there.
 */
import { Schema, Types, type Connection } from 'mongoose';
import { deterministicId } from '../support/ids.js';
import type { TrackerSystem } from '../ports/tracker.js';
import type { TrackerLink, TrackerLinkStore } from '../ports/trackerLinkStore.js';

const linkSchema = new Schema(
  {
    _id: Schema.Types.ObjectId,
    incidentId: { type: String, required: true },
    itemId: { type: String, required: true },
    system: { type: String, required: true },
    ref: { type: Schema.Types.Mixed, default: undefined },
    agreed: { type: Schema.Types.Mixed, default: undefined },
    error: String,
    updatedAt: { type: Date, required: true },
  },
  { collection: 'tracker_links', versionKey: false, minimize: false },
);
linkSchema.index({ incidentId: 1 });
linkSchema.index({ system: 1, 'ref.url': 1 });

type LinkDoc = TrackerLink & { _id: Types.ObjectId };
const toLink = ({ _id, ...link }: LinkDoc): TrackerLink => ({ ...link, ...(link.error ? {} : { error: undefined }) });

export class MongoTrackerLinkStore implements TrackerLinkStore {
  private readonly links;

  constructor(connection: Connection) {
    this.links = connection.model('TrackerLink', linkSchema);
  }

  init(): Promise<unknown> {
    return this.links.init();
  }

  async trackerLinks(incidentId: string): Promise<TrackerLink[]> {
    return ((await this.links.find({ incidentId }).lean()) as unknown as LinkDoc[]).map(toLink);
  }

  async trackerLinkByUrl(system: TrackerSystem, url: string): Promise<TrackerLink | undefined> {
    const doc = (await this.links.findOne({ system, 'ref.url': url }).lean()) as unknown as LinkDoc | null;
    return doc ? toLink(doc) : undefined;
  }

  async saveTrackerLink(link: TrackerLink): Promise<void> {
    const { error, ...rest } = link;
    await this.links.updateOne({ _id: new Types.ObjectId(deterministicId('tracker-link', link.incidentId, link.itemId)) }, error ? { $set: { ...rest, error } } : { $set: rest, $unset: { error: 1 } }, { upsert: true });
  }
}
