import { expect } from 'chai';
import { ALEX, LEE, MEGAN, asRead, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { movableClock } from '../helpers/clock.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { actionItemsOf } from '../helpers/actionItems.js';
import { nudgeTime } from '../../models/followThrough/nudgePlan.js';
import { TeamsWorld } from '../../local/world/teamsWorld.js';

const DAY = 86_400_000;

/**
 * Nudges in virtual time: the owner of an action item hears in their activity feed when it is
 * theirs, two days before it is due and when it is overdue; a changed due date moves the
 * reminders, a done item gets none, and the channel hears once when every item is done.
 */
describe('nudges: action item owners are reminded, the channel hears when all are done', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let api: ReturnType<typeof tabApi>;
  let clock: ReturnType<typeof movableClock>;
  const { item, save, sync } = actionItemsOf(() => ({ room, api }));
  /** A date `days` from the virtual now, as the form writes it. */
  const inDays = (days: number) => new Date(clock.now().getTime() + days * DAY).toISOString().slice(0, 10);
  const megans = (fields: Record<string, unknown> = {}) => ({ owner: MEGAN.name, ownerId: MEGAN.aadObjectId, ...fields });
  const feed = () => room.t.local.world.notifications.filter((n) => n.activityType.startsWith('action')).map((n) => ({ to: n.userId, type: n.activityType, shown: n.shown, preview: n.previewText }));
  const nudgeEvents = async () => (await room.t.app.database.store.listEvents((await room.incident()).id)).filter((e) => e.kind === 'action_item_nudged');
  const channelNotices = async () => room.t.local.world.activitiesIn((await room.incident()).channel!.id).map((a) => asRead(a.text ?? '')).filter((t) => t.includes('✅ All'));
  /** Moves virtual time to just after `at` and runs the timers due then. */
  const until = async (at: Date) => {
    clock.advanceMinutes(Math.max(0, Math.ceil((at.getTime() - clock.now().getTime()) / 60_000) + 1));
    await sync();
  };

  beforeEach(async () => {
    clock = movableClock();
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P2', { clock, timers: false });
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
  });
  afterEach(() => room.close());

  it('tells the owner when the item is theirs, 2 days before it is due and when it is overdue — each once, on the timeline', async () => {
    const due = inDays(6);
    await save([item('canary', 'Add a canary stage to the payments deploy', megans({ due }))]);
    await sync();
    const title = (await room.incident()).title;
    expect(feed()).to.deep.equal([{ to: MEGAN.aadObjectId, type: 'actionAssigned', shown: `Alex Wilber gave you an action item from INC-1: ${title}`, preview: `Alex Wilber gave you “Add a canary stage to the payments deploy” from INC-1: ${title} (due ${due})` }]);
    const pending = (await room.t.app.database.jobs.pendingJobs((await room.incident()).id)).filter((j) => j.kind === 'nudge');
    expect(pending.map((j) => [j.payload.nudge, j.dueAt.toISOString()])).to.have.deep.members([['due_soon', nudgeTime('due_soon', due).toISOString()], ['overdue', nudgeTime('overdue', due).toISOString()]]);

    await until(new Date(nudgeTime('due_soon', due).getTime() - 60 * 60_000));
    expect(feed(), 'nothing before its time').to.have.length(1);
    await until(nudgeTime('due_soon', due));
    expect(feed().at(-1)).to.deep.include({ to: MEGAN.aadObjectId, type: 'actionDueSoon', shown: `Your action item from INC-1: ${title} is due ${due}` });
    await until(nudgeTime('overdue', due));
    expect(feed().at(-1)).to.deep.include({ to: MEGAN.aadObjectId, type: 'actionOverdue', shown: `Your action item from INC-1: ${title} is overdue (due ${due})` });
    expect(feed().at(-1)!.preview).to.contain('1 day ago');

    // A later save that changes nothing about the item, and a week more of timers: nothing more.
    await save([item('canary', 'Add a canary stage to the payments deploy (staging first)', megans({ due }))]);
    await until(new Date(clock.now().getTime() + 7 * DAY));
    expect(feed().map((n) => n.type)).to.deep.equal(['actionAssigned', 'actionDueSoon', 'actionOverdue']);
    const events = await nudgeEvents();
    expect(events.map((e) => [e.payload.nudge, e.payload.owner, e.payload.via, e.actor.name])).to.deep.equal([
      ['assigned', 'Megan Bowen', 'activity feed', 'incident-room'],
      ['due_soon', 'Megan Bowen', 'activity feed', 'incident-room'],
      ['overdue', 'Megan Bowen', 'activity feed', 'incident-room'],
    ]);
    const timeline = (await api.get('/events?order=asc&limit=200')).body;
    expect(JSON.stringify(timeline)).to.contain('reminded Megan Bowen of the action item');
  });

  it('tells the new owner when an item is reassigned, and moves the reminders when the due date changes', async () => {
    const first = inDays(5);
    const later = inDays(9);
    await save([item('canary', 'Add a canary stage', megans({ due: first }))]);
    await sync();
    await save([item('canary', 'Add a canary stage', { owner: LEE.name, ownerId: LEE.aadObjectId, due: later })]);
    await sync();
    expect(feed().map((n) => [n.to, n.type])).to.deep.equal([[MEGAN.aadObjectId, 'actionAssigned'], [LEE.aadObjectId, 'actionAssigned']]);
    // The first due date's reminder comes to nothing: the item is now Lee's and due later.
    await until(nudgeTime('overdue', first));
    expect(feed(), 'no reminder for the old date or the old owner').to.have.length(2);
    await until(nudgeTime('due_soon', later));
    expect(feed().at(-1)).to.deep.include({ to: LEE.aadObjectId, type: 'actionDueSoon' });
    expect(feed().at(-1)!.shown).to.contain(`is due ${later}`);
  });

  it('sends nothing for an item that is done or removed, nor for an owner typed by name', async () => {
    const due = inDays(4);
    await save([item('done', 'Rotate the key', megans({ due })), item('gone', 'Write a runbook', megans({ due })), item('typed', 'Page the DBA', { owner: 'Pat from the vendor', due })]);
    await sync();
    expect(feed().map((n) => n.type), 'two assignments; the typed name cannot be reached').to.deep.equal(['actionAssigned', 'actionAssigned']);
    await save([item('done', 'Rotate the key', megans({ due, done: true })), item('typed', 'Page the DBA', { owner: 'Pat from the vendor', due })]);
    await until(new Date(nudgeTime('overdue', due).getTime() + 3 * DAY));
    expect(feed().map((n) => n.type)).to.deep.equal(['actionAssigned', 'actionAssigned']);
    expect((await nudgeEvents()).map((e) => e.payload.nudge)).to.deep.equal(['assigned', 'assigned']);
  });

  it('tells the channel once when every item is done, and again only after one is reopened and done again', async () => {
    const due = inDays(10);
    const items = (doneA: boolean, doneB: boolean, extra = '') => [item('a', `Add a canary stage${extra}`, megans({ due, done: doneA })), item('b', 'Alert on 5xx', { owner: LEE.name, ownerId: LEE.aadObjectId, due, done: doneB })];
    await save(items(false, false));
    await sync();
    await save(items(true, false));
    await sync();
    expect(await channelNotices()).to.deep.equal([]);
    await save(items(true, true));
    await sync();
    expect(await channelNotices()).to.deep.equal(['✅ All 2 action items of the INC-1 post-mortem are done. Thank you, Megan Bowen and Lee Gu.']);
    await save(items(true, true, ' (edited)'));
    await sync();
    expect(await channelNotices(), 'a save that keeps them done says nothing').to.have.length(1);
    await save(items(true, false, ' (edited)'));
    await sync();
    await save(items(true, true, ' (edited)'));
    await sync();
    expect(await channelNotices(), 'reopened and done again').to.have.length(2);
    const done = (await room.t.app.database.store.listEvents((await room.incident()).id)).filter((e) => e.kind === 'action_items_done');
    expect(done.map((e) => e.payload.count)).to.deep.equal([2, 2]);
  });

  it('keeps its reminders across a restart, and sends each once with two app instances on one database', async () => {
    const due = inDays(5);
    await save([item('canary', 'Add a canary stage', megans({ due }))]);
    await sync();
    const { id } = await room.incident();
    await room.t.app.close(); // the process stops with the reminders pending
    const again = await room.t.restart({}, { clock, timers: false });
    const other = await room.t.restart({}, { clock, timers: false });
    clock.advanceMinutes(Math.ceil((nudgeTime('overdue', due).getTime() - clock.now().getTime()) / 60_000) + 1);
    await Promise.all([again.jobs.runDue(), other.jobs.runDue(), again.jobs.runDue(), other.jobs.runDue()]);
    expect(feed().map((n) => n.type)).to.deep.equal(['actionAssigned', 'actionDueSoon', 'actionOverdue']);
    expect((await again.database.store.listEvents(id)).filter((e) => e.kind === 'action_item_nudged')).to.have.length(3);
  });

  it('uses the personal chat where the feed is not permitted for the owner', async () => {
    room.t.local.world.feedBlocked.add(LEE.aadObjectId);
    await save([item('canary', 'Add a canary stage', { owner: LEE.name, ownerId: LEE.aadObjectId, due: inDays(8) })]);
    await sync();
    expect(feed()).to.deep.equal([]);
    const personal = room.t.local.world.activitiesIn(TeamsWorld.personalChatOf(LEE.aadObjectId)).map((a) => asRead(a.text ?? ''));
    expect(personal.some((t) => t.includes('📌 Alex Wilber gave you “Add a canary stage” from INC-1'))).to.equal(true);
    expect((await nudgeEvents()).map((e) => e.payload.via)).to.deep.equal(['personal chat']);
  });

  it('fills the owner from the @mention of `action … @owner` and nudges them', async () => {
    const due = inDays(7);
    const answer = await room.say(`action Add a canary stage to payments due:${due}`, { mentions: [MEGAN] });
    expect(answer.text).to.contain('owner Megan Bowen');
    await sync();
    expect((await api.get('/postmortem')).body.content.actionItems[0]).to.deep.include({ owner: MEGAN.name, ownerId: MEGAN.aadObjectId });
    expect(feed().map((n) => [n.to, n.type])).to.deep.equal([[MEGAN.aadObjectId, 'actionAssigned']]);
    // Giving yourself an item needs no message.
    await room.say(`action Write the runbook due:${due}`, { mentions: [ALEX], from: ALEX });
    await sync();
    expect(feed()).to.have.length(1);
  });
});

