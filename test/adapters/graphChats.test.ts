/**
 * Private incidents' group chats: GraphWorkspace against the Graph stand-in's "Create chat",
 * "Add member to a chat", "List members of a chat" and "Remove member from chat", with the
 * permissions, required fields and limits those pages give, and the connector refusing the
 * bot's posts in a group chat until its app is installed there.
 */
import { expect } from 'chai';
import { GraphWorkspace } from '../../adapters/graph/graphWorkspace.js';
import { createGraphClient, localTokens } from '../../adapters/graph/graphClient.js';
import { setupGrants } from '../../adapters/graph/permissions.js';
import { LocalTeams } from '../../local/localTeams.js';
import { LOCAL } from '../../local/defaults.js';
import { PermanentError } from '../../models/support/errors.js';
import { ALEX, LEE, MEGAN, OUTSIDER } from '../helpers/people.js';
import { failureOf } from '../helpers/failure.js';

describe('Group chats (private incidents) against the Graph stand-in', () => {
  let local: LocalTeams;
  const start = async (granted?: string[]) => {
    local = await LocalTeams.start({ teamId: LOCAL.teamId, appCatalogId: LOCAL.appCatalogId, meetingOrganizers: [LOCAL.meetingOrganizerId], ...(granted ? { granted } : {}) });
  };
  afterEach(() => local.stop());
  const workspace = () =>
    new GraphWorkspace(createGraphClient(local.graph.url, localTokens), { teamId: LOCAL.teamId, appCatalogId: LOCAL.appCatalogId, meetingOrganizerId: LOCAL.meetingOrganizerId, graphBaseUrl: 'https://graph.microsoft.com', botAppId: local.world.botAppId });
  const post = (path: string, body: unknown) => fetch(`${local.graph.url}${path}`, { method: 'POST', headers: { authorization: 'Bearer local', 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('creates a group chat with every member an owner, then adds and removes people (twice is fine)', async () => {
    await start();
    const ws = workspace();
    const chat = await ws.createGroupChat({ topic: 'INC-7 payroll export', memberAadIds: [ALEX.aadObjectId, MEGAN.aadObjectId] });
    const stored = local.world.chats.get(chat.id)!;
    expect(stored).to.deep.include({ chatType: 'group', topic: 'INC-7 payroll export' });
    expect(stored.members!.map((m) => [m.userId, m.roles])).to.deep.equal([[ALEX.aadObjectId, ['owner']], [MEGAN.aadObjectId, ['owner']]]);
    expect(chat.webUrl).to.be.a('string');
    await ws.addChatMember(chat.id, LEE.aadObjectId);
    await ws.addChatMember(chat.id, LEE.aadObjectId);
    expect(stored.members!.map((m) => m.userId)).to.deep.equal([ALEX.aadObjectId, MEGAN.aadObjectId, LEE.aadObjectId]);
    await ws.removeChatMember(chat.id, MEGAN.aadObjectId);
    await ws.removeChatMember(chat.id, MEGAN.aadObjectId);
    expect(stored.members!.map((m) => m.userId)).to.deep.equal([ALEX.aadObjectId, LEE.aadObjectId]);
  });

  it('refuses a chat without chatType or members, with members not bound to a user or without roles, and unknown people', async () => {
    await start();
    const member = { '@odata.type': '#microsoft.graph.aadUserConversationMember', roles: ['owner'], 'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${ALEX.aadObjectId}')` };
    const cases: [unknown, RegExp][] = [
      [{ members: [member] }, /chatType/],
      [{ chatType: 'group' }, /members/],
      [{ chatType: 'group', members: [{ ...member, roles: undefined }] }, /roles/],
      [{ chatType: 'group', members: [{ ...member, 'user@odata.bind': undefined }] }, /user@odata.bind/],
      [{ chatType: 'group', members: [{ ...member, 'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${OUTSIDER.aadObjectId}')` }] }, /not found/],
      [{ chatType: 'group', members: [member], installedApps: [{}] }, /installedApps/],
    ];
    for (const [body, message] of cases) {
      const res = await post('/v1.0/chats', body);
      expect(res.status, JSON.stringify(body)).to.equal(400);
      const answer = (await res.json()) as { error: { code: string; message: string } };
      expect(answer.error.code).to.equal('BadRequest');
      expect(answer.error.message).to.match(message);
    }
    expect(local.world.chats.size).to.equal(0);
  });

  it('needs Chat.Create to create a chat, and says which permission as a PermanentError', async () => {
    await start(setupGrants().filter((p) => p !== 'Chat.Create'));
    const refused = await failureOf(workspace().createGroupChat({ topic: 'INC-8', memberAadIds: [ALEX.aadObjectId] }));
    expect(refused).to.be.instanceOf(PermanentError);
    expect((refused as PermanentError).hint).to.contain('Chat.Create');
  });

  it('refuses a chat over the member limit (PermanentError), and more people than the limit once made', async () => {
    await start();
    local.graph.chatLimits.maxMembers = 2;
    const ws = workspace();
    const tooMany = await failureOf(ws.createGroupChat({ topic: 'INC-9', memberAadIds: [ALEX.aadObjectId, MEGAN.aadObjectId, LEE.aadObjectId] }));
    expect(tooMany).to.be.instanceOf(PermanentError);
    expect(tooMany.message).to.match(/at most 2 members/);
    const chat = await ws.createGroupChat({ topic: 'INC-9', memberAadIds: [ALEX.aadObjectId, MEGAN.aadObjectId] });
    expect(await failureOf(ws.addChatMember(chat.id, LEE.aadObjectId))).to.be.instanceOf(PermanentError);
  });

  it('the bot may post in the group chat only once its app is installed there; the tab is pinned in the chat', async () => {
    await start();
    const ws = workspace();
    const chat = await ws.createGroupChat({ topic: 'INC-10', memberAadIds: [ALEX.aadObjectId, MEGAN.aadObjectId] });
    const send = () => fetch(`${local.connector.url}/v3/conversations/${encodeURIComponent(chat.id)}/activities`, { method: 'POST', headers: { authorization: 'Bearer local', 'content-type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'hello' }) });
    expect((await send()).status).to.equal(403);
    const tab = await ws.addMeetingTab({ chatId: chat.id, displayName: 'Incident', entityId: 'incident-10', contentUrl: 'https://room.example/tab/10', websiteUrl: 'https://room.example/tab/10' });
    expect(local.world.chats.get(chat.id)!.tabs.map((t) => t.id)).to.deep.equal([tab.id]);
    expect((await send()).status).to.equal(201);
  });
});
