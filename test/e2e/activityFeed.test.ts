import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { movableClock } from '../helpers/clock.js';
import { ALEX, asRead, LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';

function onCallFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'oncall-')), 'oncall.json');
  const midnight = `${new Date().toISOString().slice(0, 10)}T00:00:00Z`;
  writeFileSync(path, JSON.stringify({ rota: { name: 'sre', people: [MEGAN, LEE, ALEX], start: midnight, shiftHours: 24 * 7 }, policy: [{ target: 'primary' }, { target: 'secondary' }] }));
  return path;
}

describe('activity feed: role assignments, pages and escalations reach the person', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  afterEach(() => room?.close());

  const feedRequests = () => room.t.local.graph.requests.filter((r) => r.path.endsWith('/sendActivityNotification'));
  const channelTexts = async () => room.t.local.world.activitiesIn((await room.incident()).channel!.id).map((a) => a.text ?? '');

  it('sends a roleAssigned notification about the incident channel to the person given a role, not to someone taking it', async () => {
    room = await openIncidentRoom();
    const incident = await room.incident();
    await room.click('assignRole', { role: 'communications', person: MEGAN.aadObjectId });
    const world = room.t.local.world;
    expect(world.notifications).to.have.length(1);
    const [sent] = world.notifications;
    expect(sent).to.deep.include({ userId: MEGAN.aadObjectId, activityType: 'roleAssigned', shown: `Alex Wilber made you Communications lead on INC-1: ${incident.title}` });
    expect(sent!.topic).to.deep.equal({ source: 'entityUrl', value: `https://graph.microsoft.com/v1.0/teams/${world.teamId}/channels/${incident.channel!.id}` });
    expect(sent!.previewText.length).to.be.at.most(150);

    await room.click('takeRole', { role: 'scribe' });
    expect(world.notifications, 'taking a role yourself notifies nobody').to.have.length(1);

    // By command with an @mention: the member lookup supplies the Entra id the feed needs.
    await room.say('role tech', { mentions: [LEE] });
    expect(world.notifications.map((n) => [n.userId, n.shown])).to.deep.include([LEE.aadObjectId, `Alex Wilber made you Technical lead on INC-1: ${incident.title}`]);
    expect((await channelTexts()).filter((t) => t.includes('🔔'))).to.deep.equal([]);
  });

  it('falls back to an @mention in the incident channel when the feed is not permitted for the person', async () => {
    room = await openIncidentRoom();
    room.t.local.world.feedBlocked.add(LEE.aadObjectId);
    await room.click('assignRole', { role: 'commander', person: LEE.aadObjectId });
    expect(room.t.local.world.notifications).to.have.length(0);
    expect(feedRequests(), 'asked once, answered 403').to.have.length(1);
    const mention = room.t.local.world.activitiesIn((await room.incident()).channel!.id).find((a) => a.text?.includes('🔔'));
    expect(asRead(mention?.text ?? '')).to.contain('<at>Lee Gu</at>').and.to.contain('made you Incident Commander on INC-1');
    expect(mention?.entities?.[0]).to.deep.include({ type: 'mention' });
  });

  it('retries a throttled notification (429 with Retry-After) and sends it once', async () => {
    room = await openIncidentRoom();
    room.t.local.graph.faults.add({ method: 'POST', path: /sendActivityNotification$/, status: 429, retryAfterSeconds: 1, times: 1 });
    await room.click('assignRole', { role: 'business', person: MEGAN.aadObjectId });
    expect(feedRequests(), 'the 429, then the retry').to.have.length(2);
    expect(room.t.local.world.notifications).to.have.length(1);
    expect((await channelTexts()).some((t) => t.includes('🔔'))).to.equal(false);
  });

  it('tells the paged people in their feed, and the next level that it was escalated to them', async () => {
    const clock = movableClock();
    room = await openIncidentRoom({ ONCALL_FILE: onCallFile() }, 'Checkout API returns 500s --sev P1', { clock, timers: false });
    const tick = async (minutes: number) => {
      clock.advanceMinutes(minutes);
      await room.t.app.jobs.runDue();
      await room.t.app.actions.drain();
    };
    await tick(0);
    const title = (await room.incident()).title;
    expect(room.t.local.world.notifications.map((n) => [n.userId, n.activityType, n.shown])).to.deep.equal([[MEGAN.aadObjectId, 'paged', `You are paged for INC-1: ${title} (primary on-call, level 1)`]]);
    await tick(15);
    await tick(0);
    expect(room.t.local.world.notifications.map((n) => [n.userId, n.activityType, n.shown])).to.deep.include([LEE.aadObjectId, 'escalated', `INC-1: ${title} was escalated to you (secondary on-call, level 2)`]);
  });
});
