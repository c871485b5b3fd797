import { expect } from 'chai';
import { AzureDevOpsTracker, verifyServiceHookAuth } from '../../adapters/trackers/azureDevOps.js';
import { AzureDevOpsStandIn } from '../../local/standins/azureDevOpsStandIn.js';
import { trackersCheck } from '../../admin/trackerChecks.js';
import type { DoctorDeps } from '../../admin/doctorChecks.js';
import { PermanentError, TransientError } from '../../models/support/errors.js';

const HOOK = { username: 'incident-room', password: 'a-hook-password-16+' };
const NEW = { title: 'Add a canary stage', owner: 'Megan Bowen', due: '2026-12-15', done: false, marker: 'incident-room:0123456789abcdef01234567/action-1', incidentLink: 'https://teams.example/tab?a=1&b=2', labels: ['INC-7', 'proper fix'] };

describe('Azure DevOps tracker adapter, against the Azure DevOps stand-in (api-version 7.1 as documented)', () => {
  let ado: AzureDevOpsStandIn;
  const settings = (pat = 'good-pat', more: Record<string, string> = {}) => ({ organizationUrl: `${ado.url}/contoso`, project: 'Operations', pat, workItemType: 'Task', doneState: 'Closed', reopenState: 'New', hookAuth: HOOK, ...more });
  const as = (pat = 'good-pat', more: Record<string, string> = {}) => new AzureDevOpsTracker(settings(pat, more));
  beforeEach(async () => {
    ado = new AzureDevOpsStandIn('contoso', 'Operations', 'good-pat', HOOK, ['read-pat']);
    await ado.start();
  });
  afterEach(() => ado.stop());

  it('creates by JSON Patch with an HTML description and its marker as a tag, finds it by WIQL, updates, closes and reopens', async () => {
    const tracker = as();
    const created = await tracker.create(NEW);
    expect(created).to.deep.include({ title: 'Add a canary stage', owner: 'Megan Bowen', due: '2026-12-15', done: false, marker: NEW.marker });
    expect(created.ref).to.deep.equal({ system: 'azureDevOps', key: '1', url: 'https://dev.azure.com/contoso/Operations/_workitems/edit/1' });
    expect(ado.workItems.get(1)!.fields['System.Description']).to.contain('https://teams.example/tab?a=1&amp;b=2');
    expect((await tracker.find(NEW.marker))?.ref.key).to.equal('1');
    expect(await tracker.find('incident-room:0123456789abcdef01234567/other')).to.equal(undefined);
    expect(await tracker.update(created.ref, { owner: 'Lee <Gu>', due: '', done: true })).to.deep.include({ owner: 'Lee <Gu>', due: '', done: true });
    expect((await tracker.update(created.ref, { done: false })).done).to.equal(false);
    expect((await tracker.changedSince(new Date(0))).map((i) => i.ref.key)).to.deep.equal(['1']);
    expect((await tracker.create({ ...NEW, marker: `${NEW.marker}-2`, done: true })).done, 'filed closed').to.equal(true);
  });

  it('says what to fix on 401, 403 (a read-only token), 404 (a type the project lacks) and 400 (a state the type lacks)', async () => {
    const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a failure'), (e: unknown) => e as PermanentError);
    const bad = await failure(as('wrong').create(NEW));
    expect(bad).to.be.instanceOf(PermanentError);
    expect(bad.message).to.contain('HTTP 401').and.contain('TF400813');
    expect(bad.hint).to.contain('AZURE_DEVOPS_PAT');
    expect((await failure(as('read-pat').create(NEW))).hint).to.contain('Work Items (Read & write)');
    expect((await failure(as('good-pat', { workItemType: 'Epic' }).create(NEW))).message).to.contain('HTTP 404').and.contain('TF201077');
    expect((await failure(as('good-pat', { doneState: 'Done' }).create({ ...NEW, done: true }))).message).to.contain('HTTP 400').and.contain('TF401347');
  });

  it('treats 429 as "try again later", with its Retry-After', async () => {
    ado.faults.add({ method: 'POST', path: /\/workitems\//, status: 429, retryAfterSeconds: 20, times: 1 });
    const throttled = await as().create(NEW).catch((e: unknown) => e as TransientError);
    expect(throttled).to.be.instanceOf(TransientError);
    expect((throttled as TransientError).retryAfterMs).to.equal(20_000);
  });

  it("checks the service hook's basic authentication, and reads workitem.updated events", () => {
    const rawBody = JSON.stringify({ id: 'e-1', eventType: 'workitem.updated', resource: { revisedBy: { displayName: 'Megan Bowen' }, revision: { id: 3, rev: 4, fields: { 'System.Title': 'T', 'System.State': 'Closed', 'System.Tags': 'incident-room; incident-room_0123456789abcdef01234567_action-1', 'System.ChangedDate': '2026-12-01T10:00:00Z' } } } });
    const good = { authorization: `Basic ${Buffer.from('incident-room:a-hook-password-16+').toString('base64')}` };
    expect(verifyServiceHookAuth({ headers: good, rawBody }, HOOK)).to.equal(true);
    expect(verifyServiceHookAuth({ headers: { authorization: `Basic ${Buffer.from('incident-room:x').toString('base64')}` }, rawBody }, HOOK)).to.equal(false);
    expect(verifyServiceHookAuth({ headers: {}, rawBody }, HOOK)).to.equal(false);
    const event = as().webhooks!.read({ headers: good, rawBody });
    expect(event.deliveryId).to.equal('e-1');
    expect(event.items[0]).to.deep.include({ done: true, updatedBy: 'Megan Bowen', marker: NEW.marker });
  });

  it('npm run doctor files nothing, and names a refused token, a read-only one and a done state the type lacks', async () => {
    const check = (pat: string, more: Record<string, string> = {}) => trackersCheck.run({ config: { trackers: [{ name: 'ops', settings: { kind: 'azureDevOps', ...settings(pat, more) } }] }, fetch } as unknown as DoctorDeps);
    expect(await check('good-pat')).to.deep.include({ verdict: 'ok' });
    expect(ado.workItems.size, 'validateOnly: nothing saved').to.equal(0);
    expect((await check('wrong')).detail).to.contain('refused the personal access token (401)');
    expect((await check('read-pat')).detail).to.contain('may not write work items (403)');
    expect((await check('good-pat', { doneState: 'Done' })).detail).to.contain('Task has no state Done (its states: New, Active, Closed, Removed)');
  });
});
