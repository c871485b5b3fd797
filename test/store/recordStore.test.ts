import { expect } from 'chai';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { chatEntryId, searchTextOf, type ChatEntry } from '../../models/record/chatEntries.js';
import { timelineEvent } from '../../models/incident/timeline.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { deterministicId } from '../../models/support/ids.js';

const INCIDENT = deterministicId('incident', 'record-store');
const OTHER = deterministicId('incident', 'another');
const T0 = Date.parse('2026-11-23T10:00:00Z');

const entry = (n: number, text: string, fields: Partial<ChatEntry> = {}): ChatEntry => ({
  id: chatEntryId('tenant-a', '19:c@thread.tacv2', String(n)),
  incidentId: INCIDENT,
  messageId: String(n),
  conversationId: '19:c@thread.tacv2',
  author: { id: `29:p${n % 3}`, name: ['Megan Bowen', 'Lee Gu', 'Alex Wilber'][n % 3]! },
  at: new Date(T0 + n * 1000),
  text,
  searchText: searchTextOf(['Megan Bowen', 'Lee Gu', 'Alex Wilber'][n % 3]!, text),
  ...fields,
});

/**
 * The record store (chat entries, key-message notes) on the embedded CongoDB, and on a real
 * MongoDB when MONGODB_URI is set: idempotent by the message's id, mutable by edit and delete,
 * paged by time, searched by an escaped case-insensitive regex (no $text on the embedded server).
 */
