import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Incident } from '../../models/incident/incident.js';
import { applyChoices, type MergePlan } from '../../models/postmortem/merge.js';
import { cardText, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

/**
 * Two editors on one post-mortem through the tab API, and publishing with flagged wording:
 * the conflict answer (their version and a section-by-section merge plan), the merge saved on
 * top of theirs, never over it; the publish question, the card's footer and its link.
 */
describe('post-mortem merge and publish through the tab API', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let api: ReturnType<typeof tabApi>;
  const put = (baseVersion: number, content: unknown) => api.put('/postmortem', { baseVersion, key: randomUUID(), content });
  /** Saves the draft with this "what went badly" as version 1, then runs the incident to resolved from its card. */
  const resolvedWithDraft = async (wentBadly: string) => {
    const draft = (await api.get('/postmortem')).body.content;
    expect((await put(0, { ...draft, wentBadly })).body.version).to.equal(1);
    await room.click('ack');
    await room.click('takeRole', { role: 'commander' });
    await room.click('status', { statusTo: 'identified' });
    await room.click('resolve');
  };
  /** The bot's "post-mortem published" post in the incident's channel. */
  const publishedSummary = (incident: Incident) =>
    room.t.local.world.activities.find((a) => a.conversationId.startsWith(incident.channel!.id) && cardText(a.attachments).includes('post-mortem published'));

  beforeEach(async () => {
    room = await openIncidentRoom();
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
  });
  afterEach(() => room.close());

  it('answers a stale save with their version and, per section, theirs and mine; the merge is saved on top of theirs', async () => {
    const draft = (await api.get('/postmortem')).body.content;
    const v1 = {
      ...draft,
      rootCauses: [{ id: 'pool', description: 'The pool was sized for last year', type: 'capacity' }],
      actionItems: [{ id: 'alert', description: 'Alert on pool saturation', owner: '', due: '', kind: 'hotfix', link: '', done: false }],
    };
    expect((await put(0, v1)).body.version).to.equal(1);

    // The first editor: edits the cause, adds one and an action, writes what went well.
    const theirs = {
      ...v1,
      wentWell: 'Rollback took 4 minutes',
      rootCauses: [{ ...v1.rootCauses[0], description: 'The pool was sized for the 2025 peak' }, { id: 'retry', description: 'Clients retried without backoff', type: 'code change' }],
      actionItems: [...v1.actionItems, { id: 'backoff', description: 'Add jittered backoff to the mobile client', owner: 'Lee Gu', due: '', kind: 'proper fix', link: '', done: false }],
    };
    expect((await put(1, theirs)).body.version).to.equal(2);

    // The second, still on version 1: adds a cause, gives the action an owner, writes what went badly.
    const mine = {
      ...v1,
      wentBadly: 'The alert fired 20 minutes late',
      rootCauses: [...v1.rootCauses, { id: 'deploy', description: 'A deploy doubled the queries per checkout', type: 'deployment' }],
      actionItems: [{ ...v1.actionItems[0], owner: 'Megan Bowen' }],
    };
    const conflict = await put(1, mine);
    expect(conflict.status).to.equal(409);
    expect(conflict.body).to.include({ conflict: true });
    expect(conflict.body.theirs.version).to.equal(2);
    expect(conflict.body.error).to.contain('You both changed Contributing causes, Action items').and.contain('save the merge as version 3');
    const plan = conflict.body.merge as MergePlan;
    const by = Object.fromEntries(plan.sections.map((s) => [s.field, s]));
    expect(by.wentWell).to.include({ changedBy: 'them', conflict: false, merged: 'Rollback took 4 minutes' });
    expect(by.wentBadly).to.include({ changedBy: 'me', conflict: false, merged: 'The alert fired 20 minutes late' });
    expect(by.description).to.include({ changedBy: 'nobody', conflict: false });
    expect(plan.sections.filter((s) => s.conflict).map((s) => s.label)).to.deep.equal(['Contributing causes', 'Action items']);
    expect((by.rootCauses!.options!.theirs as { id: string }[]).map((c) => c.id)).to.deep.equal(['pool', 'retry']);
    expect((by.rootCauses!.options!.mine as { id: string }[]).map((c) => c.id)).to.deep.equal(['pool', 'deploy']);
    expect((by.rootCauses!.options!.both as { description: string }[]).map((c) => c.description)).to.deep.equal([
      'The pool was sized for the 2025 peak',
      'Clients retried without backoff',
      'A deploy doubled the queries per checkout',
    ]);
    expect((by.actionItems!.options!.both as { description: string; owner: string }[]).map((a) => `${a.description} (${a.owner})`)).to.deep.equal([
      'Alert on pool saturation (Megan Bowen)',
      'Add jittered backoff to the mobile client (Lee Gu)',
    ]);
    // Nothing of the second editor's was saved.
    expect((await api.get('/postmortem')).body).to.include({ version: 2 });

    const merged = applyChoices(plan, { rootCauses: 'both', actionItems: 'both' });
    if (!('content' in merged)) throw new Error('undecided');
    // Still based on version 1, the merge is refused like any stale save: no silent overwrite.
    const stale = await put(1, merged.content);
    expect(stale.status).to.equal(409);
    const saved = await put(2, merged.content);
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    expect(saved.body.version).to.equal(3);
    const now = (await api.get('/postmortem')).body.content;
    expect(now.wentWell).to.equal('Rollback took 4 minutes');
    expect(now.wentBadly).to.equal('The alert fired 20 minutes late');
    expect(now.rootCauses.map((c: { id: string }) => c.id)).to.deep.equal(['pool', 'retry', 'deploy']);
    expect(now.actionItems.map((a: { id: string }) => a.id)).to.deep.equal(['alert', 'backoff']);
  });

  it('gives items saved without an identity one, and refuses two items with the same one', async () => {
    const draft = (await api.get('/postmortem')).body.content;
    const saved = await put(0, { ...draft, actionItems: [{ description: 'Runbook for pool saturation', owner: '', due: '', kind: 'hotfix', link: '' }] });
    expect(saved.body.content.actionItems[0].id).to.equal('action-1');
    const twice = await put(1, { ...draft, rootCauses: [{ id: 'x', description: 'a', type: 'data' }, { id: 'x', description: 'b', type: 'data' }] });
    expect(twice.status).to.equal(400);
    expect(twice.body.problems.map((p: { path: string }) => p.path)).to.include('rootCauses.1.id');
  });

  it('asks before publishing flagged wording, then says so on the card instead of “blameless”, and links to the post-mortem view', async () => {
    const incident = await room.incident();
    await resolvedWithDraft('It was human error: the deploy should have been checked.');

    const asked = await api.post('/postmortem/publish', { version: 1, key: randomUUID() });
    expect(asked.status).to.equal(409);
    expect(asked.body.needsConfirmation).to.equal(true);
    expect(asked.body.warnings.map((w: { phrase: string; where: string }) => `${w.phrase} @ ${w.where}`)).to.deep.equal(['human error @ What went badly', 'should have @ What went badly']);
    expect(asked.body.error).to.contain('Nothing was published');
    expect((await room.incident()).postmortem?.publishedVersion).to.equal(undefined);

    const published = await api.post('/postmortem/publish', { version: 1, key: randomUUID(), keepFlaggedWording: true });
    expect(published.status, JSON.stringify(published.body)).to.equal(200);
    await room.t.app.actions.drain();
    const summary = publishedSummary(incident);
    const card = summary!.attachments![0]!.content as { actions: { title: string; url: string }[] };
    expect(cardText(card)).not.to.contain('Blameless by design');
    expect(cardText(card)).to.contain('Published with wording the blameless check flagged (2 places)');

    // The link is a Teams deep link to the channel tab with the post-mortem as its sub-entity.
    const link = new URL(card.actions.find((a) => a.title === 'Read the whole post-mortem')!.url);
    expect(link.pathname).to.equal(`/l/entity/${room.t.app.config.appCatalogId}/${incident.id}`);
    expect(JSON.parse(link.searchParams.get('context')!)).to.deep.equal({ subEntityId: 'postmortem', channelId: incident.channel!.id });
    expect(link.searchParams.get('webUrl')).to.equal(`${room.t.app.url.replace('127.0.0.1', 'localhost')}/tab/incidents/${incident.id}?view=postmortem`);
    // Local Teams opens that channel's tab in its web client (the sandbox's tab host), with the sub-entity for the tab's context.
    const opened = await fetch(link, { redirect: 'manual' });
    expect(opened.status).to.equal(302);
    const hosted = new URL(opened.headers.get('location')!);
    expect(hosted.pathname).to.equal('/sandbox/tab');
    expect(Object.fromEntries(hosted.searchParams)).to.deep.include({ url: `/tab/incidents/${incident.id}`, entity: incident.id, channel: incident.channel!.id, subEntityId: 'postmortem' });
    // A link to a tab that is not in that channel opens nothing.
    const elsewhere = new URL(link);
    elsewhere.searchParams.set('context', JSON.stringify({ subEntityId: 'postmortem', channelId: '19:nowhere@thread.tacv2' }));
    expect((await fetch(elsewhere, { redirect: 'manual' })).status).to.equal(404);
  });

  it('publishes wording the check does not flag with the tenant’s blameless footer, without asking', async () => {
    await resolvedWithDraft('The default timeout was too short.');
    const published = await api.post('/postmortem/publish', { version: 1, key: randomUUID() });
    expect(published.status, JSON.stringify(published.body)).to.equal(200);
    await room.t.app.actions.drain();
    const incident = await room.incident();
    const summary = publishedSummary(incident);
    expect(cardText(summary!.attachments)).to.contain('Blameless by design');
  });
});
