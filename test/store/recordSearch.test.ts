import { expect } from 'chai';
import { deterministicId } from '../../models/support/ids.js';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { timelineEvent, SYSTEM, type Actor } from '../../models/incident/timeline.js';
import type { Incident } from '../../models/incident/incident.js';
import { RecordSearch, searchNeedle, type SearchNeedle, type SearchSource } from '../../models/record/recordSearch.js';
import { timelineSearchSource } from '../../models/record/timelineSearch.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';

const ALEX: Actor = { kind: 'user', id: '29:alex', name: 'Alex Chen' };
const SAM: Actor = { kind: 'user', id: '29:sam', name: 'Sam Rivera' };
const at = (minute: number) => new Date(Date.UTC(2026, 11, 2, 10, minute));
const needle = (typed: string) => searchNeedle(typed) as SearchNeedle;

/**
 * The timeline's part of the tab's search (issue 23, item 4), against the embedded CongoDB always
 * and a real MongoDB when MONGODB_URI is set: by people's words, by the words a kind reads with,
 * whatever the case and spacing, one incident only, oldest first.
 */
describe(`record search over the timeline (${process.env.MONGODB_URI ? 'real MongoDB' : 'embedded CongoDB'})`, () => {
  let testDb: TestDatabase;
  let db: Database;
  const mine = deterministicId('test-incident', 'search-a');
  const other = deterministicId('test-incident', 'search-b');
  const incident = { id: mine } as Incident;
  let search: RecordSearch;

  before(async () => {
    testDb = await testDatabase();
    db = await openDatabase(testDb.uri);
    search = new RecordSearch([timelineSearchSource(db.timelineMatch)]);
    const events = [
      timelineEvent(mine, 'declared', 'd', { at: at(0), actor: ALEX, payload: { title: 'Checkout is failing', severity: 'P1' } }),
      timelineEvent(mine, 'acknowledged', 'a', { at: at(2), actor: SAM }),
      timelineEvent(mine, 'note', 'n1', { at: at(5), actor: SAM, payload: { text: 'Primary DB  failover started (by hand)' } }),
      timelineEvent(mine, 'summary_updated', 's', { at: at(7), actor: ALEX, payload: { summary: { probableCause: 'connection pool', nextAction: 'Roll back the db failover config' } } }),
      timelineEvent(mine, 'key_message', 'k', { at: at(9), actor: SAM, payload: { text: 'Failover done, replicas healthy', author: { name: 'Priya Nair' }, note: 'the moment it recovered' } }),
      timelineEvent(other, 'note', 'n2', { at: at(3), actor: ALEX, payload: { text: 'db failover in another incident' } }),
      timelineEvent(mine, 'channel_created', 'c', { at: at(0), actor: SYSTEM, payload: { name: 'inc-1-checkout' } }),
    ];
    for (const event of events) await db.store.appendEvent(event);
  });
  after(async () => {
    await db.close();
    await testDb.drop();
  });

  it('finds a phrase in what people wrote, whatever its case and spacing, in this incident only, oldest first', async () => {
    const result = await search.search(incident, needle('  DB   failover '));
    expect(result.phrase).to.equal('DB failover');
    expect(result.hits.map((h) => [h.source, h.who, h.at.toISOString()])).to.deep.equal([
      ['timeline', 'Sam Rivera', at(5).toISOString()],
      ['timeline', 'Alex Chen', at(7).toISOString()],
    ]);
    expect(result.hits[0]!.text).to.equal('noted: Primary DB  failover started (by hand)');
    // The summary's next step is not in the sentence the tab shows: the hit says where the phrase was.
    expect(result.hits[1]!.text).to.contain('updated the status summary').and.contain('“Roll back the db failover config”');
    expect(result.counts).to.include({ timeline: 2, key_message: 0 });
    expect(result.missing).to.deep.equal(['chat', 'transcript']);
  });

  it('finds events by the words their kind reads with, and by who did them', async () => {
    expect((await search.search(incident, needle('acknowledged'))).hits.map((h) => h.who)).to.deep.equal(['Sam Rivera']);
    expect((await search.search(incident, needle('alex chen'))).hits.map((h) => h.at.getTime())).to.deep.equal([at(0), at(7)].map((d) => d.getTime()));
  });

  it('tells key messages apart, found by their text, author or note', async () => {
    for (const typed of ['replicas healthy', 'priya', 'moment it recovered']) {
      const result = await search.search(incident, needle(typed));
      expect(result.hits.map((h) => h.source), typed).to.deep.equal(['key_message']);
    }
  });

  it('treats what was typed as words, never as a pattern', async () => {
    expect((await search.search(incident, needle('(by hand)'))).hits).to.have.length(1);
    expect((await search.search(incident, needle('.*'))).hits).to.have.length(0);
  });

  it('refuses what cannot be searched for, saying why', () => {
    expect(searchNeedle(' a ')).to.deep.equal({ problem: 'type at least 2 characters to search' });
    expect(searchNeedle('x'.repeat(201))).to.have.property('problem').that.contains('at most 200');
    expect(searchNeedle(undefined)).to.have.property('problem');
  });

  it('shows at most the limit of each part, says which had more, and merges parts by time', async () => {
    const chat: SearchSource = {
      covers: ['chat'],
      search: async (_id, _needle, limit) => Array.from({ length: Math.min(limit, 5) }, (_, n) => ({ source: 'chat' as const, at: at(n * 2 + 1), who: 'Priya Nair', text: `failover ${n}`, ref: `m${n}` })),
    };
    const merged = await new RecordSearch([timelineSearchSource(db.timelineMatch), chat]).search(incident, needle('failover'), 3);
    expect(merged.counts).to.include({ chat: 3, timeline: 2, key_message: 1 });
    expect(merged.more).to.deep.equal(['chat']);
    expect(merged.hits.map((h) => h.at.getTime())).to.deep.equal([...merged.hits.map((h) => h.at.getTime())].sort((a, b) => a - b));
  });
});
