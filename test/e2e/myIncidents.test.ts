import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { TeamsWorld } from '../../local/world/teamsWorld.js';
import { asRead, cardText, LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { provisioned } from '../helpers/testApp.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { signedInAs } from '../helpers/tabApi.js';
import { deterministicId } from '../../models/support/ids.js';

describe('"My incidents", follow, and updates in personal chat', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  beforeEach(async () => {
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P2');
  });
  afterEach(() => room.close());

  const personalChat = (aad: string) => room.t.local.world.activities.filter((a) => a.conversationId === TeamsWorld.personalChatOf(aad)).map((a) => asRead(a.text ?? ''));
  const broadcastConversation = async () => (await room.incident()).broadcast!.conversationId;

  it('follows from the broadcast card; the follower then gets updates, status and severity changes in personal chat', async () => {
    const followed = await room.click('follow', {}, { from: MEGAN, conversationId: await broadcastConversation() });
    expect(followed.value).to.match(/^You follow INC-1: its updates/);
    expect((await room.incident()).followers!.map((f) => f.name)).to.deep.equal([MEGAN.name]);
    const again = await room.click('follow', {}, { from: MEGAN, conversationId: await broadcastConversation() });
    expect(again.value).to.match(/already follow INC-1/);

    await room.say('update Rolled back 1.42; error rate falling');
    await room.say('sev P1');
    await room.say('status investigating');
    const messages = personalChat(MEGAN.aadObjectId);
    expect(messages).to.have.length(3);
    expect(messages[0]).to.contain('INC-1').and.to.contain('update from Alex Wilber: Rolled back 1.42; error rate falling');
    expect(messages[1]).to.contain('severity is now **P1** (was P2)');
    expect(messages[2]).to.contain('is now **investigating** (was triage)');
    expect(messages[0]).to.contain('[incident channel](');

    // Stop following: nothing more arrives.
    await room.click('unfollow', {}, { from: MEGAN });
    await room.say('update Still watching');
    expect(personalChat(MEGAN.aadObjectId)).to.have.length(3);
  });

  it('skips a follower who cannot be reached (no personal app) and still tells the others', async () => {
    await room.click('follow', {}, { from: MEGAN });
    await room.click('follow', {}, { from: LEE });
    room.t.local.world.personalAppMissing.add(MEGAN.aadObjectId);
    await room.say('update DB failover done');
    expect(personalChat(MEGAN.aadObjectId)).to.have.length(0);
    expect(personalChat(LEE.aadObjectId)).to.have.length(1);
  });

  it('`list` in personal chat shows the incidents I hold a role in or follow, with my part', async () => {
    await room.t.message('declare Search is slow --sev P3');
    const [, second] = await provisioned(room.t, 2);
    await room.click('assignRole', { role: 'commander', person: MEGAN.aadObjectId });
    await room.click('follow', {}, { from: MEGAN, incidentId: second!.id, conversationId: `${second!.channel!.id};messageid=${second!.card!.activityId}` });
    const reply = await room.say('list', { from: MEGAN, conversationId: TeamsWorld.personalChatOf(MEGAN.aadObjectId) });
    const shown = cardText(reply.card);
    expect(shown).to.contain('Your incidents (2)');
    expect(shown).to.contain('INC-1').and.to.contain('You: Incident Commander');
    expect(shown).to.contain('INC-2').and.to.contain('You follow it');
    // Elsewhere, `list` still lists every open incident.
    expect(cardText((await room.say('list')).card)).to.contain('2 open incidents');
  });

  it('GET /tab/api/me/incidents lists the signed-in person\'s incidents; PUT …/follow follows and stops, validated and tenant-scoped', async () => {
    const url = room.t.app.url;
    const incident = await room.incident();
    // The tab's signed-in person: Megan, by Entra id as Teams SSO gives it.
    const megan = await signedInAs(room.t.app, MEGAN);
    const get = async () => (await (await fetch(`${url}/tab/api/me/incidents`, { headers: megan })).json()) as any;
    expect((await get()).incidents).to.deep.equal([]);
    const put = (id: string, body: unknown) => fetch(`${url}/tab/api/me/incidents/${id}/follow`, { method: 'PUT', headers: { 'Content-Type': 'application/json', ...megan }, body: JSON.stringify(body) });

    const follow = await put(incident.id, { follow: true, key: randomUUID() });
    expect(follow.status).to.equal(200);
    const [row] = (await get()).incidents;
    expect(row).to.deep.include({ label: 'INC-1', severity: 'P2', status: 'triage', following: true, myRoles: [] });
    expect(row.tabUrl).to.match(new RegExp(`/tab/incidents/${incident.id}$`));

    // Made commander from a card in Teams (Teams id + Entra id): the tab (Entra id only) sees it as hers.
    await room.click('assignRole', { role: 'commander', person: MEGAN.aadObjectId });
    expect((await get()).incidents[0]).to.deep.include({ myRoles: ['Incident Commander'], following: true });

    expect((await put(incident.id, { follow: false, key: randomUUID() })).status).to.equal(200);
    expect((await put(incident.id, { follow: false, key: randomUUID() })).status, 'not following any more').to.equal(409);
    expect((await put(incident.id, { follow: 'yes' })).status).to.equal(400);
    expect((await put('0123456789abcdef01234567', { follow: true, key: randomUUID() })).status).to.equal(404);
    expect((await put('{"$gt":""}', { follow: true, key: randomUUID() })).status).to.equal(404);
    // An incident of another tenant (with Megan as its commander) is not hers to see here.
    const elsewhere = sampleIncident({ id: deterministicId('my-incidents', 'fabrikam'), tenantId: 'tenant-fabrikam', number: 7, roles: { commander: { id: MEGAN.id, name: MEGAN.name, aadObjectId: MEGAN.aadObjectId }, smes: [] } });
    await room.t.app.database.store.insertIncident(elsewhere);
    expect((await put(elsewhere.id, { follow: true, key: randomUUID() })).status, 'another tenant').to.equal(404);
    expect((await get()).incidents.map((i: { label: string }) => i.label)).to.deep.equal(['INC-1']);
  });
});
