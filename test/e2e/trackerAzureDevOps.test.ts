import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { movableClock } from '../helpers/clock.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';
import { actionItemsOf } from '../helpers/actionItems.js';
import type { AzureDevOpsStandIn } from '../../local/standins/azureDevOpsStandIn.js';

/**
 * Post-mortem action items followed through as Azure DevOps work items, against the Azure
 * DevOps stand-in: created by JSON Patch (title, due date, HTML description with the owner and
 * the link back, tags), edits both ways (ours by PATCH, closing and reopening by state; theirs
 * through the service hook with basic authentication), Azure DevOps down and back, a hook with
 * the wrong credentials refused, a redelivery changing nothing.
 */
describe('trackers: action items as Azure DevOps work items', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let api: ReturnType<typeof tabApi>;
  let clock: ReturnType<typeof movableClock>;
  const { item, save, sync, view } = actionItemsOf(() => ({ room, api }), 'hotfix');
  const ado = () => room.t.local.azureDevOps! as AzureDevOpsStandIn;
  const hookUrl = () => `${room.t.app.url}/api/trackers/azureDevOps/webhook`;

  beforeEach(async () => {
    clock = movableClock();
    room = await openIncidentRoom({ TRACKER: 'azure-devops' }, 'Checkout API returns 500s --sev P2', { clock, timers: false });
    ado().hookUrl = hookUrl();
    api = tabApi(room.t.app.url, (await room.incident()).id, signedInAs(room.t.app));
  });
  afterEach(() => room.close());

  it('files each action item as a work item and pushes edits, closing and reopening', async () => {
    await save([item('canary', 'Add a canary stage to the payments deploy')]);
    await sync();
    const incident = await room.incident();
    const [workItem] = [...ado().workItems.values()];
    expect(workItem!.fields).to.deep.include({ 'System.Title': 'Add a canary stage to the payments deploy', 'System.State': 'New', 'Microsoft.VSTS.Scheduling.DueDate': '2026-12-15T00:00:00Z' });
    expect(String(workItem!.fields['System.Tags']).split('; ')).to.include.members(['incident-room', 'INC-1', 'hotfix', `incident-room_${incident.id}_canary`]);
    expect(workItem!.fields['System.Description']).to.contain('<p>Owner: Megan Bowen</p>');
    expect(incident.postmortem?.tracking).to.deep.equal({ tracker: 'Azure DevOps', tracked: 1, pending: 0 });
    expect((await view()).tracking.items.canary).to.deep.include({ key: '1', url: 'https://dev.azure.com/contoso/Operations/_workitems/edit/1' });

    await save([item('canary', 'Add a canary stage to the payments deploy', { owner: 'Lee Gu', due: '', done: true })]);
    await sync();
    expect(workItem!.fields['System.State']).to.equal('Closed');
    expect(workItem!.fields).not.to.have.property('Microsoft.VSTS.Scheduling.DueDate');
    expect(workItem!.fields['System.Description']).to.contain('<p>Owner: Lee Gu</p>');
    await save([item('canary', 'Add a canary stage to the payments deploy', { owner: 'Lee Gu', due: '' })]);
    await sync();
    expect(workItem!.fields['System.State']).to.equal('New');
    expect(ado().workItems.size).to.equal(1);
  });

  it("takes Boards' edits (service hook) into the post-mortem, credited to the person via Azure DevOps; a redelivery changes nothing", async () => {
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    const before = (await view()).version;
    const workItem = ado().workItems.get(1)!;
    const delivery = await ado().editAs('Megan Bowen', 1, { ...workItem.fields, 'System.Title': 'Add a canary stage (payments)', 'System.State': 'Closed', 'Microsoft.VSTS.Scheduling.DueDate': '2026-12-22T00:00:00Z', 'System.Description': '<div>Owner: Adele Vance</div>' });
    expect(delivery?.status).to.equal(202);
    await sync();
    const after = await view();
    expect(after.version).to.equal(before + 1);
    expect(after.savedBy).to.equal('Megan Bowen via Azure DevOps');
    expect(after.content.actionItems[0]).to.deep.include({ description: 'Add a canary stage (payments)', due: '2026-12-22', done: true, owner: 'Adele Vance' });
    expect(await ado().redeliver(delivery!)).to.equal(202);
    await sync();
    expect((await view()).version).to.equal(before + 1);
  });

  it('refuses a service hook with the wrong basic authentication (401, nothing changed)', async () => {
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    const body = JSON.stringify({ id: randomUUID(), eventType: 'workitem.updated', resource: { revision: { id: 1, rev: 9, fields: { 'System.Title': 'Owned', 'System.Tags': 'incident-room' } } } });
    for (const authorization of [`Basic ${Buffer.from('incident-room:guess').toString('base64')}`, undefined]) {
      const response = await fetch(hookUrl(), { method: 'POST', headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) }, body });
      expect(response.status).to.equal(401);
      expect((await response.json()).error).to.contain('Nothing was changed');
    }
    await sync();
    expect((await view()).content.actionItems[0].description).to.equal('Add a canary stage');
  });

  it('keeps an item Azure DevOps could not take (throttled, then down) and files it, once, when it is back', async () => {
    ado().faults.add({ method: 'POST', path: /\/workitems\//, status: 429, retryAfterSeconds: 120, times: 1 });
    await save([item('canary', 'Add a canary stage')]);
    await sync();
    expect(ado().workItems.size).to.equal(0);
    expect((await room.incident()).postmortem?.tracking).to.deep.include({ tracker: 'Azure DevOps', pending: 1 });
    ado().faults.add({ method: 'POST', path: /\/workitems\//, status: 503, times: 1 });
    clock.advanceMinutes(1);
    await sync();
    expect(ado().workItems.size, 'not before the Retry-After').to.equal(0);
    clock.advanceMinutes(2);
    await sync();
    expect(ado().workItems.size).to.equal(0);
    clock.advanceMinutes(1);
    await sync();
    expect(ado().workItems.size).to.equal(1);
    expect((await room.incident()).postmortem?.tracking).to.deep.equal({ tracker: 'Azure DevOps', tracked: 1, pending: 0 });
  });
});
