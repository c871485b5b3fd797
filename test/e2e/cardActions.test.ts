import { expect } from 'chai';
import { effectsOf } from '../../models/delivery/effects.js';
import { ALEX, cardText, LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { cardProblems } from '../helpers/cards.js';

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

describe('running an incident from its card (Universal Actions through /api/messages)', () => {
  let room: IncidentRoom;
  beforeEach(async () => {
    room = await openIncidentRoom();
  });
  afterEach(async () => {
    await room.close();
  });

  const kinds = async () => (await room.t.app.database.store.listEvents((await room.incident()).id)).map((e) => e.kind);
  const channelCard = async () => {
    const i = await room.incident();
    return room.t.local.world.activities.find((a) => a.id === i.card!.activityId)!;
  };

  it('acknowledge records the MTTA milestone, re-renders the card for everyone and answers with it', async () => {
    const before = (await channelCard()).version;
    const response = await room.click('ack');
    expect(response.statusCode).to.equal(200);
    expect(response.type).to.equal(CARD);
    expect(cardProblems(response.value)).to.deep.equal([]);
    expect(cardText(response.value)).to.contain('Alex Wilber acknowledged INC-1');
    const incident = await room.incident();
    expect(incident.milestones.acknowledged).to.be.instanceOf(Date);
    expect(await kinds()).to.include('acknowledged');
    const updated = await channelCard();
    expect(updated.version).to.be.greaterThan(before);
    expect(cardText(updated.attachments)).not.to.contain('"verb":"ack"');
    // A second acknowledge changes nothing and says so.
    expect(cardText((await room.click('ack')).value)).to.contain('already acknowledged');
  });

  it('take a role, and assign one to a person picked from the directory', async () => {
    await room.click('takeRole', { role: 'commander' });
    const assigned = await room.click('assignRole', { role: 'communications', person: MEGAN.aadObjectId });
    expect(cardText(assigned.value)).to.contain('Megan Bowen is now the Communications lead');
    await room.click('assignRole', { role: 'sme', person: LEE.id });
    const incident = await room.incident();
    expect(incident.roles.commander).to.deep.include({ id: ALEX.id, name: ALEX.name });
    expect(incident.roles.communications).to.deep.include({ name: 'Megan Bowen', aadObjectId: MEGAN.aadObjectId });
    expect(incident.roles.smes.map((p) => p.name)).to.deep.equal(['Lee Gu']);
    const unknown = await room.click('assignRole', { role: 'scribe', person: 'no-such-person' });
    expect(cardText(unknown.value)).to.contain('could not find that person');
    expect((await room.incident()).roles.scribe).to.equal(undefined);
  });

  it('status moves along the lifecycle, refuses illegal moves, and records recovery and resolution', async () => {
    expect(cardText((await room.click('status', { statusTo: 'identified' })).value)).to.contain('from triage to identified');
    const illegal = await room.click('status', { statusTo: 'closed' });
    expect(cardText(illegal.value)).to.contain('cannot be closed yet');
    await room.click('status', { statusTo: 'monitoring' });
    let incident = await room.incident();
    expect(incident.status).to.equal('monitoring');
    expect(incident.milestones.mitigated).to.be.instanceOf(Date);
    expect(incident.milestones.resolved).to.equal(undefined);
    await room.click('resolve');
    incident = await room.incident();
    expect(incident.status).to.equal('resolved');
    expect(incident.milestones.resolved).to.be.instanceOf(Date);
    expect(await kinds()).to.include.members(['status_changed', 'resolved']);
  });

  it('severity changes show the plain-language definition; the P0 suggestion raises with its reason', async () => {
    const changed = await room.click('severity', { severityTo: 'P1' });
    expect(cardText(changed.value)).to.contain('from P2 to P1 (Major: A core feature is down');
    const raised = await room.click('severity', { severityTo: 'P0', reason: 'data loss or corruption was reported' });
    expect(cardText(raised.value)).to.contain('because data loss or corruption was reported');
    const events = await room.t.app.database.store.listEvents((await room.incident()).id);
    expect(events.filter((e) => e.kind === 'severity_changed').map((e) => e.payload.to)).to.deep.equal(['P1', 'P0']);
  });

  it('data loss reported in one click: on the timeline, the card suggests P0, a second report is refused', async () => {
    const open = cardText((await room.click('info')).value);
    expect(open).to.contain('"verb":"reportDataLoss"');
    const reported = cardText((await room.click('reportDataLoss')).value);
    expect(reported).to.contain('reported data loss or corruption').and.contain('should probably be **P0**').and.not.contain('"verb":"reportDataLoss"');
    expect((await room.incident()).dataLoss).to.equal(true);
    expect((await room.incident()).severity).to.equal('P2');
    expect(cardText((await room.click('reportDataLoss')).value)).to.contain('already reported');
    const events = await room.t.app.database.store.listEvents((await room.incident()).id);
    expect(events.filter((e) => e.kind === 'data_loss_reported')).to.have.length(1);
  });

  it('the status summary template with UNKNOWN defaults and the topic line', async () => {
    const saved = await room.click('summary', {
      environment: 'Production', component: 'payments-api', probableCause: '', frequency: 'every request', type: 'Self',
      recoveryEstimate: 'minutes', workingOnIt: 'Alex', currentAction: 'rolling back', nextAction: '',
      topicLine: 'Checkout 500s after deploy', sreOwner: 'Alex', devOwner: 'Megan', dataLoss: 'false',
    });
    expect(cardText(saved.value)).to.contain('updated the status summary').and.contain('Checkout 500s after deploy');
    const incident = await room.incident();
    expect(room.t.local.world.channels.get(incident.channel!.id)!.description).to.equal('INC-1 (P2): Checkout 500s after deploy | SRE: Alex, Dev: Megan');
    expect(incident.summary).to.include({ environment: 'Production', probableCause: 'UNKNOWN', nextAction: 'UNKNOWN', type: 'Self' });
    expect(incident.topic).to.deep.equal({ line: 'Checkout 500s after deploy', sreOwner: 'Alex', devOwner: 'Megan' });
    const bad = await room.click('summary', { environment: 'Mars', type: 'Aliens' });
    expect(cardText(bad.value)).to.contain('The summary was not saved').and.contain('Environment must be one of');
  });

  it('an update goes to the channel and as a threaded reply under the broadcast root, which is updated in place', async () => {
    await room.click('update', { updateText: 'Rolled back 2026.05.01-3; error rate falling.' });
    await room.click('status', { statusTo: 'monitoring' });
    await room.click('update', { updateText: 'Error rate back to baseline.' });
    await room.t.app.actions.drain();
    const incident = await room.incident();
    const world = room.t.local.world;
    const broadcastRoots = world.activitiesIn('19:production-issues@thread.tacv2').filter((a) => !a.replyToId);
    expect(broadcastRoots).to.have.length(1);
    const root = broadcastRoots[0]!;
    expect(incident.broadcast!.activityId).to.equal(root.id);
    expect(root.version).to.be.greaterThan(1);
    expect(cardText(root.attachments)).to.contain('monitoring').and.contain('Error rate back to baseline.');
    const thread = world.activitiesIn('19:production-issues@thread.tacv2').filter((a) => a.replyToId === root.id);
    // Every update and every status change, once each, in order.
    expect(thread.map((a) => cardText(a.attachments))).to.have.length(3);
    expect(cardText(thread[0]!.attachments)).to.contain('Rolled back 2026.05.01-3');
    expect(cardText(thread[1]!.attachments)).to.match(/to monitoring/);
    const inChannel = world.activitiesIn(incident.channel!.id).filter((a) => cardText(a.attachments).includes('📣'));
    expect(inChannel, 'two updates and the status change, one post each').to.have.length(3);
    expect(incident.lastUpdate!.text).to.equal('Error rate back to baseline.');
  });

  it('escalate records the escalation level; close needs the milestones and a summary', async () => {
    const escalated = await room.click('escalate', { note: 'need the DBA' });
    expect(cardText(escalated.value)).to.match(/escalated INC-1: paging level [12] of the on-call escalation policy/);
    await room.click('resolve');
    const refused = await room.click('close');
    expect(cardText(refused.value)).to.contain('cannot be closed yet').and.contain('no status summary').and.contain('Incident Commander');
    expect((await room.incident()).status).to.equal('resolved');
    await room.click('summary', { environment: 'Production', type: 'Vendor' });
    await room.click('takeRole', { role: 'commander' });
    const closed = await room.click('close');
    expect(cardText(closed.value)).to.contain('closed INC-1');
    const incident = await room.incident();
    expect(incident.status).to.equal('closed');
    expect(incident.milestones.closed).to.be.instanceOf(Date);
    expect(cardText((await room.click('update', { updateText: 'late' })).value)).to.contain('is closed; nothing can change');
  });

  it('refresh returns the current card (Universal Actions auto-refresh)', async () => {
    await room.click('takeRole', { role: 'commander' }, { from: MEGAN });
    const refreshed = await room.click('refresh', {}, { v: 1 });
    expect(refreshed.type).to.equal(CARD);
    expect(cardText(refreshed.value)).to.contain('Megan Bowen').and.contain('"verb":"refresh"');
  });

  it('a stale click is applied to the latest record and says what changed since the card was rendered', async () => {
    const seen = (await room.incident()).version;
    await room.click('severity', { severityTo: 'P1' }, { from: MEGAN });
    const response = await room.click('ack', {}, { v: seen });
    expect(cardText(response.value)).to.contain('Your card was out of date').and.contain('Megan Bowen changed the severity from P2 to P1');
    expect((await room.incident()).severity).to.equal('P1');
  });

  it('a retried invoke (same activity id) is applied once', async () => {
    const responses = await Promise.all([1, 2, 3].map(() => room.click('update', { updateText: 'once only' }, { id: 'invoke-1' })));
    expect(responses.every((r) => r.type === CARD)).to.equal(true);
    expect((await kinds()).filter((k) => k === 'update_posted')).to.have.length(1);
    const incident = await room.incident();
    expect(room.t.local.world.cardsIn(incident.channel!.id).filter((c) => JSON.stringify(c.card).includes('📣') && JSON.stringify(c.card).includes('once only'))).to.have.length(1);
    expect(responses.map((r) => cardText(r.value)).some((t) => t.includes('already done'))).to.equal(true);
  });

  it('an update a dying process recorded but never delivered is posted when Teams retries the click, once', async () => {
    const incident = await room.incident();
    const posts = () => room.t.local.world.cardsIn(incident.channel!.id).filter((c) => JSON.stringify(c.card).includes('📣') && JSON.stringify(c.card).includes('left behind'));
    // What the dying process wrote: the change, its event and its effects, and nothing after.
    const key = 'teams-activity:invoke-left-behind';
    const event = { id: '0123456789abcdef01234567', incidentId: incident.id, kind: 'update_posted' as const, at: new Date(), actor: { kind: 'user' as const, id: ALEX.id, name: ALEX.name }, payload: { text: 'left behind' }, version: incident.version + 1 };
    const change = { patch: {}, event: { kind: 'update_posted' as const, payload: {} }, message: '' };
    const written = await room.t.app.database.store.applyChange(incident.id, incident.version, key, { lastUpdate: { text: 'left behind', at: new Date(), by: ALEX } }, event, effectsOf(change, event, { text: 'left behind', by: ALEX }));
    expect(written).to.have.property('effects').that.has.length(4);
    expect(posts()).to.have.length(0);
    // Teams got no answer and resends the invoke; another process (here the same app) takes it.
    const retried = await room.click('update', { updateText: 'left behind' }, { id: 'invoke-left-behind' });
    expect(cardText(retried.value)).to.contain('already done');
    await room.t.app.actions.drain();
    expect(posts()).to.have.length(1);
    expect((await room.incident()).effects ?? []).to.have.length(0);
    // A further retry finds nothing left to post.
    await room.click('update', { updateText: 'left behind' }, { id: 'invoke-left-behind' });
    await room.t.app.actions.drain();
    expect(posts()).to.have.length(1);
  });

  describe('bad input changes nothing and says why', () => {
    it('unknown verb', async () => {
      const r = await room.click('selfDestruct');
      expect(r.type).to.equal(MESSAGE);
      expect(r.value).to.match(/not one I know/);
    });
    it('missing or malformed fields', async () => {
      expect((await room.click('status', {})).value).to.match(/data I cannot accept \(statusTo/);
      expect((await room.click('status', { statusTo: { $ne: 'x' } })).value).to.match(/data I cannot accept/);
      expect((await room.click('update', { updateText: 'x'.repeat(20_000) })).value).to.match(/data I cannot accept/);
      expect(cardText((await room.click('update', { updateText: '   ' })).value)).to.contain('An update needs some text');
    });
    it('a wrong or unknown incident id', async () => {
      expect((await room.click('ack', {}, { incidentId: 'not-an-id' })).value).to.match(/incidentId: is not an incident id/);
      expect((await room.click('ack', {}, { incidentId: 'f'.repeat(24) })).value).to.match(/cannot find/);
    });
    it('a card used outside its incident channel (forged or copied)', async () => {
      const r = await room.click('ack', {}, { conversationId: '19:general@thread.tacv2' });
      expect(r.value).to.match(/belongs to INC-1's channel/);
      expect((await room.incident()).milestones.acknowledged).to.equal(undefined);
    });
  });

  it('20 simultaneous card actions: every one applied or cleanly refused, no lost update, timeline complete', async () => {
    const start = await room.incident();
    const people = [ALEX, MEGAN, LEE];
    const clicks = [
      ...Array.from({ length: 12 }, (_, i) => room.click('update', { updateText: `update ${i}` }, { from: people[i % 3] })),
      ...['commander', 'communications', 'business', 'technical', 'scribe'].map((role, i) => room.click('takeRole', { role }, { from: people[i % 3] })),
      ...Array.from({ length: 3 }, () => room.click('severity', { severityTo: 'P1' })),
    ];
    const responses = await Promise.all(clicks);
    expect(responses.every((r) => r.statusCode === 200 && r.type === CARD)).to.equal(true);
    const texts = responses.map((r) => cardText(r.value));
    expect(texts.filter((t) => t.includes('is already P1'))).to.have.length(2);
    await room.t.app.actions.drain();
    const incident = await room.incident();
    const events = await room.t.app.database.store.listEvents(incident.id);
    // The app's own changes meanwhile are versions too: the checklist ticking what the storm proved (a commander, a
    // first update), and the on-call page when its timer fires during the storm (on a loaded machine it does).
    const autoTicks = events.filter((e) => e.actor.kind === 'system' && (e.version ?? 0) > start.version).length;
    expect(incident.version).to.equal(start.version + 18 + autoTicks);
    expect(incident.severity).to.equal('P1');
    for (const role of ['commander', 'communications', 'business', 'technical', 'scribe'] as const) expect(incident.roles[role], role).to.exist;
    expect(events.filter((e) => e.kind === 'update_posted')).to.have.length(12);
    expect(events.filter((e) => e.kind === 'role_assigned')).to.have.length(5);
    expect(events.filter((e) => e.kind === 'severity_changed')).to.have.length(1);
    const versions = events.filter((e) => e.version !== undefined).map((e) => e.version!);
    expect(versions.filter((v) => v > start.version)).to.deep.equal(Array.from({ length: 18 + autoTicks }, (_, i) => start.version + 1 + i));
    expect(incident.outbox ?? []).to.have.length(0);
  });
});
