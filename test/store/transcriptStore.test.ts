import { expect } from 'chai';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';

const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** transcript_chunks: chunks of ≤ 100 cues, stored once per transcript, paged by time and searched by words. */
describe('the transcript store', function () {
  this.timeout(60_000);
  let testDb: TestDatabase;
  let db: Database;
  beforeEach(async () => {
    testDb = await testDatabase();
    db = await openDatabase(testDb.uri);
  });
  afterEach(async () => {
    await db.close();
    await testDb.drop();
  });

  it('stores a transcript in chunks of at most 100 cues, once however often it is stored', async () => {
    const lines = Array.from({ length: 250 }, (_, i) => ({ at: at(i * 5), speaker: i % 2 ? 'Megan Bowen' : 'Lee Gu', text: `line ${i}` }));
    expect(await db.transcripts.saveTranscript('inc-1', 't-1', lines)).to.equal(250);
    expect(await db.transcripts.saveTranscript('inc-1', 't-1', lines)).to.equal(250);
    const chunks = await db.connection.collection('transcript_chunks').find({ incidentId: 'inc-1' }).sort({ seq: 1 }).toArray();
    expect(chunks.map((c) => (c.cues as unknown[]).length)).to.deep.equal([100, 100, 50]);
    expect(chunks[0]!.searchText).to.contain('lee gu: line 0');
    const all = await db.transcripts.pageTranscript('inc-1', { limit: 500 });
    expect(all).to.have.length(250);
    expect(all[0]).to.deep.equal({ at: at(0), speaker: 'Lee Gu', text: 'line 0', transcriptId: 't-1' });
  });

  it('pages from a time on, across chunks and across two transcripts, in time order', async () => {
    await db.transcripts.saveTranscript('inc-1', 't-1', Array.from({ length: 150 }, (_, i) => ({ at: at(i * 10), text: `first ${i}` })));
    await db.transcripts.saveTranscript('inc-1', 't-2', Array.from({ length: 20 }, (_, i) => ({ at: at(5 + i * 10), speaker: 'Alex', text: `second ${i}` })));
    await db.transcripts.saveTranscript('inc-2', 't-3', [{ at: at(0), text: 'another incident' }]);
    const page = await db.transcripts.pageTranscript('inc-1', { from: at(995), limit: 4 });
    expect(page.map((l) => l.text)).to.deep.equal(['first 100', 'first 101', 'first 102', 'first 103']);
    const early = await db.transcripts.pageTranscript('inc-1', { from: at(10), limit: 4 });
    expect(early.map((l) => l.text)).to.deep.equal(['first 1', 'second 1', 'first 2', 'second 2']);
    expect(await db.transcripts.pageTranscript('inc-1', { limit: 0 })).to.deep.equal([]);
  });

  it('finds lines by words or speaker, any case, with the needle taken literally', async () => {
    await db.transcripts.saveTranscript('inc-1', 't-1', [
      { at: at(1), speaker: 'Megan Bowen', text: 'Error rate is 12% (p99 > 2s)' },
      { at: at(2), speaker: 'Lee Gu', text: 'Rolling back now' },
      { at: at(3), speaker: 'Lee Gu', text: 'Done. error RATE dropping' },
    ]);
    expect((await db.transcripts.searchTranscript('inc-1', 'ERROR rate', 10)).map((l) => l.at)).to.deep.equal([at(1), at(3)]);
    expect((await db.transcripts.searchTranscript('inc-1', '(p99 > 2s)', 10)).map((l) => l.text)).to.deep.equal(['Error rate is 12% (p99 > 2s)']);
    expect((await db.transcripts.searchTranscript('inc-1', '.*', 10))).to.deep.equal([]);
    expect((await db.transcripts.searchTranscript('inc-1', 'lee gu', 1)).map((l) => l.text)).to.deep.equal(['Rolling back now']);
    expect(await db.transcripts.searchTranscript('inc-2', 'error', 10)).to.deep.equal([]);
  });
});
