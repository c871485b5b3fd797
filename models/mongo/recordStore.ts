/**
 * What the record keeps of the incident's conversations: the channel's chat entries
 * (`chat_entries`, one mutable document per Teams message, `_id` derived from the message so a
 * redelivery writes nothing new) and the notes on key messages (timeline events of kind
 * `key_message`). Works on MongoDB and on the embedded server: no unique index is relied on
 * (the `_id` is), no $text (search is an escaped, case-insensitive regex over `searchText`).
 */
import { escapeRegExp } from '../record/recordSearch.js';
import { Schema, Types, type Connection } from 'mongoose';
import type { ChatEntry, ChatEntryCursor } from '../record/chatEntries.js';
import { searchTextOf } from '../record/chatEntries.js';
import type { ChatEntryChange, ChatEntryStore, KeyMessageStore } from '../ports/recordStore.js';
import type { Actor, TimelineEvent } from '../incident/timeline.js';
import { isDuplicate } from './alertFolds.js';

const chatSchema = new Schema(
  {
    _id: Schema.Types.ObjectId,
    incidentId: { type: String, required: true },
    messageId: { type: String, required: true },
    conversationId: { type: String, required: true },
    replyToId: String,
    author: { _id: false, id: String, name: String, aadObjectId: String },
    at: { type: Date, required: true },
    text: { type: String, default: '' },
    link: String,
    editedAt: Date,
    deletedAt: Date,
    searchText: { type: String, default: '' },
  },
  { collection: 'chat_entries', versionKey: false, minimize: false },
);
// The tab pages an incident's conversation by time, either way; search scans one incident's entries.
chatSchema.index({ incidentId: 1, at: 1, _id: 1 });

const STREAM_BATCH = 500;
const oid = (id: string) => new Types.ObjectId(id);
/** A needle typed in a search box, matched as typed: every regex metacharacter escaped. */

type ChatDoc = Omit<ChatEntry, 'id'> & { _id: Types.ObjectId };
function toEntry({ _id, ...doc }: ChatDoc): ChatEntry {
  const entry: Record<string, unknown> = { id: _id.toHexString(), ...doc };
  for (const key of ['replyToId', 'link', 'editedAt', 'deletedAt']) if (entry[key] === null || entry[key] === undefined) delete entry[key];
  const { id, name, aadObjectId } = doc.author;
  entry.author = aadObjectId ? { id, name, aadObjectId } : { id, name };
  return entry as unknown as ChatEntry;
}

export class MongoRecordStore implements ChatEntryStore, KeyMessageStore {
  private readonly chat;
  private readonly events;

  constructor(connection: Connection) {
    this.chat = connection.model('ChatEntry', chatSchema);
    this.events = connection.collection('timeline_events');
  }

  async init(): Promise<unknown> {
    return await this.chat.init();
  }

  async applyChatChange(change: ChatEntryChange): Promise<boolean> {
    if (change.kind === 'posted') {
      const { id, ...fields } = change.entry;
      try {
        await this.chat.collection.insertOne({ _id: oid(id), ...fields } as never);
        return true;
      } catch (error) {
        if (isDuplicate(error as never)) return false;
        throw error;
      }
    }
    const current = (await this.chat.findById(oid(change.id)).lean()) as ChatDoc | null;
    if (!current) return false;
    const at = change.at;
    if (change.kind === 'deleted') {
      if (current.deletedAt) return false;
      await this.chat.updateOne({ _id: current._id }, { $set: { text: '', searchText: '', deletedAt: at } });
      return true;
    }
    // An edit older than the one kept (Teams may deliver them out of order) changes nothing.
    if (change.kind === 'edited' && ((current.editedAt && current.editedAt > at) || (current.text === change.text && current.editedAt))) return false;
    if (change.kind === 'undeleted' && !current.deletedAt) return false;
    const set = { text: change.text, searchText: searchTextOf(current.author.name, change.text), ...(change.kind === 'edited' ? { editedAt: at } : {}) };
    await this.chat.updateOne({ _id: current._id }, change.kind === 'undeleted' ? { $set: set, $unset: { deletedAt: 1 } } : { $set: set });
    return true;
  }

  async pageChatEntries(incidentId: string, query: { readonly order: 'asc' | 'desc'; readonly after?: ChatEntryCursor; readonly limit: number }): Promise<ChatEntry[]> {
    const direction = query.order === 'asc' ? 1 : -1;
    const filter: Record<string, unknown> = {};
    if (query.after) {
      const beyond = query.order === 'asc' ? '$gt' : '$lt';
      filter.$or = [{ at: { [beyond]: query.after.at } }, { at: query.after.at, _id: { [beyond]: oid(query.after.id) } }];
    }
    filter.incidentId = incidentId;
    const docs = (await this.chat.find(filter).sort({ at: direction, _id: direction }).limit(query.limit).lean()) as unknown as ChatDoc[];
    return docs.map(toEntry);
  }

  async countChatEntries(incidentId: string): Promise<number> {
    return await this.chat.countDocuments({ incidentId });
  }

  async searchChatEntries(incidentId: string, needle: string, limit: number): Promise<ChatEntry[]> {
    const lower = needle.replace(/\s+/g, ' ').trim().toLowerCase();
    if (!lower) return [];
    // searchText is lowercase already: a case-sensitive match of the lowercased needle is the same, and cheaper.
    const docs = (await this.chat.find({ incidentId, searchText: { $regex: escapeRegExp(lower) } }, { searchText: 0 }).sort({ at: 1, _id: 1 }).limit(limit).lean()) as unknown as ChatDoc[];
    return docs.map(toEntry);
  }

  async *streamChatEntries(incidentId: string): AsyncGenerator<ChatEntry> {
    const cursor = this.chat.find({ incidentId }).sort({ at: 1, _id: 1 }).lean().cursor({ batchSize: STREAM_BATCH });
    try {
      for await (const doc of cursor) yield toEntry(doc as unknown as ChatDoc);
    } finally {
      await cursor.close();
    }
  }

  async findEvent(incidentId: string, eventId: string): Promise<TimelineEvent | undefined> {
    if (!Types.ObjectId.isValid(eventId) || eventId.length !== 24) return undefined;
    const doc = await this.events.findOne({ _id: oid(eventId), incidentId: oid(incidentId) });
    if (!doc) return undefined;
    const { _id, incidentId: incident, recordedAt: _recorded, ...fields } = doc as Record<string, unknown>;
    return { id: (_id as Types.ObjectId).toHexString(), incidentId: (incident as Types.ObjectId).toHexString(), ...fields } as TimelineEvent;
  }

  async setKeyMessageNote(incidentId: string, eventId: string, note: { readonly text: string; readonly by: Actor; readonly at: Date }): Promise<void> {
    // recordedAt moves so the tab's live refresh brings the entry again, with its new note.
    await this.events.updateOne(
      { _id: oid(eventId), incidentId: oid(incidentId), kind: 'key_message' },
      { $set: { 'payload.note': note.text, 'payload.noteBy': { id: note.by.id, name: note.by.name }, 'payload.noteAt': note.at, recordedAt: new Date() } },
    );
  }
}
