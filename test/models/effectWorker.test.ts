import { expect } from 'chai';
import { deterministicId } from '../../models/support/ids.js';
import type { Incident } from '../../models/incident/incident.js';
import { openDatabase, type Database } from '../../models/mongo/database.js';
import { timelineEvent, SYSTEM } from '../../models/incident/timeline.js';
import { effectsOf, type Effect, type EffectKind } from '../../models/delivery/effects.js';
import { EffectWorker, NotReady, type EffectHandler } from '../../models/delivery/effectWorker.js';
import { effectHandlers } from '../../models/delivery/effectHandlers.js';
import { PermanentError, TransientError } from '../../models/support/errors.js';
import { systemClock } from '../../models/support/systemClock.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { sampleIncident } from '../helpers/fixtures.js';

const BY = { id: '29:a', name: 'Alex' };
const silentLogger = () => ({ info: () => undefined, warn: () => undefined, error: () => undefined });

/** What the handlers saw, in order: `kind:text` for posts, the kind otherwise. */
interface Recorder {
  readonly seen: string[];
  readonly handlers: Record<EffectKind, EffectHandler>;
}

function recorder(behaviour: Partial<Record<EffectKind, EffectHandler['deliver']>> = {}): Recorder {
  const seen: string[] = [];
  const handler = (kind: EffectKind): EffectHandler => ({
    async deliver(incident, effect, context) {
      await behaviour[kind]?.(incident, effect, context);
      seen.push('text' in effect ? `${kind}:${effect.text}` : kind);
    },
  });
  return { seen, handlers: { channelPost: handler('channelPost'), broadcastReply: handler('broadcastReply'), topic: handler('topic'), refresh: handler('refresh'), react: handler('react') } };
}

