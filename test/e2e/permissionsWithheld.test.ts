/**
 * The war room with one feature's Graph permission withheld: Graph (the stand-in, which enforces
 * each operation's documented permissions) refuses that call with 403, the rest of the room
 * opens, and the card says exactly which permission to grant.
 */
import { expect } from 'chai';
import { provisioned, startTestApp, type TestApp } from '../helpers/testApp.js';
import { cardText, openIncidentRoom } from '../helpers/incidentRoom.js';
import type { ProvisioningStep } from '../../models/incident/incident.js';

const CASES: readonly { readonly feature: string; readonly withhold: readonly string[]; readonly step: ProvisioningStep; readonly names: readonly string[] }[] = [
  // TeamsTab.Create (granted for the meeting chat's tab) is accepted for channel tabs too, so both go.
  { feature: 'incident tab', withhold: ['TeamsTab.Create.Group', 'TeamsTab.Create'], step: 'tab', names: ['TeamsTab.Create.Group', 'TeamsTab.Create'] },
  { feature: 'meeting tab', withhold: ['TeamsTab.Create'], step: 'meetingTab', names: ['TeamsTab.Create'] },
  { feature: 'meeting (a calendar event)', withhold: ['Calendars.ReadWrite'], step: 'meeting', names: ['Calendars.ReadWrite'] },
];

describe('war room with a permission withheld', function () {
  this.timeout(60_000);
  let t: TestApp;
  afterEach(() => t?.close());

  for (const c of CASES) {
    it(`${c.feature}: without ${c.withhold.join(' and ')} that step fails naming ${c.names.join(', ')}; the rest opens`, async () => {
      t = await startTestApp();
      for (const permission of c.withhold) t.local.graph.granted.delete(permission);
      await t.message(`declare Withheld ${c.step}`);
      const [incident] = await provisioned(t);
      const state = incident!.provisioning.steps[c.step];
      expect(state.status).to.equal('failed');
      for (const name of c.names) expect(state.hint, `${c.step} hint`).to.contain(name);
      expect(incident!.provisioning.steps.card.status).to.equal('done');
      const card = cardText(t.local.world.cardsIn(incident!.channel!.id)[0]!.card);
      for (const name of c.names) expect(card).to.contain(name);
    });
  }

  it('channels: without Channel.Create.Group no channel opens, and the reporter is told what to grant', async () => {
    t = await startTestApp();
    t.local.graph.granted.delete('Channel.Create.Group');
    await t.message('declare Withheld channel');
    const [incident] = await provisioned(t);
    expect(incident!.provisioning.steps.channel.status).to.equal('failed');
    expect(incident!.provisioning.steps.channel.hint).to.contain('Channel.Create.Group').and.contain('Channel.Create');
  });

  it('topic line: without ChannelSettings.ReadWrite.Group (or .All) the summary is saved and the card and timeline say what to grant', async () => {
    const room = await openIncidentRoom();
    try {
      // ChannelSettings.ReadWrite.All (granted for archiving) would also allow it, so both go.
      room.t.local.graph.granted.delete('ChannelSettings.ReadWrite.Group');
      room.t.local.graph.granted.delete('ChannelSettings.ReadWrite.All');
      const answer = await room.click('summary', { topicLine: 'Checkout 500s', sreOwner: 'Alex' });
      expect(cardText(answer.value)).to.contain('Checkout 500s');
      // The answer does not wait for Teams: the failure reaches the card everyone sees, and the timeline.
      await room.t.app.actions.drain();
      const incident = await room.incident();
      expect(incident.topic?.line).to.equal('Checkout 500s');
      const card = cardText(room.t.local.world.cardsIn(incident.channel!.id).find((c) => JSON.stringify(c.card).includes('Details'))!.card);
      expect(card).to.contain('channel description').and.contain('ChannelSettings.ReadWrite.Group').and.contain('ChannelSettings.ReadWrite.All');
      const events = await room.t.app.database.store.listEvents(incident.id);
      expect(events.find((e) => e.kind === 'delivery_failed')?.payload.error).to.contain('ChannelSettings.ReadWrite.Group');
    } finally {
      await room.close();
    }
  });
});
