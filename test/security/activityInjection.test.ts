import { expect } from 'chai';
import { cardAction, mentionOf, toBot } from '../../local/teamsActivities.js';
import type { Incident } from '../../models/incident/incident.js';
import { ALEX, MEGAN } from '../helpers/people.js';
import { eventually, provisioned, startTestApp, type TestApp } from '../helpers/testApp.js';

/** The victim: another tenant, whose INC-1 must stay as it was. Between the operator's bounds (tenant-a < tenant-b < tenant-c). */
const VICTIM = 'tenant-b';
const BETWEEN = { $gt: 'tenant-a', $lt: 'tenant-c' };
const GENERAL = '19:general@thread.tacv2';
const HUGE = 'x'.repeat(100 * 1024);

/**
 * The tenant and the other ids of an activity become Mongo filters, URL segments and records, and
 * nothing checked they were strings: `{"$gt":"tenant-a","$lt":"tenant-c"}` as the tenant id
 * changed tenant-b's INC-1 (local mode has no sign-in; in real mode channelData is the sender's).
 * Now every field the bot reads is checked at the edge: a malformed activity is refused with
 * 400 (a card action: HTTP 200 with a 400 in the body, as Universal Actions answer), and
 * nothing changes anywhere.
 */
describe('security: activity fields are checked before the bot reads them', function () {
  this.timeout(60_000);
  let t: TestApp;
  let victim: Incident;

  before(async () => {
    t = await startTestApp({}, { timers: false });
    const declared = await t.send(inTenant(VICTIM, { type: 'message', ...toBot('declare Payments are down --sev P1') }));
    expect(declared.status).to.equal(200);
    [victim] = (await provisioned(t)) as [Incident];
    expect(victim).to.deep.include({ tenantId: VICTIM, number: 1, status: 'triage' });
  });
  after(() => t?.close());

  /** An activity of this tenant in its General channel (conversation and channelData agree); t.send adds the rest of a Teams activity. */
  function inTenant(tenantId: unknown, fields: Record<string, unknown>): Record<string, unknown> {
    return { conversation: { id: GENERAL, tenantId, conversationType: 'channel', isGroup: true }, channelData: { tenant: { id: tenantId }, channel: { id: GENERAL } }, ...fields };
  }
  /** An update on INC-1 (each one new, so each would be a change), with the fields given replaced. */
  let attacks = 0;
  const attack = (fields: Record<string, unknown>) => ({ ...inTenant(VICTIM, { type: 'message', ...toBot(`update Injected ${++attacks} INC-1`) }), ...fields });

  /** The victim's incident and timeline exactly as stored. */
  async function victimState(): Promise<string> {
    const incident = await t.app.database.connection.collection('incidents').findOne({ tenantId: VICTIM, number: 1 });
    const events = await t.app.database.store.listEvents(victim.id);
    return JSON.stringify({ incident, events });
  }

  const malformed: [string, Record<string, unknown>][] = [
    ['an operator as conversation.tenantId', attack({ conversation: { id: GENERAL, tenantId: BETWEEN, conversationType: 'channel' }, channelData: { channel: { id: GENERAL } } })],
    ['an operator as channelData.tenant.id', attack({ conversation: { id: GENERAL, conversationType: 'channel' }, channelData: { tenant: { id: BETWEEN }, channel: { id: GENERAL } } })],
    ['an operator as both tenant ids', attack({ conversation: { id: GENERAL, tenantId: BETWEEN, conversationType: 'channel' }, channelData: { tenant: { id: BETWEEN } } })],
    ['a number as from.id', attack({ from: { id: 42, name: 'Alex' } })],
    ['an operator as from.id', attack({ from: { id: { $ne: null }, name: 'Alex' } })],
    ['an operator as from.aadObjectId', attack({ from: { ...ALEX, aadObjectId: { $ne: null } } })],
    ['a 100 KB from.id', attack({ from: { ...ALEX, id: HUGE } })],
    ['a 100 KB from.aadObjectId', attack({ from: { ...ALEX, aadObjectId: HUGE } })],
    ['a 100 KB tenant id', attack({ conversation: { id: GENERAL, tenantId: HUGE, conversationType: 'channel' }, channelData: { tenant: { id: HUGE } } })],
    ['a 100 KB activity id', attack({ id: HUGE })],
    ['a 100 KB replyToId', attack({ replyToId: HUGE })],
    ['a 100 KB channel id in channelData', attack({ channelData: { tenant: { id: VICTIM }, channel: { id: HUGE } } })],
    ['a 100 KB id of a mentioned person', attack({ text: '<at>incident-room</at> role commander <at>Megan</at> INC-1', entities: [...toBot('').entities, mentionOf({ id: HUGE, name: 'Megan' })] })],
    ['an array as conversation.tenantId', attack({ conversation: { id: GENERAL, tenantId: [VICTIM], conversationType: 'channel' } })],
    ['an array as channelData.tenant.id', attack({ conversation: { id: GENERAL, conversationType: 'channel' }, channelData: { tenant: { id: [VICTIM] } } })],
    ['an array as from.id', attack({ from: { id: [ALEX.id], name: 'Alex' } })],
    ['an array as from.aadObjectId', attack({ from: { ...ALEX, aadObjectId: [ALEX.aadObjectId] } })],
    ['an array as a mentioned person’s id', attack({ text: '<at>incident-room</at> role commander <at>Megan</at> INC-1', entities: [...toBot('').entities, mentionOf({ id: [MEGAN.id] as never, name: 'Megan' })] })],
    ['a tenant id with a path in it', attack({ conversation: { id: GENERAL, tenantId: '../tenant-b', conversationType: 'channel' }, channelData: { tenant: { id: '../tenant-b' } } })],
    // Teams' own bound for a message (a longer command than INPUT_BOUND is answered by the bot, test/e2e/channelConversation.test.ts).
    ['message text over the message bound', attack({ text: `<at>incident-room</at> update ${'y'.repeat(100_001)} INC-1` })],
  ];
  for (const [what, activity] of malformed) {
    it(`refuses ${what} with 400 and changes nothing (tenant-b's INC-1 stays as it was)`, async () => {
      const before = await victimState();
      const incidents = await t.app.database.connection.collection('incidents').countDocuments();
      const answer = await t.send(activity);
      await t.app.actions.drain();
      // What matters first: nothing changed, in the other tenant or anywhere.
      expect(await victimState(), 'the other tenant’s INC-1').to.equal(before);
      expect(await t.app.database.connection.collection('incidents').countDocuments()).to.equal(incidents);
      expect(answer.status).to.equal(400);
      expect(answer.body.message).to.match(/malformed; nothing was done/);
    });
  }

  it('answers a malformed card action as Universal Actions expect (HTTP 200, 400 in the body), changing nothing', async () => {
    const click = (fields: Record<string, unknown>) => ({
      ...inTenant(VICTIM, { type: 'invoke', name: 'adaptiveCard/action', replyToId: victim.card!.activityId, value: cardAction('ack', { incidentId: victim.id, v: victim.version }) }),
      ...fields,
    });
    const before = await victimState();
    for (const activity of [
      click({ conversation: { id: victim.channel!.id, tenantId: BETWEEN, conversationType: 'channel' } }),
      click({ channelData: { tenant: { id: BETWEEN } } }),
      click({ from: { id: 42 } }),
      click({ replyToId: HUGE }),
      click({ value: [cardAction('ack', { incidentId: victim.id })] }),
      click({ value: 'ack' }),
      click({ value: { action: 'ack' } }),
    ]) {
      const answer = await t.send(activity);
      expect(answer.status, JSON.stringify(activity).slice(0, 300)).to.equal(200);
      expect(answer.body).to.deep.include({ statusCode: 400, type: 'application/vnd.microsoft.error' });
      expect(answer.body.value.message).to.match(/malformed; nothing was done/);
    }
    await t.app.actions.drain();
    expect(await victimState()).to.equal(before);
  });

  it('refuses other invokes whose value is not an object, and malformed message-extension payloads, with 400', async () => {
    const submit = (value: unknown) => inTenant(VICTIM, { type: 'invoke', name: 'composeExtension/submitAction', value });
    for (const value of [['declareIncident'], 'declareIncident', { commandId: { $ne: null } }, { commandId: 'declareIncident', messagePayload: { id: [1], body: { content: '<p>hi</p>' } } }, { commandId: 'declareIncident', messagePayload: { body: { content: { $gt: '' } } } }]) {
      const answer = await t.send(submit(value));
      expect(answer.status, JSON.stringify(value)).to.equal(400);
    }
    expect((await t.send(inTenant(VICTIM, { type: 'invoke', name: 'task/fetch', value: [1, 2] }))).status).to.equal(400);
    expect(await t.incidents()).to.have.length(1);
  });

  it('still runs the normal flows: a command, a card click and a mention from the tenant itself', async () => {
    const status = await t.send(inTenant(VICTIM, { type: 'message', ...toBot('status investigating INC-1') }));
    expect(status.status).to.equal(200);
    await eventually(async () => (await t.app.database.store.findById(victim.id))!.status === 'investigating', 5_000, 'the status change');
    const current = (await t.app.database.store.findById(victim.id))!;
    const click = await t.send({
      ...inTenant(VICTIM, { type: 'invoke', name: 'adaptiveCard/action', replyToId: current.card!.activityId, value: cardAction('ack', { incidentId: victim.id, v: current.version }) }),
      conversation: { id: `${current.channel!.id};messageid=${current.card!.activityId}`, tenantId: VICTIM, conversationType: 'channel', isGroup: true },
    });
    expect(click.status).to.equal(200);
    expect(click.body.statusCode).to.equal(200);
    expect((await t.app.database.store.findById(victim.id))!.milestones.acknowledged).to.be.instanceOf(Date);
    const mention = await t.send(inTenant(VICTIM, { type: 'message', text: '<at>incident-room</at> role commander <at>Megan Bowen</at> INC-1', entities: [...toBot('').entities, mentionOf({ id: MEGAN.id, name: 'Megan Bowen' })] }));
    expect(mention.status).to.equal(200);
    await eventually(async () => (await t.app.database.store.findById(victim.id))!.roles.commander?.id === MEGAN.id, 5_000, 'Megan as commander');
  });
});