describe(`the outbox worker (${process.env.MONGODB_URI ? 'real MongoDB' : 'embedded CongoDB'})`, () => {
  let testDb: TestDatabase;
  let db: Database;
  let incident: Incident;
  const workers: EffectWorker[] = [];
  beforeEach(async () => {
    testDb = await testDatabase();
    db = await openDatabase(testDb.uri);
    incident = sampleIncident({ id: deterministicId('worker', String(Math.random())), number: 1 });
    await db.store.insertIncident(incident);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) w.stop();
    await db.close();
    await testDb.drop();
  });

  const worker = (handlers: Record<EffectKind, EffectHandler>, options: { owner?: string; leaseMs?: number; maxAttempts?: number; gaveUp?: (i: Incident, e: Effect, error: string) => Promise<void> } = {}) => {
    const w = new EffectWorker({ store: db.effects, handlers, clock: systemClock, log: silentLogger(), owner: options.owner ?? 'w1', leaseMs: options.leaseMs ?? 3_000, maxAttempts: options.maxAttempts, gaveUp: options.gaveUp, random: () => 0 });
    workers.push(w);
    return w;
  };

  /** Records an update the way ChangeApplier does: the change, its event and its effects in one write. */
  const recordUpdate = async (text: string): Promise<Effect[]> => {
    const current = (await db.store.findById(incident.id))!;
    const event = { ...timelineEvent(incident.id, 'update_posted', text, { at: new Date(), actor: SYSTEM, payload: { text } }), version: current.version + 1 };
    const effects = effectsOf({ patch: {}, event: { kind: 'update_posted', payload: { text } }, message: '' }, event, { text, by: BY });
    const written = await db.store.applyChange(incident.id, current.version, `key-${text}`, {}, event, effects);
    if (typeof written === 'string') throw new Error(written);
    return effects;
  };
  const left = async () => (await db.store.findById(incident.id))!.effects ?? [];

  it('delivers each change\'s effects in order, once, and what was recorded while it worked right after', async () => {
    const r = recorder({ channelPost: async () => new Promise((resolve) => setTimeout(resolve, 20)) });
    const w = worker(r.handlers);
    await recordUpdate('one');
    w.kick(incident.id);
    await recordUpdate('two');
    w.kick(incident.id);
    await w.drain();
    // The first refresh is covered by the second (both render the record as it is).
    expect(r.seen.filter((s) => s.startsWith('channelPost') || s.startsWith('broadcastReply'))).to.deep.equal(['channelPost:one', 'broadcastReply:one', 'channelPost:two', 'broadcastReply:two']);
    expect(r.seen.filter((s) => s === 'react')).to.have.length(2);
    expect(r.seen.filter((s) => s === 'refresh').length).to.be.within(1, 2);
    expect(await left()).to.deep.equal([]);
    expect((await db.store.findById(incident.id))!.effectsLease).to.equal(undefined, 'the lease is let go');
  });

  it('retries a throttled post after Retry-After without looking first, and looks first after a send that may have landed', async () => {
    const contexts: boolean[] = [];
    let calls = 0;
    const r = recorder({
      channelPost: async (_i, _e, context) => {
        contexts.push(context.maybeSent);
        calls++;
        await context.sending();
        if (calls === 1) throw new TransientError('throttled', 50, true);
        if (calls === 2) throw new TransientError('reset after sending');
      },
    });
    const w = worker(r.handlers);
    await recordUpdate('retried');
    const started = Date.now();
    await w.deliverFor(incident.id);
    expect(contexts).to.deep.equal([false, false, true], 'refused: nothing to look for; reset: may have landed');
    expect(Date.now() - started).to.be.at.least(50);
    expect(r.seen.filter((s) => s.startsWith('channelPost'))).to.deep.equal(['channelPost:retried']);
    expect(await left()).to.deep.equal([]);
  });

  it('gives up a post refused for good, or failing too often, says so, and goes on with the next effects', async () => {
    const failures: string[] = [];
    const r = recorder({
      channelPost: async () => {
        throw new PermanentError('HTTP 403', 'install the app');
      },
      broadcastReply: async () => {
        throw new TransientError('HTTP 500', 1);
      },
    });
    const w = worker(r.handlers, { maxAttempts: 3, gaveUp: async (_i, effect, error) => void failures.push(`${effect.kind}: ${error}`) });
    await recordUpdate('doomed');
    await w.deliverFor(incident.id);
    expect(failures).to.deep.equal(['channelPost: HTTP 403 (install the app)', 'broadcastReply: HTTP 500']);
    expect(r.seen).to.deep.equal(['refresh', 'react']);
    expect(await left()).to.deep.equal([]);
  });

  it('waits for what the incident does not have yet without using up attempts', async () => {
    let tries = 0;
    const r = recorder({
      channelPost: async () => {
        if (++tries < 3) throw new NotReady('no channel yet');
      },
    });
    const w = worker(r.handlers, { maxAttempts: 1 });
    await recordUpdate('patient');
    await w.deliverFor(incident.id);
    expect(tries).to.equal(3);
    expect(r.seen[0]).to.equal('channelPost:patient');
  });

  it('leaves a retry due past the lease to a timer, letting go of the lease meanwhile', async () => {
    let calls = 0;
    const r = recorder({
      channelPost: async (_i, _e, context) => {
        await context.sending();
        if (++calls === 1) throw new TransientError('throttled', 1_200, true);
      },
    });
    const w = worker(r.handlers, { leaseMs: 900 });
    await recordUpdate('later');
    await w.deliverFor(incident.id);
    const waiting = (await db.store.findById(incident.id))!;
    expect(waiting.effectsLease).to.equal(undefined);
    expect(waiting.effectState?.[waiting.effects![0]!.id]).to.deep.include({ attempts: 1, maybeSent: false });
    await new Promise((resolve) => setTimeout(resolve, 1_400));
    await w.drain();
    expect(r.seen.filter((s) => s.startsWith('channelPost'))).to.deep.equal(['channelPost:later']);
    expect(await left()).to.deep.equal([]);
  });

  it('two replicas kicking and sweeping the same incidents deliver every effect once', async () => {
    const seen: string[] = [];
    const slow = async () => new Promise<void>((resolve) => setTimeout(resolve, 2));
    const shared = recorder({ channelPost: slow, broadcastReply: slow });
    const [a, b] = [worker(shared.handlers, { owner: 'replica-a' }), worker(shared.handlers, { owner: 'replica-b' })];
    for (let n = 0; n < 15; n++) {
      await recordUpdate(`u${n}`);
      (n % 2 ? a : b).kick(incident.id);
      if (n % 3 === 0) void a.sweep();
      if (n % 4 === 0) void b.sweep();
    }
    await Promise.all([a.drain(), b.drain()]);
    await a.sweep();
    await Promise.all([a.drain(), b.drain()]);
    seen.push(...shared.seen.filter((s) => s.startsWith('channelPost')));
    expect(seen).to.deep.equal(Array.from({ length: 15 }, (_, n) => `channelPost:u${n}`), 'each once, in order');
    expect(shared.seen.filter((s) => s === 'react')).to.have.length(15);
    expect(await left()).to.deep.equal([]);
  });

  it('takes over from a worker that died holding the lease once it expires, looking before it posts again', async () => {
    const contexts: boolean[] = [];
    const r = recorder({ channelPost: async (_i, _e, context) => void contexts.push(context.maybeSent) });
    const [effect] = await recordUpdate('orphan');
    // The dead worker claimed the effects and marked the post as being sent, then died.
    const now = new Date();
    await db.effects.claimEffects(incident.id, 'dead', new Date(now.getTime() + 300), now);
    await db.effects.markEffect(incident.id, effect!.id, { attempts: 0, maybeSent: true });
    const w = worker(r.handlers, { owner: 'heir' });
    expect(await w.sweep()).to.equal(0, 'the lease is still the dead worker\'s');
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(await w.sweep()).to.equal(1);
    expect(contexts).to.deep.equal([true]);
    expect(await left()).to.deep.equal([]);
  });

  it('runs each reaction once: one throttled is tried again without repeating those that ran', async () => {
    const ran: string[] = [];
    let throttled = true;
    const reactions = new Map([
      ['paging', { incidentChanged: async () => void ran.push('paging') }],
      ['notifications', { incidentChanged: async () => { if (throttled) { throttled = false; throw new TransientError('429', 10, true); } ran.push('notifications'); } }],
    ]);
    const messenger = { postUpdateInChannel: async () => undefined, replyInBroadcast: async () => undefined, updateIncidentCard: async () => undefined, updateBroadcast: async () => undefined };
    const handlers = effectHandlers({ messenger, workspace: { updateChannelDescription: async () => undefined, findMarkedMessage: async () => false }, reactions: () => reactions, log: silentLogger() });
    // A room with its broadcast posted (else the broadcast reply would wait for it).
    incident = sampleIncident({ id: deterministicId('worker', 'reacted', String(Math.random())), number: 2, channel: { id: '19:c@thread.tacv2', name: 'inc-2', webUrl: 'https://teams.microsoft.com/l/channel/x' }, broadcast: { conversationId: '19:b@thread.tacv2;messageid=1', activityId: '1', serviceUrl: 'http://127.0.0.1:9/' } });
    await db.store.insertIncident(incident);
    await recordUpdate('reacted');
    await worker(handlers).deliverFor(incident.id);
    expect(ran).to.deep.equal(['paging', 'notifications']);
    expect(await left()).to.deep.equal([]);
  });
});
