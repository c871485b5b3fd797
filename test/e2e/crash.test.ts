import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Incident } from '../../models/incident/incident.js';
import { crashRig, type SpawnedApp } from '../helpers/spawnedApp.js';
import { ALEX, eventually, TENANT, toBot } from '../helpers/testApp.js';
import { cardAction, teamsActivity } from '../../local/teamsActivities.js';

/**
 * SIGKILL an app process in the middle of each provisioning step — after Teams did the work but
 * before the process heard back, the hardest moment — then start another process on the same
 * database: every incident ends fully provisioned, each effect exactly once.
 */
describe('killed with SIGKILL (spawned app processes)', function () {
  this.timeout(120_000);
  const rig = crashRig();

  async function declare(app: SpawnedApp, title: string): Promise<void> {
    const response = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        type: 'message', id: randomUUID(), channelId: 'msteams', serviceUrl: `${rig.local.connector.url}/`, from: ALEX,
        recipient: { id: '28:incident-room', name: 'incident-room' },
        conversation: { id: '19:general@thread.tacv2', tenantId: TENANT, conversationType: 'channel' },
        channelData: { tenant: { id: TENANT } },
        ...toBot(`declare ${title}`),
      }),
    });
    expect(response.status).to.equal(200);
  }

  async function finished(): Promise<Incident> {
    return eventually(async () => {
      const [doc] = await rig.store.connection.collection('incidents').find({}).toArray();
      const incident = doc && (await rig.store.store.findById(String(doc._id)));
      return incident?.provisioning.complete ? incident : undefined;
    }, 30_000, 'the war room to be finished by the next process');
  }

  function expectExactlyOnce(incident: Incident): void {
    for (const step of ['channel', 'meeting', 'tab', 'meetingTab', 'card', 'broadcast', 'reporter', 'cardLinks'] as const) {
      expect(incident.provisioning.steps[step].status, step).to.be.oneOf(['done', 'skipped']);
    }
    expect(rig.local.graph.channelCreations().length, 'channel creations (adoption may retry the name)').to.be.at.least(1);
    expect(rig.local.world.liveChannels().filter((c) => c.displayName.startsWith('inc-')), 'incident channels').to.have.length(1);
    expect(rig.local.world.meetings.size, 'meetings').to.equal(1);
    expect(rig.local.world.channels.get(incident.channel!.id)!.tabs, 'channel tabs').to.have.length(1);
    expect(rig.local.world.cardsIn(incident.channel!.id).filter((c) => JSON.stringify(c.card).includes('"verb":"refresh"')), 'incident cards').to.have.length(1);
    expect(rig.local.world.cardsIn('19:production-issues@thread.tacv2'), 'broadcast roots').to.have.length(1);
  }

  const steps: [string, { readonly on: 'graph' | 'connector'; readonly method: string; readonly path: RegExp }][] = [
    ['channel', { on: 'graph', method: 'POST', path: /\/teams\/[^/]+\/channels$/ }],
    ['meeting', { on: 'graph', method: 'POST', path: /\/users\/[^/]+\/events$/ }],
    ['tab', { on: 'graph', method: 'POST', path: /\/channels\/[^/]+\/tabs$/ }],
    ['meeting tab', { on: 'graph', method: 'POST', path: /\/chats\/[^/]+\/tabs$/ }],
    ['card and broadcast', { on: 'connector', method: 'POST', path: /^\/v3\/conversations$/ }],
    ['card links', { on: 'connector', method: 'PUT', path: /^\/v3\/conversations\/[^/]+\/activities\// }],
  ];
  for (const [step, where] of steps) {
    it(`killed during the ${step} step: the next process finishes it, each effect exactly once`, async () => {
      const standIn = rig.local[where.on];
      // Teams does the work but the answer never arrives: the process dies before it can record it.
      standIn.faults.add({ method: where.method, path: where.path, status: 'drop-response', delayMs: 400, times: 2 });
      const first = await rig.spawn();
      const seen = standIn.requests.length;
      await declare(first, `Crash during ${step}`);
      await eventually(() => standIn.requests.slice(seen).some((r) => r.method === where.method && where.path.test(r.path)), 20_000, `the ${step} request`);
      await first.kill();
      await new Promise((r) => setTimeout(r, 500)); // the stand-in finishes the work for the dead process
      standIn.faults.clear();
      await rig.spawn();
      expectExactlyOnce(await finished());
    });
  }

  it('killed in the middle of a card-action storm: no acknowledged action is lost, retried ones apply once', async () => {
    const first = await rig.spawn();
    await declare(first, 'Storm and crash');
    const incident = await finished();
    const click = (app: SpawnedApp, id: string, text: string) =>
      fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(
          teamsActivity({ serviceUrl: `${rig.local.connector.url}/`, tenantId: TENANT }, {
            type: 'invoke', name: 'adaptiveCard/action', id, from: ALEX, replyToId: incident.card!.activityId,
            conversation: { id: `${incident.channel!.id};messageid=${incident.card!.activityId}`, tenantId: TENANT, conversationType: 'channel' },
            value: cardAction('update', { incidentId: incident.id, v: incident.version, updateText: text }),
          }),
        ),
      }).then((r) => r.status, () => 0);
    const clicks = Array.from({ length: 40 }, (_, i) => ({ id: `storm-${i}`, text: `storm update ${i}` }));
    const acknowledged = new Set<string>();
    const storm = Promise.all(clicks.map(async (c) => ((await click(first, c.id, c.text)) === 200 ? acknowledged.add(c.id) : undefined)));
    await eventually(() => acknowledged.size >= 8, 20_000, 'some clicks answered');
    await first.kill();
    await storm;
    expect(acknowledged.size).to.be.below(40);

    // Teams retries what got no answer (same activity id) against whichever replica is up.
    const second = await rig.spawn();
    for (const c of clicks.filter((c) => !acknowledged.has(c.id))) expect(await click(second, c.id, c.text), c.id).to.equal(200);
    // Every click, answered before the crash or retried after it, is on the timeline exactly once…
    const texts = (await rig.store.store.listEvents(incident.id)).filter((e) => e.kind === 'update_posted').map((e) => (e.payload as { text: string }).text);
    expect(texts.slice().sort()).to.deep.equal(clicks.map((c) => c.text).sort());
    // The checklist's own tick for the first update is a version too.
    const autoTicks = (await rig.store.store.listEvents(incident.id)).filter((e) => e.kind === 'checklist_ticked' && e.actor.kind === 'system' && (e.version ?? 0) > incident.version).length;
    expect((await rig.store.store.findById(incident.id))!.version).to.equal(incident.version + 40 + autoTicks);
    // …and reaches the channel (the outbox is finished by the process that survived).
    await eventually(() => {
      const posted = rig.local.world.cardsIn(incident.channel!.id).map((c) => JSON.stringify(c.card));
      return clicks.every((c) => posted.some((p) => p.includes(`"${c.text}"`)));
    }, 20_000, 'every update in the channel');
  });
});
