import { expect } from 'chai';
import type { FakePagerIncident } from '../../local/standins/pagerDutyStandIn.js';
import { movableClock } from '../helpers/clock.js';
import { asRead, LEE, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';

/** PagerDuty as the pager, against its local stand-in: trigger, acknowledge both ways, resolve, escalate, retries. */
describe('PagerDuty pager (Events API v2 and V3 webhooks, stand-in)', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let clock: ReturnType<typeof movableClock>;
  afterEach(() => room?.close());

  const open = async (title = 'Checkout API returns 500s --sev P1') => {
    clock = movableClock();
    room = await openIncidentRoom({ PAGER: 'pagerduty' }, title, { clock, timers: false });
    return room;
  };
  const tick = async (minutes: number) => {
    clock.advanceMinutes(minutes);
    await room.t.app.jobs.runDue();
    await room.t.app.actions.drain();
  };
  const pd = () => room.t.local.pagerDuty!;
  const pdIncident = async (level = 0): Promise<FakePagerIncident | undefined> => pd().incidents.get(`incident-room:${(await room.incident()).id}:level-${level}`);

  it('triggers a PagerDuty incident for the on-call, tells the channel, and acknowledges it when Teams does', async () => {
    await open();
    await tick(0);
    const page = (await pdIncident())!;
    expect(page).to.deep.include({ status: 'triggered', severity: 'critical', summary: 'INC-1 P1: Checkout API returns 500s' });
    expect(page.links[0]!.href).to.equal((await room.incident()).channel!.webUrl);
    expect(page.customDetails).to.deep.include({ level: 1, target: 'primary on-call' });
    const channel = room.t.local.world.activitiesIn((await room.incident()).channel!.id);
    expect(channel.some((a) => asRead(a.text ?? '').includes('Paged through PagerDuty (primary on-call, level 1)'))).to.equal(true);

    await room.click('ack');
    expect((await pdIncident())!.status).to.equal('acknowledged');
    expect((await pdIncident())!.actions).to.deep.equal(['trigger', 'acknowledge']);

    await room.say('resolve');
    await room.t.app.actions.drain();
    expect((await pdIncident())!.status).to.equal('resolved');
  });

  it('acknowledges in Teams when a responder acknowledges in PagerDuty, once, and the escalation stops', async () => {
    await open();
    await tick(0);
    const answer = await pd().acknowledgeAsResponder((await pdIncident())!.dedupKey, { id: 'PUSER1', name: LEE.name });
    expect(answer.status).to.equal(200);
    expect((await answer.json()).outcome).to.equal('applied');
    await room.t.app.actions.drain();
    const incident = await room.incident();
    expect(incident.milestones.acknowledged).to.be.instanceOf(Date);
    const acks = (await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'acknowledged');
    expect(acks).to.have.length(1);
    expect(acks[0]!.actor.name).to.equal(`${LEE.name} (via PagerDuty)`);
    expect((await room.t.app.database.jobs.pendingJobs(incident.id)).map((j) => j.kind)).not.to.include('escalate');
    await tick(20);
    expect(await pdIncident(1)).to.equal(undefined, 'no second level paged');
  });

  it('refuses webhooks with a bad signature, and ignores events for pages it did not raise', async () => {
    await open();
    await tick(0);
    const forged = await pd().sendWebhook('incident.acknowledged', (await pdIncident())!, { id: 'PX', name: 'Mallory' }, { secret: 'not-the-secret' });
    expect(forged.status).to.equal(401);
    expect((await room.incident()).milestones.acknowledged).to.equal(undefined);
    const unsigned = await fetch(`${room.t.app.url}/api/pagerduty/webhook`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"event":{}}' });
    expect(unsigned.status).to.equal(401);
    const other = await pd().sendWebhook('incident.acknowledged', { ...(await pdIncident())!, dedupKey: 'someone-elses-alert' }, { id: 'PX', name: 'Lee' });
    expect(other.status).to.equal(200);
    expect((await other.json()).ignored).to.contain('not an incident-room page');
  });

  it('pages the next level through PagerDuty after 15 minutes without an acknowledgement', async () => {
    await open();
    await tick(0);
    await tick(16);
    expect((await pdIncident(1))!.customDetails).to.deep.include({ level: 2, target: 'secondary on-call' });
    await room.click('ack');
    expect((await pdIncident(0))!.status).to.equal('acknowledged');
    expect((await pdIncident(1))!.status).to.equal('acknowledged');
  });

  it('retries PagerDuty 429s and 503s, and pages once', async () => {
    await open();
    pd().faults.add({ path: /\/v2\/enqueue/, status: 429, times: 2 });
    pd().faults.add({ path: /\/v2\/enqueue/, status: 503, times: 1 });
    await tick(0);
    expect((await pdIncident())!.actions).to.deep.equal(['trigger']);
    expect(pd().requests.filter((r) => r.path === '/v2/enqueue')).to.have.length(4);
  });

  it('a long Retry-After from PagerDuty: the page is tried again when it says, not before, and then goes out once', async () => {
    await open();
    pd().faults.add({ path: /\/v2\/enqueue/, status: 429, retryAfterSeconds: 120, times: 1 });
    await tick(0);
    expect(await pdIncident(), 'not paged yet: PagerDuty said to wait').to.equal(undefined);
    await tick(1);
    expect(await pdIncident(), 'a minute later: still waiting').to.equal(undefined);
    await tick(1.5);
    expect((await pdIncident())!.actions).to.deep.equal(['trigger']);
    expect(pd().requests.filter((r) => r.path === '/v2/enqueue')).to.have.length(2);
  });
});