describe(`record store: chat entries and key-message notes (${process.env.MONGODB_URI ? 'real MongoDB' : 'embedded CongoDB'})`, () => {
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

  it('records a message once, whatever the redeliveries, even at the same time', async () => {
    const results = await Promise.all([1, 2, 3].map(() => db.record.applyChatChange({ kind: 'posted', entry: entry(1, 'Error rate 40%') })));
    expect(results.filter(Boolean)).to.have.length(1);
    expect(await db.record.countChatEntries(INCIDENT)).to.equal(1);
  });

  it('pages by time either way with a cursor, never crossing incidents', async () => {
    for (let n = 1; n <= 25; n++) await db.record.applyChatChange({ kind: 'posted', entry: entry(n, `message ${n}`) });
    await db.record.applyChatChange({ kind: 'posted', entry: { ...entry(99, 'elsewhere'), id: deterministicId('x'), incidentId: OTHER } });
    const seen: string[] = [];
    let after: { at: Date; id: string } | undefined;
    for (;;) {
      const page = await db.record.pageChatEntries(INCIDENT, { order: 'desc', after, limit: 10 });
      if (page.length === 0) break;
      seen.push(...page.map((e) => e.messageId));
      after = { at: page.at(-1)!.at, id: page.at(-1)!.id };
    }
    expect(seen).to.deep.equal(Array.from({ length: 25 }, (_, i) => String(25 - i)));
    const first = await db.record.pageChatEntries(INCIDENT, { order: 'asc', limit: 2 });
    expect(first.map((e) => e.messageId)).to.deep.equal(['1', '2']);
    expect(first[0]).to.deep.equal(entry(1, 'message 1'));
    const streamed: string[] = [];
    for await (const e of db.record.streamChatEntries(INCIDENT)) streamed.push(e.messageId);
    expect(streamed).to.have.length(25);
  });

  it('edits replace the text (a late older edit does not undo a newer one), deletes remove it, undeletes restore it', async () => {
    const id = entry(1, '').id;
    await db.record.applyChatChange({ kind: 'posted', entry: entry(1, 'Error rate 40%') });
    expect(await db.record.applyChatChange({ kind: 'edited', id, text: 'Error rate 46%', at: new Date(T0 + 60_000) })).to.equal(true);
    expect(await db.record.applyChatChange({ kind: 'edited', id, text: 'Error rate 45%', at: new Date(T0 + 30_000) })).to.equal(false);
    expect(await db.record.applyChatChange({ kind: 'edited', id, text: 'Error rate 46%', at: new Date(T0 + 60_000) }), 'redelivered').to.equal(false);
    let [kept] = await db.record.pageChatEntries(INCIDENT, { order: 'asc', limit: 5 });
    expect(kept).to.deep.include({ text: 'Error rate 46%', editedAt: new Date(T0 + 60_000), searchText: 'lee gu error rate 46%' });
    expect(await db.record.applyChatChange({ kind: 'deleted', id, at: new Date(T0 + 90_000) })).to.equal(true);
    expect(await db.record.applyChatChange({ kind: 'deleted', id, at: new Date(T0 + 90_000) })).to.equal(false);
    [kept] = await db.record.pageChatEntries(INCIDENT, { order: 'asc', limit: 5 });
    expect(kept).to.deep.include({ text: '', searchText: '', deletedAt: new Date(T0 + 90_000) });
    expect(await db.record.searchChatEntries(INCIDENT, 'error', 5)).to.deep.equal([]);
    await db.record.applyChatChange({ kind: 'undeleted', id, text: 'Error rate 46%', at: new Date(T0 + 120_000) });
    [kept] = await db.record.pageChatEntries(INCIDENT, { order: 'asc', limit: 5 });
    expect(kept!.text).to.equal('Error rate 46%');
    expect(kept!.deletedAt).to.equal(undefined);
    expect(await db.record.applyChatChange({ kind: 'edited', id: entry(404, '').id, text: 'never recorded', at: new Date() })).to.equal(false);
  });

  it('searches text and author, case-insensitive, the needle as typed (never a pattern), oldest first, at most limit', async () => {
    await db.record.applyChatChange({ kind: 'posted', entry: entry(1, 'p99 is 4.5 s (was 0.3 s)') });
    await db.record.applyChatChange({ kind: 'posted', entry: entry(2, 'P99 back to normal') });
    await db.record.applyChatChange({ kind: 'posted', entry: entry(3, 'p9x9 is not it') });
    await db.record.applyChatChange({ kind: 'posted', entry: { ...entry(4, 'p99 elsewhere'), id: deterministicId('y'), incidentId: OTHER } });
    expect((await db.record.searchChatEntries(INCIDENT, 'P99', 10)).map((e) => e.messageId)).to.deep.equal(['1', '2']);
    expect((await db.record.searchChatEntries(INCIDENT, 'P99', 1)).map((e) => e.messageId)).to.deep.equal(['1']);
    expect((await db.record.searchChatEntries(INCIDENT, '4.5 s (was', 10)).map((e) => e.messageId)).to.deep.equal(['1']);
    expect(await db.record.searchChatEntries(INCIDENT, 'p.9', 10)).to.deep.equal([]);
    expect((await db.record.searchChatEntries(INCIDENT, 'lee gu', 10)).map((e) => e.messageId)).to.deep.equal(['1']);
    expect(await db.record.searchChatEntries(INCIDENT, '   ', 10)).to.deep.equal([]);
    expect((await db.record.searchChatEntries(INCIDENT, 'back   to\nnormal', 10)).map((e) => e.messageId), 'spaces are spaces').to.deep.equal(['2']);
  });

  it('finds a key message by its event id and sets its note, credited, without touching the rest of the event', async () => {
    const event = timelineEvent(INCIDENT, 'key_message', 'key-message:19:c@thread.tacv2:1', { at: new Date(T0), actor: { kind: 'user', id: '29:alex', name: 'Alex Wilber' }, payload: { text: 'Rolled back', author: { name: 'Megan Bowen' }, message: { id: '1' } } });
    await db.store.appendEvent(event);
    expect(await db.record.findEvent(OTHER, event.id), 'never across incidents').to.equal(undefined);
    await db.record.setKeyMessageNote(INCIDENT, event.id, { text: 'The fix', by: { kind: 'user', id: '29:megan', name: 'Megan Bowen' }, at: new Date(T0 + 1000) });
    const found = await db.record.findEvent(INCIDENT, event.id);
    expect(found).to.deep.include({ id: event.id, kind: 'key_message', actor: event.actor });
    expect(found!.payload).to.deep.equal({ text: 'Rolled back', author: { name: 'Megan Bowen' }, message: { id: '1' }, note: 'The fix', noteBy: { id: '29:megan', name: 'Megan Bowen' }, noteAt: new Date(T0 + 1000) });
  });
});
