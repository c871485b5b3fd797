import { expect } from 'chai';
import { loadMessageActions, messageActionsOf } from '../../local/sandbox/messageActions.js';
import { messagePayloadOf } from '../../local/world/messagePayload.js';
import { TeamsWorld } from '../../local/world/teamsWorld.js';
import { LOCAL_BOT } from '../../local/defaults.js';

describe('sandbox: message actions and the message they are given', () => {
  it("offers the manifest's message actions (action commands with the message context and a fetched dialog) only", () => {
    expect(loadMessageActions().map((a) => a.id)).to.deep.equal(['declareIncident', 'addToTimeline']);
    const manifest = {
      composeExtensions: [
        {
          commands: [
            { id: 'search', type: 'query', title: 'Search', context: ['compose'] },
            { id: 'compose', type: 'action', title: 'Compose', context: ['compose'], fetchTask: true },
            { id: 'quote', type: 'action', title: 'Quote', context: ['message', 'compose'], fetchTask: true },
            { id: 'static', type: 'action', title: 'Static', context: ['message'] },
          ],
        },
      ],
    };
    expect(messageActionsOf(manifest).map((a) => a.id)).to.deep.equal(['quote']);
    expect(messageActionsOf({})).to.deep.equal([]);
  });

  it('hands over a message as Teams does: HTML body with mentions, the author by Entra id, a link', () => {
    const world = new TeamsWorld('team', new Set(), new Set());
    world.viewBaseUrl = 'http://127.0.0.1:1';
    const lee = world.people.find((p) => p.name === 'Lee Gu')!;
    const message = world.postAsUser('19:general@thread.tacv2', lee, '<at>incident-room</at> Search <b>times out</b>\nsince 09:50');
    const payload = messagePayloadOf(world, message, LOCAL_BOT);
    expect(payload.id).to.equal(message.id);
    expect(payload.body).to.deep.equal({ contentType: 'html', content: '<p><at id="0">incident-room</at> Search &lt;b&gt;times out&lt;/b&gt;<br>since 09:50</p>' });
    expect(payload.from.user).to.deep.equal({ id: lee.aadObjectId, displayName: 'Lee Gu', userIdentityType: 'aadUser' });
    expect(payload.linkToMessage).to.equal(`http://127.0.0.1:1/view/channels/${encodeURIComponent('19:general@thread.tacv2')}#m${message.id}`);
  });
});
