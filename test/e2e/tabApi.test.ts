import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { DEFAULT_SOP } from '../../models/incident/checklist.js';
import { cardText, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { provisioned } from '../helpers/testApp.js';

/**
 * The incident tab's API against the real server in local mode, signed in as Alex (local mode's
 * admin) with a Teams SSO token from the local Entra stand-in. What sign-in refuses is in tabAuth.test.ts.
 */
describe('incident tab API', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let api: ReturnType<typeof tabApi>;
  const drain = () => room.t.app.actions.drain();

  beforeEach(async () => {
    room = await openIncidentRoom();
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
  });
  afterEach(() => room.close());

  it('answers with the incident, its checklist for the severity, and who is signed in', async () => {
    const { status, body } = await api.get();
    expect(status).to.equal(200);
    expect(body.identity).to.deep.equal({ name: 'Alex Wilber' });
    expect(body.incident).to.include({ label: 'INC-1', severity: 'P2', status: 'triage', title: 'Checkout API returns 500s' });
    expect(body.incident.channel.url).to.be.a('string');
    expect(body.checklist.total).to.equal(DEFAULT_SOP.P2.length);
    expect(body.checklist.items.map((i: { id: string }) => i.id)).to.include.members(['context', 'statement', 'one-fix', 'watch']);
    expect(Date.parse(body.liveCursor)).to.be.a('number').and.not.NaN;
  });

  it('runs the card actions from the tab (the meeting side panel): applied once per key, refused with a reason, bad bodies 400', async () => {
    const key = randomUUID();
    const ack = await api.post('/actions', { action: 'acknowledge', key });
    expect(ack.status).to.equal(200);
    expect(ack.body.incident.milestones.acknowledged).to.be.a('string');
    const again = await api.post('/actions', { action: 'acknowledge', key });
    expect(again.status).to.equal(200);
    expect(again.body.duplicate).to.equal(true);

    const command = await api.post('/actions', { action: 'takeRole', role: 'commander', key: randomUUID() });
    expect(command.body.incident.roles).to.deep.include({ role: 'Incident Commander', name: 'Alex Wilber' });
    expect((await api.post('/actions', { action: 'severity', to: 'P1', reason: 'EU checkout down', key: randomUUID() })).body.incident.severity).to.equal('P1');
    expect((await api.post('/actions', { action: 'status', to: 'investigating', key: randomUUID() })).body.incident.status).to.equal('investigating');
    const update = await api.post('/actions', { action: 'update', text: 'Rolled back 1.42; error rate falling', key: randomUUID() });
    expect(update.status).to.equal(200);
    await drain();
    const incident = await room.incident();
    expect(room.t.local.world.activitiesIn(incident.channel!.id).map((a) => cardText(a))).to.satisfy((texts: string[]) => texts.some((t) => t.includes('Rolled back 1.42')));

    const illegal = await api.post('/actions', { action: 'status', to: 'closed', key: randomUUID() });
    expect(illegal.status).to.equal(409);
    expect(illegal.body.error).to.be.a('string').and.not.empty;
    for (const bad of [{ action: 'deleteIncident', key: randomUUID() }, { action: 'status', to: 'archived', key: randomUUID() }, { action: 'update', text: '  ', key: randomUUID() }, { action: 'acknowledge' }, { action: 'severity', to: { $gt: '' }, key: randomUUID() }]) {
      const answer = await api.post('/actions', bad);
      expect(answer.status, JSON.stringify(bad)).to.equal(400);
      expect(answer.body.error).to.match(/^The request is not valid: /);
    }
  });

  it('pages through the timeline with cursors, in both orders, filtered by kind', async () => {
    for (let n = 1; n <= 12; n++) expect((await api.note(`note ${n}`)).status).to.equal(201);
    await drain();
    const walk = async (query: string) => {
      const seen: { id: string; kind: string; at: string; text: string }[] = [];
      let after: string | undefined;
      let total = 0;
      do {
        const { status, body } = await api.get(`/events?${query}&limit=5${after ? `&after=${after}` : ''}`);
        expect(status).to.equal(200);
        expect(body.events.length).to.be.at.most(5);
        seen.push(...body.events);
        total = body.total;
        after = body.next;
      } while (after);
      return { seen, total };
    };
    const all = await walk('order=asc');
    expect(all.seen.length).to.equal(all.total);
    expect(new Set(all.seen.map((e) => e.id)).size).to.equal(all.seen.length);
    expect(all.seen.map((e) => e.at)).to.deep.equal([...all.seen.map((e) => e.at)].sort());
    expect(all.seen[0]!.kind).to.equal('declared');

    const notes = await walk('order=desc&kinds=note');
    expect(notes.total).to.equal(12);
    expect(notes.seen.every((e) => e.kind === 'note')).to.equal(true);
    expect(notes.seen[0]!.text).to.contain('note 12');
    expect(notes.seen.at(-1)!.text).to.contain('note 1');
  });

  it('refuses malformed queries with a clear 400 and names the problem', async () => {
    for (const [query, problem] of [
      ['kinds=note,bogus', /unknown event kind/],
      ['limit=0', /limit/],
      ['limit=100000', /limit/],
      ['after=not-a-cursor', /cursor/],
      ['order=sideways', /order/],
      ['kinds[$ne]=note', /Unrecognized key|kinds/],
    ] as const) {
      const { status, body } = await api.get(`/events?${query}`);
      expect(status, query).to.equal(400);
      expect(body.error, query).to.match(problem);
    }
    expect((await api.get('/live?since=yesterday')).status).to.equal(400);
  });

  it('never shows one incident in another incident’s tab', async () => {
    await api.note('secret of INC-1');
    await room.t.message('declare Search is slow --sev P3');
    const second = (await provisioned(room.t, 2)).find((i) => i.number === 2)!;
    const other = tabApi(room.t.app.url, second.id, signedInAs(room.t.app));
    await drain();
    const { body } = await other.get('/events?order=asc&limit=500');
    expect(body.events.length).to.be.greaterThan(0);
    expect(JSON.stringify(body)).not.to.contain('secret of INC-1');
    expect((await other.get()).body.incident.label).to.equal('INC-2');
    expect((await tabApi(room.t.app.url, '0123456789abcdef01234567', signedInAs(room.t.app)).get()).status).to.equal(404);
    expect((await tabApi(room.t.app.url, 'not-an-id', signedInAs(room.t.app)).get('/events')).status).to.equal(404);
  });

  it('adds a note once even when the request is retried, and rejects empty or oversized notes', async () => {
    const key = randomUUID();
    const first = await api.note('Rolled back deploy 4711', key);
    expect(first.status).to.equal(201);
    const retry = await api.note('Rolled back deploy 4711', key);
    expect(retry.body.duplicate).to.equal(true);
    await drain();
    const notes = (await api.get('/events?kinds=note')).body.events;
    expect(notes).to.have.length(1);
    expect(notes[0]).to.include({ actor: 'Alex Wilber', kind: 'note' });
    expect(notes[0].text).to.contain('Rolled back deploy 4711');

    expect((await api.note('   ')).body.error).to.match(/needs some text/);
    expect((await api.note('x'.repeat(2001))).body.error).to.match(/2000 characters/);
    expect((await api.post('/notes', { text: 'no key' })).status).to.equal(400);
    expect((await api.raw('POST', '/notes', '{"text": "broken json')).status).to.equal(400);
    expect((await api.post('/notes', { text: { $gt: '' }, key: randomUUID() })).status).to.equal(400);
  });

  it('ticks checklist items with who and when, on the timeline and on the card', async () => {
    const ticked = await api.put('/checklist/statement', { done: true, key: randomUUID() });
    expect(ticked.status).to.equal(200);
    const item = ticked.body.checklist.items.find((i: { id: string }) => i.id === 'statement');
    expect(item.done.by).to.equal('Alex Wilber');
    expect(ticked.body.checklist.done).to.equal(1);
    await drain();
    const events = (await api.get('/events?kinds=checklist_ticked')).body.events;
    expect(events).to.have.length(1);
    expect(events[0].actor).to.equal('Alex Wilber');
    const cardId = (await room.incident()).card!.activityId;
    const card = room.t.local.world.activities.find((a) => a.id === cardId)!;
    expect(cardText(card.attachments?.[0]?.content)).to.contain(`"title":"Checklist","value":"1 of ${DEFAULT_SOP.P2.length} done`);

    expect((await api.put('/checklist/statement', { done: true, key: randomUUID() })).body.error).to.match(/already ticked/);
    expect((await api.put('/checklist/no-such-item', { done: true, key: randomUUID() })).status).to.equal(409);
    expect((await api.put('/checklist/statement', { done: 'yes', key: randomUUID() })).status).to.equal(400);
    const unticked = await api.put('/checklist/statement', { done: false, key: randomUUID() });
    expect(unticked.body.checklist.done).to.equal(0);
    // Persisted, not just answered: a fresh read shows it.
    expect((await api.get()).body.checklist.done).to.equal(0);
  });

  it('tells a live tab what was recorded since its last look', async () => {
    const start = (await api.get()).body.liveCursor;
    await api.note('fresh finding');
    await drain();
    const live = await api.get(`/live?since=${encodeURIComponent(start)}`);
    expect(live.status).to.equal(200);
    expect(live.body.events.map((e: { text: string }) => e.text).join('\n')).to.contain('fresh finding');
    expect(Date.parse(live.body.cursor)).to.be.at.least(Date.parse(start));
    expect(live.body.incident.label).to.equal('INC-1');
  });

  it('exports the timeline as Markdown, CSV and JSON', async () => {
    await api.note('=HYPERLINK("http://evil") | pipe');
    await drain();
    const md = await api.get('/export/md');
    expect(md.headers.get('content-type')).to.match(/text\/markdown/);
    expect(md.headers.get('content-disposition')).to.contain('INC-1-timeline.md');
    expect(md.text).to.contain('INC-1').and.contain('\\|');
    const csv = await api.get('/export/csv');
    expect(csv.headers.get('content-type')).to.match(/text\/csv/);
    expect(csv.text.split(/\r?\n/)[0]).to.equal('time_utc,actor,kind,description,incident_type,incident_fields');
    expect(csv.text).not.to.match(/(^|,)"?=HYPERLINK/m);
    const json = await api.get('/export/json');
    expect(JSON.stringify(json.body)).to.contain('HYPERLINK');
    expect((await api.get('/export/pdf')).status).to.equal(400);
  });
});

describe('post-mortem through the tab API', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let api: ReturnType<typeof tabApi>;

  const closeIncident = async () => {
    await room.click('ack');
    await room.click('takeRole', { role: 'commander' });
    await room.click('status', { statusTo: 'identified' });
    await room.click('resolve');
    await room.click('summary', { probableCause: 'connection pool exhausted', environment: 'Production' });
    const closed = await room.click('close');
    expect(cardText(closed.value)).to.contain('closed INC-1');
  };

  afterEach(() => room.close());

  it('pre-fills a draft, saves versions, detects a second editor, and keeps every version', async () => {
    room = await openIncidentRoom();
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
    const draft = (await api.get('/postmortem')).body;
    expect(draft).to.include({ version: 0, draft: true });
    expect(draft.content.description).to.contain('Checkout API returns 500s');
    expect(draft.content.times.started).to.be.a('string');
    expect(draft.content.timeline).to.match(/declared/i);

    const mine = { ...draft.content, impact: '12% of checkouts failed for 40 minutes' };
    const saved = await api.put('/postmortem', { baseVersion: 0, key: randomUUID(), content: mine });
    expect(saved.status).to.equal(200);
    expect(saved.body).to.include({ version: 1, savedBy: 'Alex Wilber' });

    // Two editors both started from version 1; the second save must not silently win.
    const first = await api.put('/postmortem', { baseVersion: 1, key: randomUUID(), content: { ...mine, wentWell: 'Rollback was quick' } });
    expect(first.body.version).to.equal(2);
    const second = await api.put('/postmortem', { baseVersion: 1, key: randomUUID(), content: { ...mine, wentBadly: 'Alerts were noisy' } });
    expect(second.status).to.equal(409);
    expect(second.body.conflict).to.equal(true);
    expect(second.body.theirs.version).to.equal(2);
    expect(second.body.theirs.content.wentWell).to.equal('Rollback was quick');
    expect(second.body.error).to.match(/saved version 2/);
    // Against the version both started from, the other editor changed only "What went well".
    expect(second.body.changed).to.deep.equal(['What went well']);
    expect(second.body.error).to.contain('They changed: What went well.');
    expect((await api.get('/postmortem')).body.content.wentBadly).not.to.equal('Alerts were noisy');

    // A retried save (same key) is recognised, not saved twice.
    const key = randomUUID();
    expect((await api.put('/postmortem', { baseVersion: 2, key, content: { ...mine, wentBadly: 'Alerts were noisy' } })).body.version).to.equal(3);
    const retried = await api.put('/postmortem', { baseVersion: 2, key, content: { ...mine, wentBadly: 'Alerts were noisy' } });
    expect(retried.status).to.equal(200);
    expect(retried.body).to.include({ version: 3, duplicate: true });

    const store = room.t.app.database.store;
    expect((await store.listPostmortemVersions((await room.incident()).id)).map((v) => v.version)).to.deep.equal([3, 2, 1]);
    // Every version stays readable through the API, newest first.
    const history = (await api.get('/postmortem/versions')).body.versions;
    expect(history.map((v: { version: number; savedBy: string }) => `${v.version} ${v.savedBy}`)).to.deep.equal(['3 Alex Wilber', '2 Alex Wilber', '1 Alex Wilber']);
    const v2 = await api.get('/postmortem/versions/2');
    expect(v2.status).to.equal(200);
    expect(v2.body).to.include({ version: 2 });
    expect(v2.body.content.wentWell).to.equal('Rollback was quick');
    expect((await api.get('/postmortem/versions/9')).status).to.equal(404);
    expect((await api.get('/postmortem/versions/0')).status).to.equal(400);
    expect((await api.get('/postmortem/versions/%7B%24gt%3A0%7D')).status).to.equal(400);
    expect((await store.getPostmortemVersion((await room.incident()).id, 1))!.content.impact).to.equal('12% of checkouts failed for 40 minutes');
    await room.t.app.actions.drain();
    expect((await api.get('/events?kinds=postmortem_saved')).body.total).to.equal(3);
    expect((await room.incident()).postmortem?.version).to.equal(3);
  });

  it('refuses malformed or oversized post-mortems clearly and loses nothing saved', async () => {
    room = await openIncidentRoom();
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
    const draft = (await api.get('/postmortem')).body.content;
    expect((await api.put('/postmortem', { baseVersion: 0, key: randomUUID(), content: { ...draft, impact: 'kept' } })).status).to.equal(200);

    const bad = await api.put('/postmortem', {
      baseVersion: 1,
      key: randomUUID(),
      content: { ...draft, fixWindowHours: 36, actionItems: [{ description: 'x', owner: '', due: 'tomorrow', kind: 'hotfix', link: 'javascript:alert(1)' }] },
    });
    expect(bad.status).to.equal(400);
    const paths = bad.body.problems.map((p: { path: string }) => p.path);
    expect(paths).to.include.members(['fixWindowHours', 'actionItems.0.due', 'actionItems.0.link']);
    expect(bad.body.error).to.match(/not saved/);

    const huge = await api.put('/postmortem', { baseVersion: 1, key: randomUUID(), content: { ...draft, impact: 'x'.repeat(600 * 1024) } });
    expect(huge.status).to.equal(413);
    expect(JSON.stringify(huge.body)).to.match(/too large|exceeds/i);

    const now = (await api.get('/postmortem')).body;
    expect(now.version).to.equal(1);
    expect(now.content.impact).to.equal('kept');
  });

  it('publishes only a resolved incident’s saved version, posts the summary, and archives when configured', async () => {
    room = await openIncidentRoom({ ARCHIVE_ON_PUBLISH: 'true' });
    const incident = await room.incident();
    api = tabApi(room.t.app.url, incident.id, signedInAs(room.t.app));
    const draft = (await api.get('/postmortem')).body.content;
    const content = {
      ...draft,
      impact: 'Checkout failed for 12% of orders',
      rootCauses: [{ description: 'The connection pool was sized for last year’s traffic', type: draft.rootCauses[0]?.type ?? 'capacity' }],
      actionItems: [{ description: 'Alert on pool saturation', owner: 'Megan Bowen', due: '2026-12-01', kind: 'proper fix', link: 'https://tracker.example/INC-1' }],
    };
    expect((await api.put('/postmortem', { baseVersion: 0, key: randomUUID(), content })).body.version).to.equal(1);
    const early = await api.post('/postmortem/publish', { version: 1, key: randomUUID() });
    expect(early.status).to.equal(409);
    expect(early.body.error).to.match(/once it is resolved/);

    await closeIncident();
    const published = await api.post('/postmortem/publish', { version: 1, key: randomUUID() });
    expect(published.status, JSON.stringify(published.body)).to.equal(200);
    expect(published.body).to.include({ outcome: 'published', archived: true });
    await room.t.app.actions.drain();

    const summary = room.t.local.world.activities.find((a) => a.conversationId.startsWith(incident.channel!.id) && cardText(a.attachments).includes('post-mortem published'));
    expect(summary, 'summary card in the incident channel').to.not.equal(undefined);
    expect(cardText(summary!.attachments)).to.contain('Alert on pool saturation').and.contain('Checkout failed for 12% of orders');
    expect(room.t.local.world.channels.get(incident.channel!.id)!.archived).to.equal(true);
    const after = await room.incident();
    expect(after.status).to.equal('archived');
    expect(after.postmortem?.publishedVersion).to.equal(1);

    // Archived: read-only, with a clear answer.
    expect((await api.note('late note')).body.error).to.match(/archived/);
    expect((await api.put('/postmortem', { baseVersion: 1, key: randomUUID(), content })).body.error).to.match(/archived/);
    expect((await api.get('/postmortem')).body.version).to.equal(1);
  });

  it('records a role change by another person in the tab’s live view', async () => {
    room = await openIncidentRoom();
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
    const start = (await api.get()).body.liveCursor;
    await room.click('assignRole', { role: 'scribe', person: MEGAN.id }, { from: MEGAN });
    const live = await api.get(`/live?since=${encodeURIComponent(start)}`);
    expect(live.body.incident.roles.map((r: { role: string }) => r.role)).to.include('Scribe');
    expect(live.body.events.map((e: { kind: string }) => e.kind)).to.include('role_assigned');
  });
});
