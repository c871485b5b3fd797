import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { JiraTracker, verifyJiraSignature } from '../../adapters/trackers/jira.js';
import { JiraStandIn } from '../../local/standins/jiraStandIn.js';
import { trackersCheck } from '../../admin/trackerChecks.js';
import type { DoctorDeps } from '../../admin/doctorChecks.js';
import { PermanentError, TransientError } from '../../models/support/errors.js';

const ACCOUNT = { email: 'ir@contoso.example', apiToken: 'good-token', displayName: 'incident-room' };
const READER = { email: 'reader@contoso.example', apiToken: 'reader-token' };
const SECRET = 'a-jira-webhook-secret';
const NEW = { title: 'Add a canary stage', owner: 'Megan Bowen', due: '2026-12-15', done: false, marker: 'incident-room:0123456789abcdef01234567/action-1', incidentLink: 'https://teams.example/tab', labels: ['INC-7', 'proper fix'] };

describe('Jira Cloud tracker adapter, against the Jira stand-in (REST v3 as documented)', () => {
  let jira: JiraStandIn;
  const as = (account: { email: string; apiToken: string }, projectKey = 'OPS', issueType = 'Task') => new JiraTracker({ siteUrl: jira.url, ...account, projectKey, issueType, webhookSecret: SECRET });
  beforeEach(async () => {
    jira = new JiraStandIn('OPS', ACCOUNT, SECRET, [READER]);
    await jira.start();
  });
  afterEach(() => jira.stop());

  it('creates with an ADF description and its marker as a label, finds it by JQL, edits, transitions to Done and back', async () => {
    const tracker = as(ACCOUNT);
    const created = await tracker.create(NEW);
    expect(created).to.deep.include({ title: 'Add a canary stage', owner: 'Megan Bowen', due: '2026-12-15', done: false, marker: NEW.marker });
    expect(created.ref).to.deep.equal({ system: 'jira', key: 'OPS-1', url: `${jira.url}/browse/OPS-1` });
    expect(jira.issues.get('OPS-1')!.labels).to.deep.equal(['incident-room', 'incident-room_0123456789abcdef01234567_action-1', 'INC-7', 'proper-fix']);
    expect((await tracker.find(NEW.marker))?.ref.key).to.equal('OPS-1');
    expect(await tracker.find('incident-room:0123456789abcdef01234567/other')).to.equal(undefined);
    expect(await tracker.update(created.ref, { owner: 'Lee Gu', due: '', done: true })).to.deep.include({ owner: 'Lee Gu', due: '', done: true });
    expect(jira.issues.get('OPS-1')!.status).to.equal('Done');
    expect((await tracker.update(created.ref, { done: false })).done).to.equal(false);
    expect((await tracker.changedSince(new Date(0))).map((i) => i.ref.key)).to.deep.equal(['OPS-1']);
    expect((await tracker.create({ ...NEW, marker: `${NEW.marker}-2`, done: true })).done, 'filed done').to.equal(true);
  });

  it('says what to fix on 401, 403 (an account that may only browse), 400 (an issue type the project does not have) and 404', async () => {
    const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a failure'), (e: unknown) => e as PermanentError);
    const unknown = await failure(as({ email: ACCOUNT.email, apiToken: 'wrong' }).create(NEW));
    expect(unknown).to.be.instanceOf(PermanentError);
    expect(unknown.message).to.contain('HTTP 401');
    expect(unknown.hint).to.contain('JIRA_API_TOKEN');
    const reader = await failure(as(READER).create(NEW));
    expect(reader.message).to.contain('HTTP 403').and.contain('You do not have permission to create issues in this project.');
    expect(reader.hint).to.contain('Create issues');
    expect((await failure(as(ACCOUNT, 'OPS', 'Epic').create(NEW))).message).to.contain('HTTP 400').and.contain('issuetype: Specify a valid issue type');
    expect((await failure(as(ACCOUNT).get({ system: 'jira', key: 'OPS-99', url: '' }))).hint).to.contain('JIRA_PROJECT_KEY');
  });

  it('treats 429 as "try again later", with its Retry-After', async () => {
    jira.faults.add({ method: 'POST', path: /\/issue$/, status: 429, retryAfterSeconds: 30, times: 1 });
    const throttled = await as(ACCOUNT).create(NEW).catch((e: unknown) => e as TransientError);
    expect(throttled).to.be.instanceOf(TransientError);
    expect((throttled as TransientError).retryAfterMs).to.equal(30_000);
  });

  it('checks X-Hub-Signature over the raw body, and reads issue events', () => {
    const rawBody = JSON.stringify({ webhookEvent: 'jira:issue_updated', user: { displayName: 'Megan Bowen' }, issue: { key: 'OPS-3', fields: { summary: 'T', duedate: '2026-12-01', labels: ['incident-room_0123456789abcdef01234567_action-1'], updated: '2026-12-01T10:00:00.000+0000', status: { statusCategory: { key: 'done' } } } } });
    const headers = { 'x-atlassian-webhook-identifier': 'd-1', 'x-hub-signature': `sha256=${createHmac('sha256', SECRET).update(rawBody).digest('hex')}` };
    expect(verifyJiraSignature({ headers, rawBody }, SECRET)).to.equal(true);
    expect(verifyJiraSignature({ headers, rawBody: `${rawBody}\n` }, SECRET)).to.equal(false);
    expect(verifyJiraSignature({ headers: { ...headers, 'x-hub-signature': undefined }, rawBody }, SECRET)).to.equal(false);
    const event = as(ACCOUNT).webhooks!.read({ headers, rawBody });
    expect(event.deliveryId).to.equal('d-1');
    expect(event.items[0]).to.deep.include({ due: '2026-12-01', done: true, updatedBy: 'Megan Bowen', marker: NEW.marker });
    expect(event.items[0]!.updatedAt.toISOString()).to.equal('2026-12-01T10:00:00.000Z');
  });

  it('npm run doctor names missing project permissions and a refused token', async () => {
    const deps = (account: { email: string; apiToken: string }) => ({ config: { trackers: [{ name: 'ops', settings: { kind: 'jira', siteUrl: jira.url, ...account, projectKey: 'OPS', issueType: 'Task', webhookSecret: SECRET } }] }, fetch }) as unknown as DoctorDeps;
    expect(await trackersCheck.run(deps(ACCOUNT))).to.deep.include({ verdict: 'ok' });
    expect((await trackersCheck.run(deps(READER))).detail).to.contain('lacks CREATE_ISSUES, EDIT_ISSUES, TRANSITION_ISSUES in OPS');
    expect((await trackersCheck.run(deps({ email: ACCOUNT.email, apiToken: 'x' }))).detail).to.contain('refused the email and API token (401)');
  });
});
