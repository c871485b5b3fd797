import { expect } from 'chai';
import { CachedConversations } from '../../models/support/conversationCache.js';
import { KeyedQueue } from '../../models/support/keyedQueue.js';
import type { ConversationAddress } from '../../models/incident/incident.js';
import type { Clock } from '../../models/ports/clock.js';
import type { ConversationStore } from '../../models/ports/conversationStore.js';

describe('KeyedQueue', () => {
  it('runs tasks with one key one at a time, in order, and others alongside', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, ms));
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([queue.run('a', task('a1', 20)), queue.run('a', task('a2', 1)), queue.run('b', task('b1', 1))]);
    expect(results).to.deep.equal(['a1', 'a2', 'b1']);
    expect(log.indexOf('a2 start')).to.be.greaterThan(log.indexOf('a1 end'));
    expect(log.indexOf('b1 end')).to.be.lessThan(log.indexOf('a1 end'));
  });

  it('keeps going after a task fails, and reports the failure to its caller only', async () => {
    const queue = new KeyedQueue();
    const failing = queue.run('a', () => Promise.reject(new Error('boom')));
    const next = queue.run('a', () => Promise.resolve('fine'));
    expect(await failing.catch((e: Error) => e.message)).to.equal('boom');
    expect(await next).to.equal('fine');
  });
});

describe('CachedConversations', () => {
  const calls: string[] = [];
  let now = 0;
  const clock: Clock = { now: () => new Date(now), sleep: async () => undefined };
  const urls = new Map<string, string>();
  const store: ConversationStore = {
    async remember(a) {
      calls.push(`remember ${a.conversationId} ${a.serviceUrl}`);
      urls.set(a.conversationId, a.serviceUrl);
    },
    async serviceUrlFor(_tenant, conversationId) {
      calls.push(`read ${conversationId}`);
      return urls.get(conversationId ?? '');
    },
  };
  const address = (serviceUrl: string): ConversationAddress => ({ tenantId: 't', conversationId: 'c', serviceUrl });
  beforeEach(() => {
    calls.length = 0;
    urls.clear();
    now = 0;
  });

  it('writes an unchanged service URL once per TTL and a changed one at once', async () => {
    const cache = new CachedConversations(store, clock, 1000);
    await cache.remember(address('https://emea/'));
    await cache.remember(address('https://emea/'));
    await cache.remember(address('https://amer/'));
    now = 1500;
    await cache.remember(address('https://amer/'));
    expect(calls).to.deep.equal(['remember c https://emea/', 'remember c https://amer/', 'remember c https://amer/']);
  });

  it('answers lookups from what it learned, and asks the store again after the TTL', async () => {
    const cache = new CachedConversations(store, clock, 1000);
    urls.set('other', 'https://stored/');
    expect(await cache.serviceUrlFor('t', 'other')).to.equal('https://stored/');
    expect(await cache.serviceUrlFor('t', 'other')).to.equal('https://stored/');
    await cache.remember(address('https://emea/'));
    expect(await cache.serviceUrlFor('t', 'c')).to.equal('https://emea/');
    now = 2000;
    urls.set('other', 'https://moved/');
    expect(await cache.serviceUrlFor('t', 'other')).to.equal('https://moved/');
    expect(calls.filter((c) => c.startsWith('read'))).to.deep.equal(['read other', 'read other']);
  });

  it('does not cache "unknown", so a URL learned by another replica is found', async () => {
    const cache = new CachedConversations(store, clock, 1000);
    expect(await cache.serviceUrlFor('t', 'c')).to.equal(undefined);
    urls.set('c', 'https://learned-elsewhere/');
    expect(await cache.serviceUrlFor('t', 'c')).to.equal('https://learned-elsewhere/');
  });
});
