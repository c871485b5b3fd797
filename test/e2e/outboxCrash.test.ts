import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Incident } from '../../models/incident/incident.js';
import { crashRig, type SpawnedApp } from '../helpers/spawnedApp.js';
import { ALEX, eventually, TENANT, toBot } from '../helpers/testApp.js';
import { cardAction, teamsActivity } from '../../local/teamsActivities.js';

const BROADCAST = '19:production-issues@thread.tacv2';

/**
 * The effects outbox across SIGKILL and replicas: the click is answered once the change is
 * stored; the post in the channel and the reply in the broadcast thread are delivered by
 * whichever process is alive, each exactly once, even when the process died after Teams took
 * the post but before it heard so.
 */
describe('the effects outbox, killed with SIGKILL and run on two replicas (spawned app processes)', function () {
  this.timeout(120_000);
  const rig = crashRig();

  const post = (app: SpawnedApp, body: Record<string, unknown>) =>
    fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(teamsActivity({ serviceUrl: `${rig.local.connector.url}/`, tenantId: TENANT }, body)),
    }).then((r) => r.status, () => 0);

  async function room(app: SpawnedApp): Promise<Incident> {
    const declared = await post(app, { type: 'message', id: randomUUID(), from: ALEX, conversation: { id: '19:general@thread.tacv2', tenantId: TENANT, conversationType: 'channel' }, ...toBot('declare Outbox under fire') });
    expect(declared).to.equal(200);
    return eventually(async () => {
      const [doc] = await rig.store.connection.collection('incidents').find({}).toArray();
      const incident = doc && (await rig.store.store.findById(String(doc._id)));
      return incident?.provisioning.complete && !incident.effects?.length ? incident : undefined;
    }, 30_000, 'the war room');
  }

  const click = (app: SpawnedApp, incident: Incident, text: string, id = randomUUID()) =>
    post(app, {
      type: 'invoke', name: 'adaptiveCard/action', id, from: ALEX, replyToId: incident.card!.activityId,
      conversation: { id: `${incident.channel!.id};messageid=${incident.card!.activityId}`, tenantId: TENANT, conversationType: 'channel' },
      value: cardAction('update', { incidentId: incident.id, v: incident.version, updateText: text }),
    });

  /** How often each text was posted as an update in the incident channel, and replied in the broadcast thread. */
  function postings(incident: Incident, text: string): { channel: number; broadcast: number } {
    const count = (channelId: string, replies: boolean) =>
      rig.local.world.activitiesIn(channelId).filter((a) => Boolean(a.replyToId) === replies && JSON.stringify(a.attachments ?? []).includes('📣') && JSON.stringify(a.attachments ?? []).includes(`"${text}"`)).length;
    return { channel: count(incident.channel!.id, false), broadcast: count(BROADCAST, true) };
  }

  const delivered = (incident: Incident, text: string) =>
    eventually(async () => {
      const found = postings(incident, text);
      const record = await rig.store.store.findById(incident.id);
      return found.channel >= 1 && found.broadcast >= 1 && !record?.effects?.length ? found : undefined;
    }, 30_000, `"${text}" in the channel and the broadcast thread`);

  /** A room, then an update whose channel post meets `status` (held 5 s) while its process is killed. */
  async function killedDuringPost(status: 'reset' | 'drop-response', text: string): Promise<Incident> {
    const first = await rig.spawn();
    const incident = await room(first);
    rig.local.connector.faults.add({ method: 'POST', path: /^\/v3\/conversations$/, status, delayMs: 5_000, times: 1 });
    const seen = rig.local.connector.requests.length;
    expect(await click(first, incident, text)).to.equal(200);
    await eventually(() => rig.local.connector.requests.slice(seen).some((r) => r.method === 'POST' && r.path === '/v3/conversations'), 10_000, 'the post to start');
    await first.kill();
    return incident;
  }

  it('killed after the change is stored and before the post reached Teams: the next process posts it, once', async () => {
    // The channel post hangs and never reaches Teams; the process dies meanwhile.
    const incident = await killedDuringPost('reset', 'stored, not yet posted');
    expect(postings(incident, 'stored, not yet posted').channel).to.equal(0);
    const pending = (await rig.store.store.findById(incident.id))!;
    expect(pending.effects?.map((e) => e.kind)).to.include('channelPost');
    rig.local.connector.faults.clear();
    await rig.spawn();
    expect(await delivered(incident, 'stored, not yet posted')).to.deep.equal({ channel: 1, broadcast: 1 });
  });

  it('killed after Teams took the post but before the process heard: the next process finds it and does not post again', async () => {
    // Teams posts the update, but the answer is lost and the process dies waiting for it.
    const incident = await killedDuringPost('drop-response', 'posted, not heard');
    await eventually(() => postings(incident, 'posted, not heard').channel === 1 || undefined, 10_000, 'the stand-in to finish the post for the dead process');
    rig.local.connector.faults.clear();
    const lookups = () => rig.local.graph.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/messages')).length;
    const before = lookups();
    await rig.spawn();
    expect(await delivered(incident, 'posted, not heard')).to.deep.equal({ channel: 1, broadcast: 1 });
    expect(lookups() - before, 'the channel was looked at before posting again').to.be.at.least(1);
    // Settled: a later sweep finds nothing more to post.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(postings(incident, 'posted, not heard')).to.deep.equal({ channel: 1, broadcast: 1 });
  });

  it('two replicas taking clicks on one incident, with faults: every update posted once, in the order the clicks were stored', async () => {
    const a = await rig.spawn();
    const incident = await room(a);
    const b = await rig.spawn();
    for (const standIn of [rig.local.graph, rig.local.connector]) {
      standIn.faults.add({ path: /^\/(v1\.0|v3)\//, status: 503, chance: 0.05 });
      standIn.faults.add({ path: /^\/(v1\.0|v3)\//, status: 429, retryAfterSeconds: 0, chance: 0.03 });
      standIn.faults.add({ path: /^\/v3\//, status: 'drop-response', chance: 0.03 });
    }
    const texts = Array.from({ length: 16 }, (_, n) => `replica update ${n}`);
    // Two people at once, each on whichever replica the load balancer picks; a click with no answer is retried with its id, as Teams does.
    await Promise.all(
      [0, 1].map(async (lane) => {
        for (const [n, text] of texts.entries()) {
          if (n % 2 !== lane) continue;
          const id = randomUUID();
          for (let attempt = 0; attempt < 5 && (await click(n % 3 ? a : b, incident, text, id)) !== 200; attempt++);
        }
      }),
    );
    for (const text of texts) expect(await delivered(incident, text), text).to.deep.equal({ channel: 1, broadcast: 1 });
    const stored = (await rig.store.store.listEvents(incident.id)).filter((e) => e.kind === 'update_posted').sort((x, y) => (x.version ?? 0) - (y.version ?? 0)).map((e) => (e.payload as { text: string }).text);
    expect(stored.slice().sort()).to.deep.equal(texts.slice().sort(), 'each on the timeline once');
    const order = rig.local.world.activitiesIn(incident.channel!.id).map((a) => texts.find((t) => JSON.stringify(a.attachments ?? []).includes(`"${t}"`) && JSON.stringify(a.attachments).includes('📣'))).filter(Boolean);
    expect(order).to.deep.equal(stored, 'posted in the order the changes were stored');
  });
});
