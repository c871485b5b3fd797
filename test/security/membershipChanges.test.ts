/**
 * Defence in depth: memberships are remembered for a few minutes, so when Teams says someone left
 * the incidents team, what was remembered of them is dropped at once, and they lose access now,
 * not five minutes later.
 */
import { expect } from 'chai';
import { MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { TENANT } from '../helpers/testApp.js';

describe('security: a person who leaves the team loses access at once', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  afterEach(() => room?.close());

  it('drops the remembered membership when Teams says they were removed from the team', async () => {
    room = await openIncidentRoom();
    const personal = 'a:megan-personal';
    expect((await room.say('list all', { from: MEGAN, conversationId: personal })).text ?? '', 'a member lists every incident').to.not.contain('Only members');

    const world = room.t.local.world;
    world.people.splice(world.people.findIndex((p) => p.aadObjectId === MEGAN.aadObjectId), 1);
    expect((await room.say('list all', { from: MEGAN, conversationId: personal })).text ?? '', 'still remembered as a member').to.not.contain('Only members');

    const removed = await room.t.send({
      type: 'conversationUpdate',
      id: 'removed-1',
      from: { id: '29:system' },
      membersRemoved: [{ id: MEGAN.id, aadObjectId: MEGAN.aadObjectId }],
      conversation: { id: '19:general@thread.tacv2', conversationType: 'channel', tenantId: TENANT, isGroup: true },
      channelData: { eventType: 'teamMemberRemoved', team: { id: world.teamId }, tenant: { id: TENANT } },
    });
    expect(removed.status).to.equal(200);
    expect((await room.say('list all', { from: MEGAN, conversationId: personal })).text).to.contain('Only members of the incidents team');
  });
});