describe('nudges: a private incident', function () {
  this.timeout(60_000);
  const megan = () => ({ owner: MEGAN.name, ownerId: MEGAN.aadObjectId });
  let room: IncidentRoom;
  afterEach(() => room.close());

  it('names neither the title nor the item to an owner who is not a member', async () => {
    const clock = movableClock();
    room = await openIncidentRoom({}, 'Leaked customer export --private', { clock, timers: false });
    const api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
    const { item, save, sync } = actionItemsOf(() => ({ room, api }));
    // Megan is in the incidents team but not in this incident (Lee, paged as on call, is).
    expect((await room.incident()).members?.map((m) => m.name)).not.to.include(MEGAN.name);
    await save([item('purge', 'Purge the exported file from the bucket', megan()), item('notify', 'Tell the DPO', { owner: LEE.name, ownerId: LEE.aadObjectId })]);
    await sync();
    const sent = room.t.local.world.notifications.filter((n) => n.activityType.startsWith('action'));
    expect(sent.map((n) => [n.userId, n.activityType])).to.have.deep.members([[MEGAN.aadObjectId, 'actionAssigned'], [LEE.aadObjectId, 'actionAssigned']]);
    const toMember = JSON.stringify(sent.filter((n) => n.userId === LEE.aadObjectId));
    expect(toMember, 'a member reads the item, never the title (lock screens)').to.contain('Tell the DPO').and.not.to.contain('Leaked');
    const words = JSON.stringify(sent.filter((n) => n.userId === MEGAN.aadObjectId));
    expect(words).to.contain('INC-1 (private)').and.contain('an action item');
    expect(words).not.to.contain('Leaked').and.not.to.contain('Purge');
  });
});
