import { expect } from 'chai';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { movableClock } from '../helpers/clock.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { actionItemsOf } from '../helpers/actionItems.js';
import { LOCAL } from '../../local/defaults.js';
import type { PlannerBoard } from '../../local/standins/graphPlannerRoutes.js';

/**
 * Post-mortem action items as Planner tasks, against the Graph stand-in's Planner (its Learn
 * pages' permissions, If-Match ETags and 412s): created in the plan's bucket, edits both ways
 * (ours by PATCH with If-Match; theirs found by polling, as Planner sends no notifications),
 * Graph throttling and back, and the permission withheld (said on the card and the tab, kept).
 */
describe('trackers: action items as Microsoft Planner tasks', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let api: ReturnType<typeof tabApi>;
  let clock: ReturnType<typeof movableClock>;
  const { item, save, sync, view } = actionItemsOf(() => ({ room, api }));
  const board = () => room.t.local.graph.planner as PlannerBoard;
  const pendingSyncs = async () => (await room.t.app.database.jobs.pendingJobs((await room.incident()).id)).filter((j) => j.kind === 'tracker_sync');

  beforeEach(async () => {
    clock = movableClock();
    room = await openIncidentRoom({ TRACKER: 'planner' }, 'Checkout API returns 500s --sev P2', { clock, timers: false });
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
  });
  afterEach(() => room.close());

  it('files each action item as a task in the plan’s bucket and pushes edits and completion with If-Match', async () => {
    await save([item('canary', 'Add a canary stage to the payments deploy')]);
    await sync();
    const incident = await room.incident();
    const [task] = [...board().tasks.values()];
    expect(task).to.deep.include({ planId: LOCAL.planner.planId, bucketId: LOCAL.planner.bucketId, title: 'Add a canary stage to the payments deploy', dueDateTime: '2026-12-15T00:00:00Z', percentComplete: 0 });
    expect(task!.details.description).to.contain('Owner: Megan Bowen').and.contain(`incident-room:${incident.id}/canary`);
    expect(incident.postmortem?.tracking).to.deep.equal({ tracker: 'Planner', tracked: 1, pending: 0 });

    // Someone touched the task meanwhile (its ETag moved): the update reads it again and still lands.
    board().editAs(task!.id, { title: task!.title });
    await save([item('canary', 'Add a canary stage to the payments deploy', { owner: 'Lee Gu', due: '', done: true })]);
    await sync();
    expect(task).to.deep.include({ percentComplete: 100, dueDateTime: null });
    expect(task!.details.description).to.contain('Owner: Lee Gu');
    expect(board().tasks.size).to.equal(1);
  });

  it("takes Planner's edits by polling (no webhooks for tasks) into the post-mortem as a version credited via Planner", async () => {
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    await save([item('canary', 'Add a canary stage', { owner: 'Megan Bowen (SRE)' })]);
    await sync();
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    expect(await pendingSyncs(), 'however many syncs ran, one poll is next').to.have.length(1);
    const before = (await view()).version;
    const [task] = [...board().tasks.values()];
    board().editAs(task!.id, { title: 'Add a canary stage (payments)', percentComplete: 100, dueDateTime: '2026-12-22T00:00:00Z', description: task!.details.description.replace('Owner: Megan Bowen', 'Owner: Adele Vance') }, { id: 'lee-gu', displayName: 'Lee Gu' });
    await sync();
    expect((await view()).version, 'not before the next poll').to.equal(before);
    clock.advanceMinutes(6);
    await sync();
    const after = await view();
    expect(after.version).to.equal(before + 1);
    // Planner says who completed a task, and nothing of other edits: the completer is credited.
    expect(after.savedBy).to.equal('Lee Gu via Planner');
    expect(after.content.actionItems[0]).to.deep.include({ description: 'Add a canary stage (payments)', due: '2026-12-22', done: true, owner: 'Adele Vance' });
    clock.advanceMinutes(6);
    await sync();
    expect((await view()).version, 'a poll that finds nothing new changes nothing').to.equal(before + 1);
    // Every item done: no more polling.
    expect(await pendingSyncs()).to.have.length(0);
  });

  it('keeps an item while Tasks.ReadWrite.All is withheld (said on the card and the tab), and files it once granted', async () => {
    room.t.local.graph.granted.delete('Tasks.ReadWrite.All');
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    expect(board().tasks.size).to.equal(0);
    const incident = await room.incident();
    expect(incident.postmortem?.tracking).to.deep.include({ tracker: 'Planner', pending: 1 });
    expect(incident.postmortem?.tracking?.error).to.contain('HTTP 403');
    expect((await view()).tracking.items.canary.error).to.contain('Tasks.ReadWrite.All');
    const card = room.t.local.world.activitiesIn(incident.channel!.id).find((a) => a.id === incident.card!.activityId)!;
    expect(JSON.stringify(card.attachments)).to.contain('1 action item not yet in Planner');

    room.t.local.graph.granted.add('Tasks.ReadWrite.All');
    room.t.local.graph.faults.add({ method: 'POST', path: /\/planner\/tasks$/, status: 429, retryAfterSeconds: 60, times: 1 });
    clock.advanceMinutes(1);
    await sync();
    expect(board().tasks.size, 'throttled').to.equal(0);
    clock.advanceMinutes(2);
    await sync();
    expect(board().tasks.size).to.equal(1);
    expect((await room.incident()).postmortem?.tracking).to.deep.equal({ tracker: 'Planner', tracked: 1, pending: 0 });
  });
});
