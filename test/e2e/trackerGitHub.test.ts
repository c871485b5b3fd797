import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { cardProblems } from '../helpers/cards.js';
import { movableClock } from '../helpers/clock.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { actionItemsOf } from '../helpers/actionItems.js';
import type { GitHubStandIn } from '../../local/standins/githubStandIn.js';

/**
 * Post-mortem action items followed through in GitHub issues, against the GitHub stand-in:
 * created from the post-mortem, edits both ways (ours pushed, theirs taken back as a version
 * credited to the person "via GitHub", through a signed webhook), GitHub down and back (nothing
 * lost), a webhook with a bad signature refused, a redelivery changing nothing.
 */
describe('trackers: action items in GitHub issues', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let api: ReturnType<typeof tabApi>;
  let clock: ReturnType<typeof movableClock>;
  const { item, save, sync } = actionItemsOf(() => ({ room, api }));
  const gh = () => room.t.local.github! as GitHubStandIn;
  const actionItems = async () => (await api.get('/postmortem')).body.content.actionItems as { id: string; description: string; owner: string; due: string; done: boolean }[];
  const hookUrl = () => `${room.t.app.url}/api/trackers/github/webhook`;

  beforeEach(async () => {
    clock = movableClock();
    room = await openIncidentRoom({ TRACKER: 'github' }, 'Checkout API returns 500s --sev P2', { clock, timers: false });
    gh().hookUrl = hookUrl();
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
  });
  afterEach(() => room.close());

  it('files each action item as an issue (title, owner, due, link back, labels, marker) and pushes edits and completion', async () => {
    await save([item('canary', 'Add a canary stage to the payments deploy'), item('alert', 'Alert on checkout 5xx rate', { owner: 'Lee Gu', due: '' })]);
    await sync();
    const incident = await room.incident();
    const issues = [...gh().issues.values()];
    expect(issues.map((i) => i.title)).to.have.members(['Add a canary stage to the payments deploy', 'Alert on checkout 5xx rate']);
    const canary = issues.find((i) => i.title.startsWith('Add a canary'))!;
    expect(canary.body).to.contain('Owner: Megan Bowen').and.contain('Due: 2026-12-15').and.contain(`incident-room:${incident.id}/canary`).and.contain(incident.tab?.webUrl ?? incident.channel!.webUrl);
    expect(canary.labels).to.include.members(['incident-room', 'INC-1', 'proper fix']);
    expect(issues.find((i) => i.title.startsWith('Alert'))!.body).to.contain('Due: —');
    expect(incident.postmortem?.tracking).to.deep.equal({ tracker: 'GitHub', tracked: 2, pending: 0 });
    const view = (await api.get('/postmortem')).body;
    expect(view.tracking).to.deep.include({ tracker: 'GitHub' });
    expect(view.tracking.items.canary).to.deep.include({ key: `#${canary.number}`, url: `https://github.com/contoso/incident-actions/issues/${canary.number}` });

    // Ours: a new owner, and the alert done.
    await save([item('canary', 'Add a canary stage to the payments deploy', { owner: 'Adele Vance' }), item('alert', 'Alert on checkout 5xx rate', { owner: 'Lee Gu', due: '', done: true })]);
    await sync();
    expect(canary.body).to.contain('Owner: Adele Vance').and.contain('Due: 2026-12-15');
    expect(issues.find((i) => i.title.startsWith('Alert'))!).to.deep.include({ state: 'closed', state_reason: 'completed' });
    expect(gh().issues.size, 'updated, never filed twice').to.equal(2);
    // Reopened from the post-mortem.
    await save([item('canary', 'Add a canary stage to the payments deploy', { owner: 'Adele Vance' }), item('alert', 'Alert on checkout 5xx rate', { owner: 'Lee Gu', due: '', done: false })]);
    await sync();
    expect(issues.find((i) => i.title.startsWith('Alert'))!).to.deep.include({ state: 'open', state_reason: 'reopened' });
  });

  it('closes the issue of an item taken out of the post-mortem, once, and says so on the timeline', async () => {
    await save([item('canary', 'Add a canary stage to the payments deploy'), item('dup', 'Add a canary stage (duplicate)')]);
    await sync();
    const dup = [...gh().issues.values()].find((i) => i.title.includes('duplicate'))!;
    await save([item('canary', 'Add a canary stage to the payments deploy')]);
    await sync();
    expect(dup.state).to.equal('closed');
    expect([...gh().issues.values()].find((i) => i.title.startsWith('Add a canary stage to'))!.state).to.equal('open');
    expect((await room.incident()).postmortem?.tracking).to.deep.equal({ tracker: 'GitHub', tracked: 1, pending: 0 });
    const notes = (await room.t.app.database.store.listEvents((await room.incident()).id)).filter((e) => e.kind === 'action_items_tracked').map((e) => JSON.stringify(e.payload));
    expect(notes.filter((n) => n.includes(`#${dup.number} was removed from the post-mortem: closed in GitHub`))).to.have.length(1);
    // Reopened in GitHub afterwards: it is no longer the post-mortem's, so nothing is taken back or closed again.
    dup.state = 'open';
    await save([item('canary', 'Add a canary stage to the payments deploy', { owner: 'Lee Gu' })]);
    await sync();
    expect(dup.state).to.equal('open');
    expect((await actionItems()).map((a) => a.id)).to.deep.equal(['canary']);
  });

  it('adds an action item from the chat command `action <text> @owner due:<date>` and files it; bad input is answered with what was typed', async () => {
    const answer = await room.say('action Add a canary stage to payments due:2026-12-20', { mentions: [MEGAN] });
    expect(answer.text).to.contain('Added the action item “Add a canary stage to payments” (owner Megan Bowen, due 2026-12-20) to the INC-1 post-mortem (version 1)');
    await sync();
    const [issue] = [...gh().issues.values()];
    expect(issue).to.deep.include({ title: 'Add a canary stage to payments' });
    expect(issue!.body).to.contain('Owner: Megan Bowen').and.contain('Due: 2026-12-20');
    expect((await api.get('/postmortem')).body.savedBy).to.equal('Alex Wilber');

    const bad = await room.say('action Fix the retry storm @lee due:next-friday');
    expect(bad.text).to.contain('“Fix the retry storm @lee due:next-friday”').and.contain('due:2026-12-01').and.contain('Nothing was added');
    expect((await room.say('action due:2026-12-01')).text).to.contain('says no action').and.contain('Nothing was added');
    expect((await actionItems()).map((a) => a.description)).to.deep.equal(['Add a canary stage to payments']);
    // A retried message (same Teams activity id) adds the item once.
    const id = randomUUID();
    await room.say('action Rotate the payments API key @lee', { id });
    await room.say('action Rotate the payments API key @lee', { id });
    expect((await actionItems()).map((a) => [a.description, a.owner])).to.deep.equal([['Add a canary stage to payments', 'Megan Bowen'], ['Rotate the payments API key', 'lee']]);
  });

  it("takes GitHub's edits (signed webhook) into the post-mortem as a version credited to the person via GitHub; a redelivery changes nothing", async () => {
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    const [issue] = [...gh().issues.values()];
    const before = (await api.get('/postmortem')).body.version;
    const delivery = await gh().editAs('octocat', issue!.number, { title: 'Add a canary stage (payments and checkout)', body: issue!.body.replace('Due: 2026-12-15', 'Due: 2026-12-20'), state: 'closed' });
    expect(delivery?.status).to.equal(202);
    await sync();
    const view = (await api.get('/postmortem')).body;
    expect(view.version).to.equal(before + 1);
    expect(view.savedBy).to.equal('octocat via GitHub');
    expect(view.content.actionItems[0]).to.deep.include({ description: 'Add a canary stage (payments and checkout)', due: '2026-12-20', done: true, owner: 'Megan Bowen' });
    const history = (await api.get('/postmortem/versions')).body;
    expect(JSON.stringify(history)).to.contain('octocat via GitHub');

    expect(await gh().redeliver(delivery!)).to.equal(202);
    await sync();
    expect((await api.get('/postmortem')).body.version, 'a redelivered webhook changes nothing').to.equal(before + 1);
    expect(gh().issues.size).to.equal(1);
  });

  it('refuses a webhook whose signature does not match (401, a clear message, nothing changed)', async () => {
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    const [issue] = [...gh().issues.values()];
    const body = JSON.stringify({ action: 'closed', issue: { ...issue, state: 'closed', html_url: 'x' }, sender: { login: 'mallory', type: 'User' } });
    for (const signature of ['sha256=0000', undefined]) {
      const response = await fetch(hookUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-GitHub-Event': 'issues', 'X-GitHub-Delivery': randomUUID(), ...(signature ? { 'X-Hub-Signature-256': signature } : {}) }, body });
      expect(response.status).to.equal(401);
      expect((await response.json()).error).to.contain('signature does not match').and.contain('Nothing was changed');
    }
    await sync();
    expect((await actionItems())[0]!.done).to.equal(false);
    expect((await room.t.app.database.jobs.pendingJobs((await room.incident()).id)).filter((j) => j.kind === 'tracker_sync')).to.deep.equal([]);
  });

  it('keeps an item GitHub could not take (down, then throttled), shows it as not yet in GitHub, and files it once GitHub is back', async () => {
    gh().faults.add({ method: 'POST', path: /\/issues$/, status: 503, times: 100 });
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    let incident = await room.incident();
    expect(gh().issues.size).to.equal(0);
    expect(incident.postmortem?.tracking).to.deep.include({ tracker: 'GitHub', tracked: 0, pending: 1 });
    expect(incident.postmortem?.tracking?.error).to.match(/HTTP 503/);
    const card = room.t.local.world.activitiesIn(incident.channel!.id).find((a) => a.id === incident.card!.activityId)!;
    expect(JSON.stringify(card.attachments)).to.contain('1 action item not yet in GitHub');
    expect(cardProblems(card.attachments![0]!.content as object)).to.deep.equal([]);
    expect((await api.get('/postmortem')).body.tracking.items.canary).to.deep.include({ pending: true });

    // Still down a minute later: still kept, still not filed.
    clock.advanceMinutes(1);
    await sync();
    expect(gh().issues.size).to.equal(0);

    // Back, but throttling: the tracker's Retry-After is honoured, then the item is filed, once.
    gh().faults.clear();
    gh().faults.add({ method: 'GET', path: /\/issues$/, status: 429, retryAfterSeconds: 300, times: 1 });
    clock.advanceMinutes(1);
    await sync();
    expect(gh().issues.size).to.equal(0);
    clock.advanceMinutes(2);
    await sync();
    expect(gh().issues.size, 'not before the Retry-After').to.equal(0);
    clock.advanceMinutes(4);
    await sync();
    expect(gh().issues.size).to.equal(1);
    incident = await room.incident();
    expect(incident.postmortem?.tracking).to.deep.equal({ tracker: 'GitHub', tracked: 1, pending: 0 });
    const kinds = (await room.t.app.database.store.listEvents(incident.id)).filter((e) => e.kind === 'action_items_tracked').map((e) => String(e.payload.summary));
    expect(kinds.some((s) => s.includes('not yet in GitHub'))).to.equal(true);
    expect(kinds.at(-1)).to.contain('1 action item is in GitHub');
  });

  it('loses nothing when the app stops while GitHub is down: the next process files the item from the durable job', async () => {
    gh().faults.add({ method: 'POST', path: /\/issues$/, status: 503, times: 100 });
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    expect(gh().issues.size).to.equal(0);
    const { id } = await room.incident();
    await room.t.app.close();
    gh().faults.clear();
    const next = await room.t.restart({ TRACKER: 'github' }, { clock, timers: false });
    clock.advanceMinutes(1);
    await next.jobs.runDue();
    await next.actions.drain();
    expect([...gh().issues.values()].map((i) => i.title)).to.deep.equal(['Add a canary stage']);
    expect((await next.database.store.findById(id))!.postmortem?.tracking).to.deep.equal({ tracker: 'GitHub', tracked: 1, pending: 0 });
  });

  it('settles a field both sides changed by the later change and puts both values on the timeline', async () => {
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    const [issue] = [...gh().issues.values()];
    const summaries = async () => (await room.t.app.database.store.listEvents((await room.incident()).id)).filter((e) => e.kind === 'action_items_tracked').map((e) => String(e.payload.summary));
    // GitHub is slow to tell us (no webhook yet): both change the due date; ours is saved, theirs is later.
    gh().hookUrl = undefined;
    await save([item('canary', 'Add a canary stage', { due: '2026-12-18' })]);
    await gh().editAs('octocat', issue!.number, { body: issue!.body.replace(/Due: .*/, 'Due: 2026-12-22') });
    await sync();
    expect((await actionItems())[0]!.due, "GitHub's change was the later one").to.equal('2026-12-22');
    expect(issue!.body).to.contain('Due: 2026-12-22');
    expect((await summaries()).find((s) => s.includes('changed on both sides'))).to.contain('kept GitHub').and.contain('2026-12-22').and.contain('2026-12-18');

    // Now theirs first, ours later (the post-mortem saved ten minutes on): ours is kept and pushed.
    await gh().editAs('octocat', issue!.number, { body: issue!.body.replace(/Due: .*/, 'Due: 2027-01-05') });
    clock.advanceMinutes(10);
    await save([item('canary', 'Add a canary stage', { due: '2027-01-10' })]);
    await sync();
    expect(issue!.body).to.contain('Due: 2027-01-10');
    expect((await actionItems())[0]!.due).to.equal('2027-01-10');
    const notes = (await summaries()).filter((s) => s.includes('changed on both sides'));
    expect(notes.at(-1)).to.contain("kept the post-mortem's “2027-01-10”").and.contain('2027-01-05');
  });
});
