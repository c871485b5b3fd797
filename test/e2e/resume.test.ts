import { expect } from 'chai';
import { eventually, startTestApp, type TestApp } from '../helpers/testApp.js';

describe('provisioning survives a crash', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('a process that dies after the channel step is finished by the next one, without a second channel', async () => {
    t = await startTestApp({ PROVISION_LEASE_MS: '300', PROVISION_SWEEP_MS: '100' });
    // Everything after the channel hangs, then the connection drops: the first process is
    // mid-flight on meeting, tab, card and reporter answer when it dies.
    t.local.graph.faults.add({ method: 'POST', path: /\/tabs$/, status: 'reset', delayMs: 1500 });
    t.local.graph.faults.add({ method: 'POST', path: /onlineMeetings/, status: 'reset', delayMs: 1500 });
    t.local.connector.faults.add({ method: 'POST', path: /^\/v3\/conversations$/, status: 'reset', delayMs: 1500 });
    t.local.connector.faults.add({ method: 'PUT', path: /activities/, status: 'reset', delayMs: 1500 });

    await t.message('declare Orders stuck in pending --sev P1');
    const [declared] = await eventually(async () => {
      const all = await t.incidents();
      return all[0]?.provisioning.steps.channel.status === 'done' ? all : undefined;
    });

    // The crash: the first process loses its database and never writes again.
    await t.app.database.connection.close(true);
    const second = await t.restart();

    const incident = await eventually(async () => {
      const found = await second.database.store.findById(declared!.id);
      return found?.provisioning.complete ? found : undefined;
    }, 15_000, 'the restarted process to finish provisioning');

    expect(t.local.graph.channelCreations()).to.have.length(1);
    expect(t.local.world.liveChannels().filter((c) => c.displayName.startsWith('inc-'))).to.have.length(1);
    expect(incident.channel!.id).to.equal(declared!.channel!.id);
    for (const step of ['meeting', 'tab', 'card', 'reporter', 'cardLinks'] as const) expect(incident.provisioning.steps[step].status, step).to.equal('done');
    expect(t.local.world.channels.get(incident.channel!.id)!.tabs).to.have.length(1);
    expect(t.local.world.cardsIn(incident.channel!.id)).to.have.length(1);
    expect(t.local.world.meetings.size).to.equal(1);
    const kinds = (await second.database.store.listEvents(incident.id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'channel_created')).to.have.length(1);
    expect(kinds).to.include.members(['meeting_created', 'tab_added', 'card_posted', 'reporter_notified']);
  });

  it('a tab created just before a crash is found and reused, not added twice', async () => {
    t = await startTestApp();
    t.local.graph.faults.add({ method: 'POST', path: /\/channels\/[^/]+\/tabs$/, status: 'drop-response' });
    await t.message('declare Webhooks delayed');
    const [incident] = await eventually(async () => {
      const all = await t.incidents();
      return all[0]?.provisioning.complete ? all : undefined;
    });
    expect(incident!.provisioning.steps.tab).to.include({ status: 'done', attempts: 2 });
    expect(t.local.world.channels.get(incident!.channel!.id)!.tabs).to.have.length(1);
  });
});
