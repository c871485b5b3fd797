import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { RunningApp } from '../../server.js';
import { activity, ALEX, eventually, generousLimits, provisioned, startTestApp, TENANT, type TestApp, toBot } from '../helpers/testApp.js';
import { cardAction } from '../../local/teamsActivities.js';

/**
 * Two app instances on one database and one Teams, with requests spread over both the way a
 * load balancer would: they behave as one app.
 */
describe('two replicas on one database', function () {
  this.timeout(60_000);
  let t: TestApp;
  let a: RunningApp;
  let b: RunningApp;
  beforeEach(async () => {
    t = await startTestApp(generousLimits());
    a = t.app;
    b = await t.restart();
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (app: RunningApp, body: object) =>
    fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity(app, t.local, { id: randomUUID(), from: ALEX, ...body })) });

  it('declares spread over both get unique, gapless numbers and one war room each', async () => {
    const titles = Array.from({ length: 12 }, (_, i) => `Replica test ${i}`);
    const answers = await Promise.all(titles.map((title, i) => post(i % 2 ? b : a, { type: 'message', ...toBot(`declare ${title}`) })));
    expect(answers.every((r) => r.status === 200)).to.equal(true);
    const incidents = await provisioned(t, 12);
    expect(incidents.map((i) => i.number).sort((x, y) => x - y)).to.deep.equal(Array.from({ length: 12 }, (_, i) => i + 1));
    const channels = [...t.local.world.channels.values()].filter((c) => c.displayName.startsWith('inc-'));
    expect(channels).to.have.length(12);
    for (const incident of incidents) expect(t.local.world.cardsIn(incident.channel!.id), incident.title).to.have.length(1);
    expect(t.local.world.meetings.size).to.equal(12);
  });

  it('provisioning one incident from both at once runs once (the lease), and the other finds it done', async () => {
    await post(a, { type: 'message', ...toBot('declare Lease test') });
    const [declared] = await eventually(async () => (await t.incidents()).length === 1 && t.incidents());
    await Promise.all([a.provisioner.provision(declared!.id), b.provisioner.provision(declared!.id), b.provisioner.resumeAll()]);
    const [incident] = await provisioned(t, 1);
    expect(t.local.graph.channelCreations()).to.have.length(1);
    expect(t.local.world.cardsIn(incident!.channel!.id)).to.have.length(1);
  });

  it('card actions from both replicas on one incident: every one applied or cleanly refused, none lost', async () => {
    await post(a, { type: 'message', ...toBot('declare Storm test') });
    const [incident] = await provisioned(t, 1);
    const conversation = { id: `${incident!.channel!.id};messageid=${incident!.card!.activityId}`, tenantId: TENANT, conversationType: 'channel' };
    const click = (app: RunningApp, verb: string, data: object) =>
      post(app, { type: 'invoke', name: 'adaptiveCard/action', replyToId: incident!.card!.activityId, conversation, value: cardAction(verb, { incidentId: incident!.id, v: incident!.version, ...data }) });
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => click(i % 2 ? b : a, 'update', { updateText: `update ${i}` })));
    expect(answers.map((r) => r.status)).to.deep.equal(Array(30).fill(200));
    await Promise.all([a.actions.drain(), b.actions.drain()]);
    const after = (await a.database.store.findById(incident!.id))!;
    const events = await a.database.store.listEvents(incident!.id);
    // The app's own changes meanwhile are versions too: the checklist's tick for the first update, and the
    // on-call page when the paging timer fires during the clicks (on a loaded machine it does).
    const appChanges = events.filter((e) => e.actor.kind === 'system' && (e.version ?? 0) > incident!.version).length;
    expect(after.version).to.equal(incident!.version + 30 + appChanges);
    expect(events.filter((e) => e.kind === 'update_posted').map((e) => (e.payload as { text: string }).text).sort()).to.deep.equal(Array.from({ length: 30 }, (_, i) => `update ${i}`).sort());
    // Each update reached the channel once, whichever replica took it.
    await eventually(() => t.local.world.cardsIn(incident!.channel!.id).filter((c) => JSON.stringify(c.card).includes('update 1')).length >= 1, 5_000, 'the updates in the channel');
    const posted = t.local.world.cardsIn(incident!.channel!.id).map((c) => JSON.stringify(c.card)).filter((c) => /update \d+/.test(c) && c.includes('📣'));
    expect(posted).to.have.length(30);
  });
});
