import { expect } from 'chai';
import { LocalTeams } from '../../local/localTeams.js';
import { LOCAL } from '../../local/defaults.js';

/**
 * Teams keeps one personal chat per bot and person: `POST v3/conversations` with that person
 * answers the same `a:` id every time (by Teams id or Entra id), the conversation their own
 * messages arrive in; exactly one member, else BadSyntax; an activity in the request is posted
 * there. (Bot Framework "Send proactive messages"; microsoft/teams.net CreateConversation notes.)
 */
describe('connector stand-in: one personal chat per person', () => {
  let local: LocalTeams;
  const create = (body: object) =>
    fetch(`${local.connector.url}/v3/conversations`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ isGroup: false, tenantId: LOCAL.tenantId, bot: { id: '28:incident-room' }, ...body }) });

  before(async () => {
    local = await LocalTeams.start({ teamId: LOCAL.teamId, appCatalogId: LOCAL.appCatalogId, meetingOrganizers: [] });
  });
  after(async () => {
    await local.stop();
  });

  it('answers the same conversation whoever it is asked by, and it is the one the person writes in', async () => {
    const megan = local.world.people.find((p) => p.name === 'Megan Bowen')!;
    const byTeamsId = await create({ members: [{ id: megan.id }] });
    expect(byTeamsId.status).to.equal(201);
    const first = await byTeamsId.json();
    expect(first).to.deep.equal({ id: local.world.personalChatWith(megan) });
    expect(first.id).to.match(/^a:/);
    const byEntraId = await (await create({ members: [{ id: megan.aadObjectId }] })).json();
    expect(byEntraId.id).to.equal(first.id);
    const written = local.world.postAsUser(local.world.personalChatWith(megan), megan, 'list');
    expect(written.conversationId).to.equal(first.id);
  });

  it('posts the activity sent with the request into that chat', async () => {
    const lee = local.world.people.find((p) => p.name === 'Lee Gu')!;
    const answer = await create({ members: [{ id: lee.id }], activity: { type: 'message', text: 'You follow INC-1.' } });
    expect(answer.status).to.equal(201);
    const { id } = await answer.json();
    expect(local.world.activities.filter((a) => a.conversationId === id).map((a) => a.text)).to.deep.equal(['You follow INC-1.']);
  });

  it('refuses anything but one member, and someone without the app', async () => {
    const [a, b] = local.world.people;
    expect((await create({ members: [] })).status).to.equal(400);
    expect((await create({ members: [{ id: a!.id }, { id: b!.id }] })).status).to.equal(400);
    expect((await (await create({})).json()).error.code).to.equal('BadSyntax');
    local.world.personalAppMissing.add(b!.aadObjectId);
    expect((await create({ members: [{ id: b!.id }] })).status).to.equal(403);
  });
});
