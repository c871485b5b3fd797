import { expect } from 'chai';
import { trackersCheck } from '../../admin/trackerChecks.js';
import type { DoctorDeps } from '../../admin/doctorChecks.js';
import { loadConfig } from '../../config.js';
import { GitHubStandIn } from '../../local/standins/githubStandIn.js';

describe('npm run doctor: the action items’ tracker (against the GitHub stand-in)', () => {
  let gh: GitHubStandIn;
  beforeEach(async () => {
    gh = new GitHubStandIn('contoso/incident-actions', 'good-token', 'a-webhook-secret-of-16+', ['read-only-token']);
    await gh.start();
  });
  afterEach(() => gh.stop());
  const check = (settings: Record<string, string>) => trackersCheck.run({ config: loadConfig({ TRACKER: 'github', GITHUB_API_URL: gh.url, GITHUB_REPO: 'contoso/incident-actions', GITHUB_TOKEN: 'good-token', GITHUB_WEBHOOK_SECRET: 'a-webhook-secret-of-16+', ...settings }), fetch } as unknown as DoctorDeps);

  it('passes a token that may file issues, with a webhook secret', async () => {
    expect(await check({})).to.deep.include({ verdict: 'ok', detail: 'tracker "default": files issues in contoso/incident-actions; its webhooks are checked with the secret' });
  });

  it('names a wrong token, a repository it cannot see, a read-only token, issues turned off, and a missing webhook secret', async () => {
    expect(await check({ GITHUB_TOKEN: 'wrong' })).to.deep.include({ verdict: 'fail', detail: 'tracker "default": GitHub refused the token (401 Bad credentials)' });
    expect((await check({ GITHUB_REPO: 'contoso/elsewhere' })).detail).to.contain('cannot see contoso/elsewhere (HTTP 404)');
    expect((await check({ GITHUB_TOKEN: 'read-only-token' })).detail).to.contain('may read contoso/incident-actions but not close or label its issues');
    gh.hasIssues = false;
    expect((await check({})).fix).to.contain('Features → Issues');
    gh.hasIssues = true;
    const withoutSecret = { config: { trackers: [{ name: 'payments', settings: { kind: 'github', apiUrl: gh.url, repo: 'contoso/incident-actions', token: 'good-token' } }] }, fetch } as unknown as DoctorDeps;
    expect(await trackersCheck.run(withoutSecret)).to.deep.include({ verdict: 'warn' });
    expect((await trackersCheck.run({ config: loadConfig({}) } as unknown as DoctorDeps)).verdict).to.equal('skipped');
  });
});
