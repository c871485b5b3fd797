import { expect } from 'chai';
import { deterministicId } from '../../models/support/ids.js';
import type { Incident } from '../../models/incident/incident.js';
import { effectsOf } from '../../models/delivery/effects.js';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { timelineEvent, SYSTEM, type EventKind } from '../../models/incident/timeline.js';
import { draftPostmortem } from '../../models/postmortem/postmortem.js';
import { jobId } from '../../models/paging/jobs.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { sampleIncident } from '../helpers/fixtures.js';

/** A fresh incident with its own id, numbered 1 in tenant-a unless overridden. */
const incident = (fields: Partial<Incident> = {}) =>
  sampleIncident({ id: deterministicId('test', String(Math.random())), number: 1, title: 'Checkout down', ...fields });

/**
 * The IncidentStore contract. Runs against the embedded CongoDB always, and against a real
 * MongoDB when MONGODB_URI is set (each run in a fresh database that is dropped afterwards).
 */
describe(`incident store contract (${process.env.MONGODB_URI ? 'real MongoDB' : 'embedded CongoDB'})`, () => {
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

  it('says clearly when MongoDB cannot be reached', async () => {
    try {
      await openDatabase('mongodb://user:hunter2@127.0.0.1:9/incidents', 300);
      expect.fail('should not connect');
    } catch (error) {
      expect((error as Error).message).to.match(/^cannot reach MongoDB at mongodb:\/\/\*\*\*@127\.0\.0\.1:9\/incidents/).and.not.contain('hunter2');
    }
  });

  it('hands out distinct sequential numbers per tenant under concurrency', async () => {
    const numbers = await Promise.all(Array.from({ length: 50 }, () => db.store.nextNumber('tenant-a')));
    expect([...numbers].sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await db.store.nextNumber('tenant-b')).to.equal(1);
  });

  it('inserts an incident once; a second insert with the same id returns the stored one', async () => {
    const first = incident({ title: 'first' });
    const results = await Promise.all([db.store.insertIncident(first), db.store.insertIncident({ ...first, title: 'second' })]);
    expect(results.filter((r) => r.inserted)).to.have.length(1);
    const stored = await db.store.findById(first.id);
    expect(stored!.title).to.equal(results.find((r) => r.inserted)!.incident.title);
    expect(stored!.milestones.declared).to.be.instanceOf(Date);
    expect(stored).not.to.have.property('component');
  });

  it('keeps an incident type and its extra-field values, and leaves them out when there are none', async () => {
    const typed = incident({ type: 'data-incident', fields: { records: 1200, 'data-kind': 'Personal data', 'privacy-officer': { id: '29:megan', name: 'Megan Bowen', aadObjectId: 'aad-megan' } } });
    await db.store.insertIncident(typed);
    const stored = await db.store.findById(typed.id);
    expect(stored!.type).to.equal('data-incident');
    expect(stored!.fields).to.deep.equal(typed.fields);
    const plain = incident({ number: 2 });
    await db.store.insertIncident(plain);
    const storedPlain = await db.store.findById(plain.id);
    expect(storedPlain).not.to.have.property('type');
    expect(storedPlain).not.to.have.property('fields');
  });

  it('finds by number within a tenant, and not by a malformed id', async () => {
    const stored = incident({ number: 7 });
    await db.store.insertIncident(stored);
    expect((await db.store.findByNumber('tenant-a', 7))!.id).to.equal(stored.id);
    expect(await db.store.findByNumber('tenant-b', 7)).to.equal(undefined);
    expect(await db.store.findById('not-an-id')).to.equal(undefined);
    expect(await db.store.findById('{"$gt":""}')).to.equal(undefined);
  });

  it('appends timeline events idempotently and lists them in time order', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const later = timelineEvent(i.id, 'channel_created', 'channel', { at: new Date('2026-05-01T12:00:02Z'), actor: SYSTEM, payload: { name: 'inc-1' } });
    const earlier = timelineEvent(i.id, 'declared', 'once', { at: new Date('2026-05-01T12:00:00Z'), actor: SYSTEM });
    expect(await db.store.appendEvent(later)).to.equal(true);
    expect(await db.store.appendEvent(earlier)).to.equal(true);
    expect(await db.store.appendEvent(later)).to.equal(false);
    const events = await db.store.listEvents(i.id);
    expect(events.map((e) => e.kind)).to.deep.equal(['declared', 'channel_created']);
    expect(events[1]!.payload).to.deep.equal({ name: 'inc-1' });
    expect(events[1]!.incidentId).to.equal(i.id);
  });

  it('saves a step and its fields atomically and bumps the version', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const channel = { id: '19:x@thread.tacv2', name: 'inc-1', webUrl: 'https://teams/x' };
    const saved = await db.store.saveStep(i.id, 'channel', { status: 'done', attempts: 1 }, { channel });
    expect(saved.channel).to.deep.equal(channel);
    expect(saved.provisioning.steps.channel).to.include({ status: 'done', attempts: 1 });
    expect(saved.provisioning.steps.meeting.status).to.equal('pending');
    expect(saved.version).to.equal(2);
  });

  it('records a step with its event: on the timeline, counted once, out of the outbox, even when the save is retried', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const channel = { id: '19:y@thread.tacv2', name: 'inc-1', webUrl: 'https://teams/y' };
    const event = timelineEvent(i.id, 'channel_created', 'channel', { at: new Date(), actor: SYSTEM, payload: { name: 'inc-1' } });
    const saved = await db.store.saveStep(i.id, 'channel', { status: 'done', attempts: 1 }, { channel }, event);
    expect(saved.channel).to.deep.equal(channel);
    // A retry after a lost answer writes the step again: the event is not recorded or counted twice.
    await db.store.saveStep(i.id, 'channel', { status: 'done', attempts: 2 }, { channel }, event);
    expect((await db.store.listEvents(i.id)).map((e) => e.kind)).to.deep.equal(['channel_created']);
    expect(await db.store.countEvents(i.id)).to.equal(1);
    expect(await db.store.countEvents(i.id, { kinds: ['channel_created'] })).to.equal(1);
    expect((await db.store.findById(i.id))!.outbox ?? []).to.deep.equal([]);
  });

  it('applies a versioned change once per version under concurrency, losing no outbox event', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    // 40 writers race, each retrying on conflict, while outbox flushes run alongside them.
    const write = async (n: number) => {
      for (;;) {
        const current = (await db.store.findById(i.id))!;
        const event = { ...timelineEvent(i.id, 'update_posted', `w${n}`, { at: new Date(), actor: SYSTEM, payload: { text: `w${n}` } }), version: current.version + 1 };
        const result = await db.store.applyChange(i.id, current.version, `key-${n}`, { escalations: n }, event, []);
        if (typeof result !== 'string') return db.store.flushOutbox(result);
        if (result === 'duplicate') return;
      }
    };
    await Promise.all(Array.from({ length: 40 }, (_, n) => write(n)));
    const final = (await db.store.findById(i.id))!;
    await db.store.flushOutbox(final);
    const events = await db.store.listEvents(i.id);
    expect(final.version).to.equal(i.version + 40);
    expect(events.map((e) => e.payload.text).sort()).to.deep.equal(Array.from({ length: 40 }, (_, n) => `w${n}`).sort());
    expect(new Set(events.map((e) => e.version)).size).to.equal(40);
    expect((await db.store.findById(i.id))!.outbox ?? []).to.have.length(0);
  });

  it('applies a typed patch: groups change member by member, other fields whole, an unticked item stays as null', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const at = new Date('2026-05-01T12:05:00Z');
    const by = { id: '29:a', name: 'A' };
    const change = async (key: string, patch: Parameters<typeof db.store.applyChange>[3]) => {
      const current = (await db.store.findById(i.id))!;
      const event = { ...timelineEvent(i.id, 'note', key, { at, actor: SYSTEM }), version: current.version + 1 };
      const written = await db.store.applyChange(i.id, current.version, key, patch, event, []);
      if (typeof written === 'string') throw new Error(written);
      return written;
    };
    await change('p1', { milestones: { acknowledged: at }, roles: { commander: by }, checklist: { call: { by, at }, assess: { by, at } }, status: 'investigating' });
    const after = await change('p2', { roles: { scribe: by }, checklist: { call: null }, followers: [by] });
    expect(new Date(after.milestones.declared).getTime()).to.equal(new Date(i.milestones.declared).getTime());
    expect(new Date(after.milestones.acknowledged!).getTime()).to.equal(at.getTime());
    expect(after.roles.commander?.id).to.equal('29:a');
    expect(after.roles.scribe?.id).to.equal('29:a');
    expect(after.roles.smes).to.deep.equal([]);
    expect(after.checklist?.call).to.equal(null);
    expect(after.checklist?.assess?.by.id).to.equal('29:a');
    expect(after.status).to.equal('investigating');
    expect(after.followers?.map((f) => f.id)).to.deep.equal(['29:a']);
  });

  it('keeps each change\'s effects with it, in order, until each is settled; their state by id', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const by = { id: '29:a', name: 'A' };
    let current = (await db.store.findById(i.id))!;
    for (const key of ['k1', 'k2']) {
      const event = { ...timelineEvent(i.id, 'update_posted', key, { at: new Date(), actor: SYSTEM, payload: { text: key } }), version: current.version + 1 };
      const change = { patch: { escalations: 1 }, event: { kind: 'update_posted' as const, payload: {} }, message: '' };
      const written = await db.store.applyChange(i.id, current.version, key, { escalations: 1 }, event, effectsOf(change, event, { text: `text ${key}`, by }));
      if (typeof written === 'string') throw new Error(written);
      current = written;
    }
    const kinds = ['channelPost', 'broadcastReply', 'refresh', 'react'];
    expect(current.effects?.map((e) => e.kind)).to.deep.equal([...kinds, ...kinds]);
    const [first, second] = current.effects!;
    await db.effects.markEffect(i.id, first!.id, { attempts: 1, maybeSent: true, notBefore: new Date('2026-05-01T12:00:00Z') });
    await db.effects.settleEffect(i.id, second!.id);
    const after = (await db.store.findById(i.id))!;
    expect(after.effects?.map((e) => e.id)).to.deep.equal(current.effects!.filter((e) => e.id !== second!.id).map((e) => e.id));
    expect(after.effects?.[0]).to.deep.include({ kind: 'channelPost', text: 'text k1' });
    expect(after.effectState?.[first!.id]).to.deep.include({ attempts: 1, maybeSent: true });
    const react = after.effects!.find((e) => e.kind === 'react') as { event: { at: Date } };
    expect(react.event.at).to.be.instanceOf(Date);
    await db.effects.settleEffect(i.id, first!.id);
    expect((await db.store.findById(i.id))!.effectState?.[first!.id]).to.equal(undefined);
    // A change delivered whole is settled in one write: the other change's effects stay.
    const k2 = current.effects!.slice(4);
    await db.effects.markEffect(i.id, k2[0]!.id, { attempts: 2 });
    await db.effects.settleChange(i.id, k2[0]!.eventId, k2.map((e) => e.id));
    const last = (await db.store.findById(i.id))!;
    expect(last.effects?.map((e) => e.id)).to.deep.equal(current.effects!.slice(2, 4).map((e) => e.id));
    expect(last.effectState?.[k2[0]!.id]).to.equal(undefined);
  });

  it('gives the effects lease to one worker at a time, to another once it expires or is released, and lists what nobody delivers', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const now = new Date();
    const soon = new Date(now.getTime() + 60_000);
    expect(await db.effects.claimEffects(i.id, 'a', soon, now)).to.equal(undefined, 'nothing to deliver');
    const event = { ...timelineEvent(i.id, 'note', 'lease', { at: now, actor: SYSTEM }), version: i.version + 1 };
    await db.store.applyChange(i.id, i.version, 'lease', {}, event, effectsOf({ patch: {}, event: { kind: 'note', payload: {} }, message: '' }, event, undefined));
    expect(await db.effects.listWithEffects(now, 10)).to.include(i.id);
    const claims = await Promise.all(['a', 'b', 'c'].map((owner) => db.effects.claimEffects(i.id, owner, soon, now)));
    expect(claims.filter(Boolean)).to.have.length(1);
    const holder = claims.findIndex(Boolean);
    expect(claims[holder]).to.deep.include({ inherited: false });
    const owner = ['a', 'b', 'c'][holder]!;
    expect(await db.effects.claimEffects(i.id, owner, soon, now), 'the holder renews').to.deep.include({ inherited: false });
    expect(await db.effects.listWithEffects(now, 10)).to.not.include(i.id);
    expect(await db.effects.claimEffects(i.id, 'other', soon, new Date(soon.getTime() + 1)), 'expired').to.deep.include({ inherited: true });
    await db.effects.releaseEffects(i.id, owner);
    expect(await db.effects.claimEffects(i.id, owner, soon, now), 'not released by someone who no longer holds it').to.equal(undefined);
    await db.effects.releaseEffects(i.id, 'other');
    expect(await db.effects.claimEffects(i.id, owner, soon, now)).to.not.equal(undefined);
  });

  it('gives the provisioning lease to one holder at a time, and to another once it expires', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const now = new Date();
    const soon = new Date(now.getTime() + 60_000);
    const claims = await Promise.all(['a', 'b', 'c'].map((owner) => db.store.claimProvisioning(i.id, owner, soon, now)));
    expect(claims.filter(Boolean)).to.have.length(1);
    expect(await db.store.listUnprovisioned(10, now)).to.have.length(0);
    const later = new Date(now.getTime() + 120_000);
    expect(await db.store.listUnprovisioned(10, later)).to.have.length(1);
    expect(await db.store.claimProvisioning(i.id, 'd', new Date(later.getTime() + 60_000), later)).to.exist;
  });

  it('marks provisioning complete only for the lease holder, and releases the lease', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const now = new Date();
    await db.store.claimProvisioning(i.id, 'holder', new Date(now.getTime() + 60_000), now);
    await db.store.markProvisioned(i.id, 'someone-else');
    expect((await db.store.findById(i.id))!.provisioning.complete).to.equal(false);
    await db.store.markProvisioned(i.id, 'holder');
    await db.store.releaseProvisioning(i.id, 'holder');
    const done = (await db.store.findById(i.id))!;
    expect(done.provisioning.complete).to.equal(true);
    expect(done.provisioning.lease).to.equal(undefined);
    expect(await db.store.claimProvisioning(i.id, 'x', new Date(now.getTime() + 1), now)).to.equal(undefined);
  });

  it('remembers service URLs per conversation and per tenant', async () => {
    await db.store.remember({ tenantId: 't1', conversationId: 'c1', serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    await db.store.remember({ tenantId: 't1', conversationId: 'c2', serviceUrl: 'https://smba.trafficmanager.net/amer/' });
    expect(await db.store.serviceUrlFor('t1', 'c1')).to.equal('https://smba.trafficmanager.net/emea/');
    expect(await db.store.serviceUrlFor('t1', 'unknown')).to.equal('https://smba.trafficmanager.net/amer/');
    expect(await db.store.serviceUrlFor('t2')).to.equal(undefined);
  });

  it('pages one incident’s timeline by (time, id) in both orders, with kind filters, never crossing incidents', async () => {
    const [a, b] = [incident(), incident({ number: 2 })];
    await Promise.all([db.store.insertIncident(a), db.store.insertIncident(b)]);
    const kinds: EventKind[] = ['note', 'update_posted', 'channel_created'];
    // 30 events on 10 distinct instants: ties on time must still page without loss or repeats.
    const events = Array.from({ length: 30 }, (_, n) =>
      timelineEvent(a.id, kinds[n % 3]!, `e${n}`, { at: new Date(Date.UTC(2026, 4, 1, 12, 0, Math.floor(n / 3))), actor: SYSTEM, payload: { n } }),
    );
    await Promise.all([...events.map((e) => db.store.appendEvent(e)), db.store.appendEvent(timelineEvent(b.id, 'note', 'other', { at: new Date(Date.UTC(2026, 4, 1, 12)), actor: SYSTEM }))]);

    const walk = async (order: 'asc' | 'desc', filter: { kinds?: EventKind[]; excludeKinds?: EventKind[] } = {}) => {
      const seen: number[] = [];
      let after: { at: Date; id: string } | undefined;
      for (;;) {
        const page = await db.store.pageEvents(a.id, { order, limit: 4, after, ...filter });
        seen.push(...page.map((e) => e.payload.n as number));
        if (page.length < 4) return seen;
        after = { at: page.at(-1)!.at, id: page.at(-1)!.id };
      }
    };
    const asc = await walk('asc');
    expect([...asc].sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 30 }, (_, n) => n));
    expect(await walk('desc')).to.deep.equal([...asc].reverse());
    expect(new Set(await walk('asc', { kinds: ['note'] }))).to.deep.equal(new Set(events.filter((e) => e.kind === 'note').map((e) => e.payload.n)));
    expect((await walk('desc', { excludeKinds: ['channel_created'] })).every((n) => n % 3 !== 2)).to.equal(true);
    expect(await db.store.countEvents(a.id)).to.equal(30);
    expect(await db.store.countEvents(a.id, { kinds: ['note', 'update_posted'] })).to.equal(20);
    expect(await db.store.countEvents(a.id, { excludeKinds: ['channel_created'] })).to.equal(20);
    expect(await db.store.countEvents(b.id)).to.equal(1);
  });

  it('finds the events it recorded since a time, by its own clock, for the live view', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const before = new Date(Date.now() - 1000);
    // An event that happened long ago but was recorded just now is still "new" to the live view.
    await db.store.appendEvent(timelineEvent(i.id, 'note', 'late', { at: new Date('2020-01-01T00:00:00Z'), actor: SYSTEM }));
    const answer = await db.store.eventsRecordedSince(i.id, before, 10);
    expect(answer.events.map((e) => e.kind)).to.deep.equal(['note']);
    expect(answer.latest!.getTime()).to.be.at.least(before.getTime());
    expect((await db.store.eventsRecordedSince(i.id, new Date(Date.now() + 60_000), 10)).events).to.deep.equal([]);
  });

  it('saves post-mortem versions: one winner among concurrent editors, retries recognised, every version kept', async () => {
    const i = incident();
    await db.store.insertIncident(i);
    const content = draftPostmortem(i, []);
    const by = { id: '29:megan', name: 'Megan Bowen' };
    const at = new Date('2026-05-02T09:00:00Z');
    const first = await Promise.all(Array.from({ length: 5 }, (_, n) => db.store.savePostmortem(i.id, i.tenantId, 0, `first-${n}`, { ...content, impact: `editor ${n}` }, by, at)));
    expect(first.filter((r) => 'saved' in r)).to.have.length(1);
    expect(first.filter((r) => 'conflict' in r)).to.have.length(4);
    const retry = await db.store.savePostmortem(i.id, i.tenantId, 0, `first-${first.findIndex((r) => 'saved' in r)}`, content, by, at);
    expect(retry).to.have.property('duplicate');

    const second = await Promise.all(Array.from({ length: 5 }, (_, n) => db.store.savePostmortem(i.id, i.tenantId, 1, `second-${n}`, { ...content, wentWell: `editor ${n}` }, by, at)));
    const winners = second.filter((r): r is { saved: never } => 'saved' in r);
    expect(winners).to.have.length(1);
    for (const lost of second.filter((r) => 'conflict' in r)) expect((lost as { conflict: { version: number } }).conflict.version).to.equal(2);

    const head = await db.store.getPostmortem(i.id);
    expect(head!.version).to.equal(2);
    expect((await db.store.listPostmortemVersions(i.id)).map((v) => v.version)).to.deep.equal([2, 1]);
    expect((await db.store.getPostmortemVersion(i.id, 2))!.content.wentWell).to.equal(head!.content.wentWell);
    // Recording a version again (a catch-up after a crash) changes nothing.
    await db.store.recordVersion({ ...head!, content: { ...head!.content, wentWell: 'rewritten' } });
    expect((await db.store.getPostmortemVersion(i.id, 2))!.content.wentWell).to.equal(head!.content.wentWell);
    expect(await db.store.getPostmortem(incident().id)).to.equal(undefined);
  });

  it('keeps durable timers: scheduled once, claimed by one holder at a time, reclaimed after the lease expires, cancelled when moot', async () => {
    const i = incident();
    const t0 = new Date('2026-05-01T12:00:00Z');
    const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
    const job = (n: number) => ({ id: jobId('update_reminder', i.id, `r${n}`), kind: 'update_reminder' as const, incidentId: i.id, dueAt: minutes(n), payload: { n } });
    await Promise.all([db.jobs.scheduleJob(job(1)), db.jobs.scheduleJob({ ...job(1), dueAt: minutes(99) }), ...Array.from({ length: 9 }, (_, n) => db.jobs.scheduleJob(job(n + 2)))]);
    expect((await db.jobs.pendingJobs(i.id)).map((j) => j.payload.n)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await db.jobs.pendingJobs(i.id))[0]!.dueAt).to.deep.equal(minutes(1), 'scheduling again changed nothing');

    // Ten claimers at once at minute 5: jobs 1..5 are due; each goes to exactly one of them.
    const claims = await Promise.all(Array.from({ length: 10 }, (_, n) => db.jobs.claimJob(minutes(5), `owner-${n}`, minutes(6))));
    const claimed = claims.filter(Boolean).map((j) => j!.payload.n as number);
    expect([...claimed].sort((a, b) => a - b)).to.deep.equal([1, 2, 3, 4, 5]);

    // Owner of job 1 finishes it; the holder of job 2 "dies" and its lease runs out at minute 6.
    const first = claims.find((j) => j?.payload.n === 1)!;
    await db.jobs.completeJob(first.id, 'someone-else');
    expect((await db.jobs.pendingJobs(i.id)).map((j) => j.payload.n)).to.include(1, 'only the holder completes a job');
    await db.jobs.completeJob(first.id, `owner-${claims.indexOf(first)}`);
    expect(await db.jobs.claimJob(minutes(5.5), 'late', minutes(7))).to.equal(undefined, 'everything due is leased');
    const reclaimed = await db.jobs.claimJob(minutes(6.5), 'successor', minutes(8));
    expect(reclaimed).not.to.equal(undefined);
    expect([2, 3, 4, 5]).to.include(reclaimed!.payload.n as number);

    // A failed run goes back with a later due time and one more attempt.
    await db.jobs.retryJob(reclaimed!.id, 'successor', minutes(20), 'connector said 503');
    expect((await db.jobs.pendingJobs(i.id)).find((j) => j.id === reclaimed!.id)).to.deep.include({ attempts: 1, dueAt: minutes(20) });

    expect(await db.jobs.cancelJobs(i.id, ['escalate'])).to.equal(0);
    expect(await db.jobs.cancelJobs(i.id, ['update_reminder'])).to.equal(9);
    expect(await db.jobs.pendingJobs(i.id)).to.deep.equal([]);
    expect(await db.jobs.claimJob(minutes(60), 'anyone', minutes(61))).to.equal(undefined);
  });

  it('stores the on-call setup per tenant with optimistic concurrency', async () => {
    const setup = { rota: { name: 'sre', people: [{ id: '29:a', name: 'A' }], start: '2026-01-05T09:00:00Z', shiftHours: 168 }, policy: [{ target: 'primary' as const }], timings: {}, directory: [] };
    expect(await db.onCall.getOnCall('t1')).to.equal(undefined);
    const firsts = await Promise.all([db.onCall.saveOnCall('t1', setup, 0), db.onCall.saveOnCall('t1', setup, 0)]);
    expect(firsts.filter(Boolean)).to.have.length(1);
    const changed = { ...setup, rota: { ...setup.rota, name: 'platform' } };
    const seconds = await Promise.all([db.onCall.saveOnCall('t1', changed, 1), db.onCall.saveOnCall('t1', setup, 1)]);
    expect(seconds.filter(Boolean)).to.have.length(1);
    expect((await db.onCall.getOnCall('t1'))!.version).to.equal(2);
    expect(await db.onCall.getOnCall('t2')).to.equal(undefined);
  });
});
