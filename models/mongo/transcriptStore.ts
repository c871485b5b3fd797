/**
 * Transcripts in `transcript_chunks`: up to 100 cues per document, in time order, with the
 * chunk's time span and a lower-case `searchText` of its speakers and words. A two-hour call is
 * ~200 documents, so paging reads a few and a search scans one incident's chunks with a regex (the
 * embedded database has no $text; every query is a scan there anyway). Chunk ids are
 * deterministic from (incident, transcript, seq): storing a transcript again writes nothing new.
 */
import { escapeRegExp } from '../record/recordSearch.js';
import { Schema, Types, type Connection } from 'mongoose';
import { deterministicId } from '../support/ids.js';
import type { TranscriptLine, TranscriptStore } from '../ports/transcriptStore.js';

/** Chunks per round trip when searching: a chunk holds up to 100 lines, so a few chunks often answer the search. */
const SEARCH_BATCH = 4;

export const CUES_PER_CHUNK = 100;

const chunkSchema = new Schema(
  {
    _id: Schema.Types.ObjectId,
    incidentId: { type: String, required: true },
    transcriptId: { type: String, required: true },
    seq: { type: Number, required: true },
    from: { type: Date, required: true },
    to: { type: Date, required: true },
    cues: { type: [{ _id: false, at: Date, speaker: String, text: String }], default: [] },
    searchText: { type: String, required: true },
  },
  { collection: 'transcript_chunks', versionKey: false },
);
chunkSchema.index({ incidentId: 1, from: 1 });
chunkSchema.index({ incidentId: 1, transcriptId: 1, seq: 1 });

interface ChunkDoc {
  _id: Types.ObjectId;
  transcriptId: string;
  from: Date;
  to: Date;
  cues: { at: Date; speaker?: string | null; text: string }[];
}

const searchable = (cue: { speaker?: string; text: string }) => `${cue.speaker ?? ''}: ${cue.text}`.toLowerCase();

function linesOf(doc: ChunkDoc): TranscriptLine[] {
  return doc.cues.map((c) => ({ at: new Date(c.at), ...(c.speaker ? { speaker: c.speaker } : {}), text: c.text, transcriptId: doc.transcriptId }));
}

const byTime = (a: TranscriptLine, b: TranscriptLine) => a.at.getTime() - b.at.getTime();

export class MongoTranscriptStore implements TranscriptStore {
  private readonly chunks;

  constructor(connection: Connection) {
    this.chunks = connection.model('TranscriptChunk', chunkSchema);
  }

  init(): Promise<unknown> {
    return this.chunks.init();
  }

  async saveTranscript(incidentId: string, transcriptId: string, lines: readonly Omit<TranscriptLine, 'transcriptId'>[]): Promise<number> {
    const sorted = [...lines].sort((a, b) => a.at.getTime() - b.at.getTime());
    const writes = [];
    for (let seq = 0; seq * CUES_PER_CHUNK < sorted.length; seq++) {
      const cues = sorted.slice(seq * CUES_PER_CHUNK, (seq + 1) * CUES_PER_CHUNK).map((l) => ({ at: l.at, ...(l.speaker ? { speaker: l.speaker } : {}), text: l.text }));
      const _id = new Types.ObjectId(deterministicId('transcript', incidentId, transcriptId, String(seq)));
      const doc = { incidentId, transcriptId, seq, from: cues[0]!.at, to: cues.at(-1)!.at, cues, searchText: cues.map(searchable).join('\n') };
      writes.push({ updateOne: { filter: { _id }, update: { $setOnInsert: doc }, upsert: true } });
    }
    if (writes.length) await this.chunks.bulkWrite(writes, { ordered: false });
    return sorted.length;
  }

  async pageTranscript(incidentId: string, page: { readonly from?: Date; readonly limit: number }): Promise<TranscriptLine[]> {
    const limit = Math.max(0, Math.floor(page.limit));
    if (limit === 0) return [];
    const filter = page.from ? { incidentId, to: { $gte: page.from } } : { incidentId };
    const found: TranscriptLine[] = [];
    // Chunks in order of their first line; once `limit` lines are in hand and the next chunk starts after the last of them, no later chunk can come earlier.
    const cursor = this.chunks.find(filter).sort({ from: 1, seq: 1 }).lean().cursor();
    try {
      for await (const doc of cursor as AsyncIterable<ChunkDoc>) {
        if (found.length >= limit && new Date(doc.from) > found[limit - 1]!.at) break;
        found.push(...linesOf(doc).filter((l) => !page.from || l.at >= page.from));
        found.sort(byTime);
      }
    } finally {
      await cursor.close();
    }
    return found.slice(0, limit);
  }

  async searchTranscript(incidentId: string, needle: string, limit: number): Promise<TranscriptLine[]> {
    const wanted = needle.trim().toLowerCase();
    if (!wanted || limit <= 0) return [];
    // Chunks in time order, without their searchText; stop once `limit` hits are in hand and no later chunk can hold an earlier one.
    // searchText is lowercase already (no case-insensitive matching to pay for); small batches, because a
    // common word is in every chunk and the first few chunks usually hold the hits asked for.
    const cursor = this.chunks.find({ incidentId, searchText: { $regex: escapeRegExp(wanted) } }, { searchText: 0 }).sort({ from: 1, seq: 1 }).lean().cursor({ batchSize: SEARCH_BATCH });
    const hits: TranscriptLine[] = [];
    try {
      for await (const doc of cursor as AsyncIterable<ChunkDoc>) {
        if (hits.length >= limit && new Date(doc.from) > hits[limit - 1]!.at) break;
        for (const line of linesOf(doc)) if (searchable(line).includes(wanted)) hits.push(line);
        hits.sort(byTime);
      }
    } finally {
      await cursor.close();
    }
    return hits.sort(byTime).slice(0, limit);
  }
}
