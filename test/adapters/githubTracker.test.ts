import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { GitHubTracker, verifyGitHubSignature } from '../../adapters/trackers/github.js';
import { GitHubStandIn } from '../../local/standins/githubStandIn.js';
import { PermanentError, TransientError } from '../../models/support/errors.js';

const REPO = 'contoso/incident-actions';
const NEW = { title: 'Add a canary stage', owner: 'Megan Bowen', due: '2026-12-15', done: false, marker: 'incident-room:0123456789abcdef01234567/action-1', incidentLink: 'https://teams.example/tab', labels: ['INC-7', 'proper fix'] };

describe('GitHub tracker adapter, against the GitHub stand-in (REST issues as documented)', () => {
  let gh: GitHubStandIn;
  let tracker: GitHubTracker;
  const as = (token: string, repo = REPO) => new GitHubTracker({ apiUrl: gh.url, repo, token, webhookSecret: 'a-webhook-secret-of-16+' });
  beforeEach(async () => {
    gh = new GitHubStandIn(REPO, 'good-token', 'a-webhook-secret-of-16+', ['read-only-token']);
    await gh.start();
    tracker = as('good-token');
  });
  afterEach(() => gh.stop());

  it('creates, reads, finds by marker, updates and closes an issue; lists changes since a time', async () => {
    const created = await tracker.create(NEW);
    expect(created).to.deep.include({ title: 'Add a canary stage', owner: 'Megan Bowen', due: '2026-12-15', done: false, marker: NEW.marker });
    expect(created.ref).to.deep.equal({ system: 'github', key: '#1', url: `https://github.com/${REPO}/issues/1` });
    expect(gh.issues.get(1)!.labels).to.deep.equal(['incident-room', 'INC-7', 'proper fix']);
    expect((await tracker.find(NEW.marker))?.ref.key).to.equal('#1');
    expect(await tracker.find('incident-room:0123456789abcdef01234567/other')).to.equal(undefined);
    const updated = await tracker.update(created.ref, { owner: 'Lee Gu', due: '', done: true });
    expect(updated).to.deep.include({ owner: 'Lee Gu', due: '', done: true, title: 'Add a canary stage' });
    expect(gh.issues.get(1)!.state_reason).to.equal('completed');
    expect((await tracker.changedSince(new Date(Date.now() + 3_600_000))).length).to.equal(0);
    expect((await tracker.changedSince(new Date(0))).map((i) => i.ref.key)).to.deep.equal(['#1']);
    // An item already done when filed is filed closed.
    expect((await tracker.create({ ...NEW, marker: `${NEW.marker}-2`, done: true })).done).to.equal(true);
  });

  it('says what to fix on 401, 403 (a read-only token), 404 (a repository it cannot see) and 422', async () => {
    const failure = async (promise: Promise<unknown>) => promise.then(() => expect.fail('expected a failure'), (e: unknown) => e as PermanentError);
    const bad = await failure(as('wrong').create(NEW));
    expect(bad).to.be.instanceOf(PermanentError);
    expect(bad.message).to.contain('HTTP 401').and.contain('Bad credentials');
    expect(bad.hint).to.contain('GITHUB_TOKEN');
    const readOnly = await failure(as('read-only-token').create(NEW));
    expect(readOnly.message).to.contain('HTTP 403').and.contain('Resource not accessible by personal access token');
    expect(readOnly.hint).to.contain('Issues "Read and write"');
    expect((await failure(as('good-token', 'contoso/elsewhere').create(NEW))).hint).to.contain('GITHUB_REPO');
    expect((await failure(tracker.create({ ...NEW, title: '' }))).message).to.contain('HTTP 422').and.contain('missing_field');
  });

  it('treats 429 as "try again later", with the Retry-After it gave', async () => {
    gh.faults.add({ method: 'POST', path: /\/issues$/, status: 429, retryAfterSeconds: 42, times: 1 });
    const throttled = await tracker.create(NEW).catch((e: unknown) => e as TransientError);
    expect(throttled).to.be.instanceOf(TransientError);
    expect((throttled as TransientError).retryAfterMs).to.equal(42_000);
  });

  it('checks X-Hub-Signature-256 over the raw body, and reads issues events', () => {
    const rawBody = JSON.stringify({ action: 'closed', issue: { number: 3, title: 'T', body: `Owner: Lee\nDue: 2026-12-01\n<!-- ${NEW.marker} -->`, state: 'closed', html_url: 'https://github.com/x/3', updated_at: '2026-12-01T10:00:00Z' }, sender: { login: 'octocat', type: 'User' } });
    const signature = `sha256=${createHmac('sha256', 'a-webhook-secret-of-16+').update(rawBody).digest('hex')}`;
    const headers = { 'x-github-event': 'issues', 'x-github-delivery': 'd-1', 'x-hub-signature-256': signature };
    expect(verifyGitHubSignature({ headers, rawBody }, 'a-webhook-secret-of-16+')).to.equal(true);
    expect(verifyGitHubSignature({ headers, rawBody: `${rawBody} ` }, 'a-webhook-secret-of-16+')).to.equal(false);
    expect(verifyGitHubSignature({ headers: { ...headers, 'x-hub-signature-256': undefined }, rawBody }, 'a-webhook-secret-of-16+')).to.equal(false);
    expect(verifyGitHubSignature({ headers, rawBody }, 'another-secret-0000')).to.equal(false);
    const event = tracker.webhooks!.read({ headers, rawBody });
    expect(event.deliveryId).to.equal('d-1');
    expect(event.items[0]).to.deep.include({ owner: 'Lee', due: '2026-12-01', done: true, updatedBy: 'octocat' });
    expect(tracker.webhooks!.read({ headers: { ...headers, 'x-github-event': 'ping' }, rawBody: '{}' }).items).to.deep.equal([]);
  });
});
