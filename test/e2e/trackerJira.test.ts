import { createHmac, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { movableClock } from '../helpers/clock.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { actionItemsOf } from '../helpers/actionItems.js';
import type { JiraStandIn } from '../../local/standins/jiraStandIn.js';

/**
 * Post-mortem action items followed through in Jira Cloud, against the Jira stand-in: created
 * (summary, due date, ADF description with the owner and the link back, labels), edits both
 * ways (ours by edit and transition, theirs through a signed admin webhook, credited "via Jira"),
 * Jira down and back, a bad signature refused, a redelivery changing nothing.
 */
describe('trackers: action items in Jira Cloud', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let api: ReturnType<typeof tabApi>;
  let clock: ReturnType<typeof movableClock>;
  const { item, save, sync, view } = actionItemsOf(() => ({ room, api }));
  const jira = () => room.t.local.jira! as JiraStandIn;
  const hookUrl = () => `${room.t.app.url}/api/trackers/jira/webhook`;
  const description = (text: string) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

  beforeEach(async () => {
    clock = movableClock();
    room = await openIncidentRoom({ TRACKER: 'jira' }, 'Checkout API returns 500s --sev P2', { clock, timers: false });
    jira().hookUrl = hookUrl();
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
  });
  afterEach(() => room.close());

  it('files each action item as a Jira issue and pushes edits, completion (a transition to Done) and reopening', async () => {
    await save([item('canary', 'Add a canary stage to the payments deploy')]);
    await sync();
    const incident = await room.incident();
    const [issue] = [...jira().issues.values()];
    expect(issue).to.deep.include({ key: 'OPS-1', summary: 'Add a canary stage to the payments deploy', duedate: '2026-12-15', status: 'To Do', issuetype: 'Task' });
    expect(issue!.labels).to.include.members(['incident-room', 'INC-1', 'proper-fix', `incident-room_${incident.id}_canary`]);
    expect(JSON.stringify(issue!.description)).to.contain('Owner: Megan Bowen').and.contain(incident.tab?.webUrl ?? incident.channel!.webUrl);
    expect(incident.postmortem?.tracking).to.deep.equal({ tracker: 'Jira', tracked: 1, pending: 0 });
    expect((await view()).tracking.items.canary).to.deep.include({ key: 'OPS-1', url: `${jira().url}/browse/OPS-1` });

    await save([item('canary', 'Add a canary stage to the payments deploy', { owner: 'Lee Gu', due: '', done: true })]);
    await sync();
    expect(issue).to.deep.include({ duedate: null, status: 'Done' });
    expect(JSON.stringify(issue!.description)).to.contain('Owner: Lee Gu');
    await save([item('canary', 'Add a canary stage to the payments deploy', { owner: 'Lee Gu', due: '' })]);
    await sync();
    expect(issue!.status).to.equal('To Do');
    expect(jira().issues.size).to.equal(1);
  });

  it("takes Jira's edits (signed admin webhook) into the post-mortem, credited to the person via Jira; a redelivery changes nothing", async () => {
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    const before = (await view()).version;
    const delivery = await jira().editAs('Megan Bowen', 'OPS-1', { summary: 'Add a canary stage (payments)', duedate: '2026-12-22', status: 'Done', description: description('Owner: Adele Vance') });
    expect(delivery?.status).to.equal(202);
    await sync();
    const after = await view();
    expect(after.version).to.equal(before + 1);
    expect(after.savedBy).to.equal('Megan Bowen via Jira');
    expect(after.content.actionItems[0]).to.deep.include({ description: 'Add a canary stage (payments)', due: '2026-12-22', done: true, owner: 'Adele Vance' });
    expect(await jira().redeliver(delivery!)).to.equal(202);
    await sync();
    expect((await view()).version).to.equal(before + 1);
  });

  it('refuses a webhook without the right X-Hub-Signature (401, nothing changed)', async () => {
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    const body = JSON.stringify({ webhookEvent: 'jira:issue_updated', issue: { key: 'OPS-1', fields: { summary: 'Owned', updated: '2026-12-01T00:00:00.000+0000', labels: [] } } });
    const response = await fetch(hookUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Atlassian-Webhook-Identifier': randomUUID(), 'X-Hub-Signature': 'sha256=deadbeef' }, body });
    expect(response.status).to.equal(401);
    expect((await response.json()).error).to.contain('Jira webhook').and.contain('Nothing was changed');
    // Signed with the secret, but not JSON: refused as malformed, nothing changed.
    const garbage = 'not json';
    const signature = `sha256=${createHmac('sha256', 'local-jira-webhook-secret').update(garbage).digest('hex')}`;
    const malformed = await fetch(hookUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hub-Signature': signature }, body: garbage });
    expect([400, 415]).to.include(malformed.status);
    await sync();
    expect((await view()).content.actionItems[0].description).to.equal('Add a canary stage');
  });

  it('keeps an item Jira could not take and files it, once, when Jira is back', async () => {
    jira().faults.add({ method: 'POST', path: /\/rest\/api\/3\/issue$/, status: 503, times: 100 });
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    expect(jira().issues.size).to.equal(0);
    expect((await room.incident()).postmortem?.tracking).to.deep.include({ tracker: 'Jira', pending: 1 });
    expect((await view()).tracking.items.canary.pending).to.equal(true);
    jira().faults.clear();
    clock.advanceMinutes(1);
    await sync();
    expect(jira().issues.size).to.equal(1);
    expect((await room.incident()).postmortem?.tracking).to.deep.equal({ tracker: 'Jira', tracked: 1, pending: 0 });
    clock.advanceMinutes(5);
    await sync();
    expect(jira().issues.size, 'filed once').to.equal(1);
  });
});
