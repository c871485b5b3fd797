import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../config.js';
import { checkConfig } from '../../admin/checkConfig.js';
import { tenantConfigFile } from '../helpers/testApp.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const FILE = {
  trackers: {
    'payments-github': { system: 'github', repo: 'contoso/payments-actions', tokenVariable: 'GITHUB_TOKEN_PAYMENTS', webhookSecretVariable: 'GITHUB_WEBHOOK_SECRET_PAYMENTS' },
    'ops-jira': { system: 'jira', siteUrl: 'https://contoso.atlassian.net', projectKey: 'OPS', email: 'ir@contoso.example', apiTokenVariable: 'JIRA_TOKEN_OPS' },
  },
  default: { types: { 'internal-tooling': { tracker: 'none' } } },
  tenants: { [TENANT]: { name: 'Payments', tracker: 'payments-github', types: { security: { tracker: 'default' }, 'data-incident': { tracker: 'ops-jira' } } } },
};
const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('trackers per tenant and per incident type (TENANT_CONFIG_FILE), secrets by variable name', () => {
  const env = { TRACKER: 'github', TENANT_CONFIG_FILE: tenantConfigFile(FILE), GITHUB_TOKEN_PAYMENTS: 'a-token', GITHUB_WEBHOOK_SECRET_PAYMENTS: 'a-secret-of-sixteen+', JIRA_TOKEN_OPS: 'a-jira-token' };

  it("picks the type's tracker, else the tenant's, else TRACKER's, and reads the secrets from the variables named", () => {
    const config = loadConfig(env);
    expect(config.trackers.map((t) => t.name)).to.deep.equal(['default', 'payments-github', 'ops-jira']);
    expect(config.trackers[2]!.settings).to.deep.equal({ kind: 'jira', siteUrl: 'https://contoso.atlassian.net', email: 'ir@contoso.example', apiToken: 'a-jira-token', projectKey: 'OPS', issueType: 'Task' });
    expect(config.trackers[1]!.settings).to.deep.include({ kind: 'github', repo: 'contoso/payments-actions', token: 'a-token', webhookSecret: 'a-secret-of-sixteen+', apiUrl: 'https://api.github.com' });
    const of = (tenantId: string, type?: string) => config.profiles.trackerOf({ tenantId, type });
    expect(of(TENANT)).to.equal('payments-github');
    expect(of(TENANT, 'security')).to.equal('default');
    expect(of(TENANT, 'internal-tooling')).to.equal('none');
    expect(of(TENANT, 'data-incident')).to.equal('ops-jira');
    expect(of('another-tenant')).to.equal('default');
    expect(of('another-tenant', 'internal-tooling')).to.equal('none');
  });

  it('names an unset variable, a pick of no tracker, and a secret written where its name belongs', () => {
    expect(problemsOf({ ...env, GITHUB_TOKEN_PAYMENTS: '' })).to.deep.include('TENANT_CONFIG_FILE trackers.payments-github: the environment variable GITHUB_TOKEN_PAYMENTS (its token) is not set');
    const withoutDefault = problemsOf({ ...env, TRACKER: 'none' });
    expect(withoutDefault.join('\n')).to.contain(`tenants.${TENANT}.types.security.tracker: there is no tracker "default"; the trackers are payments-github, ops-jira, or "none"`);
    const leaked = problemsOf({ TENANT_CONFIG_FILE: tenantConfigFile({ trackers: { x1: { system: 'github', repo: 'a/b', tokenVariable: 'ghp_1234secret' } } }) });
    expect(leaked.join('\n')).to.contain('trackers.x1.tokenVariable').and.contain('the name of an environment variable');
    expect(leaked.join('\n')).not.to.contain('ghp_1234secret');
  });

  it('npm run check-config says where each tenant’s action items go', () => {
    const result = checkConfig(env);
    expect(result.ok, result.lines.join('\n')).to.equal(true);
    const text = result.lines.join('\n');
    expect(text).to.contain('action items: to the tracker "default" (GitHub contoso/incident-actions)');
    expect(text).to.contain('action items: to the tracker "payments-github" (GitHub contoso/payments-actions); type security: "default"; type data-incident: "ops-jira"; type internal-tooling: none');
  });
});
