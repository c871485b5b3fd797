import { expect } from 'chai';
import { GraphActivityFeed } from '../../adapters/graph/graphActivityFeed.js';
import { createGraphClient, localTokens } from '../../adapters/graph/graphClient.js';
import { LocalTeams } from '../../local/localTeams.js';
import { LOCAL } from '../../local/defaults.js';
import type { PersonalNotification } from '../../models/actions/notifications.js';
import { PermanentError, TransientError } from '../../models/support/errors.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { LEE, OUTSIDER } from '../helpers/people.js';
import { failureOf } from '../helpers/failure.js';

// Proves GraphActivityFeed sends team-scoped activity notifications the Graph stand-in accepts, and reports refusals and failures correctly.
describe('GraphActivityFeed against the Graph stand-in', () => {
  let local: LocalTeams;
  let feed: GraphActivityFeed;
  beforeEach(async () => {
    local = await LocalTeams.start({ teamId: LOCAL.teamId, appCatalogId: LOCAL.appCatalogId, meetingOrganizers: [] });
    feed = new GraphActivityFeed(createGraphClient(local.graph.url, localTokens), LOCAL.teamId);
  });
  afterEach(() => local.stop());

  const channel = { id: '19:inc42@thread.tacv2', name: 'inc-42-checkout', webUrl: 'https://teams.example/c/42' };
  const notification = (fields: Partial<PersonalNotification> = {}): PersonalNotification => ({
    type: 'roleAssigned',
    person: LEE,
    incident: sampleIncident({ channel }),
    parameters: { assignedBy: 'Alex Wilber', role: 'Incident Commander', incident: 'INC-42' },
    text: 'Alex Wilber made you Incident Commander on INC-42',
    ...fields,
  });
  const fail = failureOf;

  it('sends the notification with the incident channel as its topic and the template filled in', async () => {
    expect(await feed.notify(notification())).to.equal('sent');
    expect(local.world.notifications).to.have.length(1);
    expect(local.world.notifications[0]).to.deep.include({
      userId: LEE.aadObjectId,
      activityType: 'roleAssigned',
      topic: { source: 'entityUrl', value: `https://graph.microsoft.com/v1.0/teams/${LOCAL.teamId}/channels/${channel.id}` },
      previewText: 'Alex Wilber made you Incident Commander on INC-42',
      shown: 'Alex Wilber made you Incident Commander on INC-42',
    });
    expect(local.graph.requests[0]!.path).to.equal(`/v1.0/teams/${LOCAL.teamId}/sendActivityNotification`);
  });

  it('points at the team when the incident has no channel yet, and shortens the preview to 150 characters', async () => {
    const long = `You are paged for INC-42 ${'and more '.repeat(40)}`;
    const sent = await feed.notify(notification({ type: 'paged', incident: sampleIncident(), parameters: { incident: 'INC-42', level: 'primary on-call, level 1' }, text: long }));
    expect(sent).to.equal('sent');
    const [shown] = local.world.notifications;
    expect(shown!.topic.value).to.equal(`https://graph.microsoft.com/v1.0/teams/${LOCAL.teamId}`);
    expect(shown!.previewText).to.equal(long.slice(0, 150));
    expect(shown!.shown).to.equal('You are paged for INC-42 (primary on-call, level 1)');
  });

  it("answers 'not-permitted' when the tenant blocks the person's feed (403) or they are not in the team (404)", async () => {
    local.world.feedBlocked.add(LEE.aadObjectId);
    expect(await feed.notify(notification())).to.equal('not-permitted');
    expect(await feed.notify(notification({ person: OUTSIDER }))).to.equal('not-permitted');
    expect(local.world.notifications).to.have.length(0);
  });

  it('the Graph stand-in takes recipients by Entra object id or UPN, as Graph does, and not by a Teams id', async () => {
    const send = (userId: string) =>
      fetch(`${local.graph.url}/v1.0/teams/${LOCAL.teamId}/sendActivityNotification`, {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: JSON.stringify({
          topic: { source: 'text', value: 'INC-42', webUrl: 'https://teams.example/c/42' },
          activityType: 'roleAssigned',
          previewText: { content: 'You are the commander' },
          recipient: { '@odata.type': 'microsoft.graph.aadUserNotificationRecipient', userId },
          templateParameters: [{ name: 'assignedBy', value: 'Alex' }, { name: 'role', value: 'IC' }, { name: 'incident', value: 'INC-42' }],
        }),
      });
    const lee = local.world.person(LEE.id)!;
    expect((await send(lee.aadObjectId)).status).to.equal(204);
    expect((await send(lee.email.toUpperCase())).status).to.equal(204);
    expect((await send(LEE.id)).status).to.equal(404);
    expect(local.world.notifications.map((n) => n.userId)).to.deep.equal([lee.aadObjectId, lee.aadObjectId]);
  });

  it('turns throttling and outages into TransientErrors, with Retry-After', async () => {
    local.graph.faults.add({ method: 'POST', path: /sendActivityNotification$/, status: 429, retryAfterSeconds: 3 });
    const throttled = await fail(feed.notify(notification()));
    expect(throttled).to.be.instanceOf(TransientError);
    expect((throttled as TransientError).retryAfterMs).to.equal(3000);
    local.graph.faults.add({ method: 'POST', path: /sendActivityNotification$/, status: 503 });
    expect(await fail(feed.notify(notification()))).to.be.instanceOf(TransientError);
    local.graph.faults.add({ method: 'POST', path: /sendActivityNotification$/, status: 'reset' });
    expect(await fail(feed.notify(notification()))).to.be.instanceOf(TransientError);
    expect(local.world.notifications).to.have.length(0);
    expect(await feed.notify(notification())).to.equal('sent');
  });

  it('turns a notification Graph refuses (400: a template parameter missing) into a PermanentError about the manifest', async () => {
    const error = await fail(feed.notify(notification({ parameters: { assignedBy: 'Alex Wilber', role: 'Incident Commander' } })));
    expect(error).to.be.instanceOf(PermanentError);
    expect(error.message).to.contain('HTTP 400').and.to.contain('Template parameters missing: incident');
    expect((error as PermanentError).hint).to.contain('manifest');
  });
});
