/**
 * `npm run doctor`'s check of the action items' trackers, each asked with its own credentials:
 * GitHub for the repository it files issues in (GET /repos/{owner}/{repo}), Jira for the
 * account's permissions in the project (GET /rest/api/3/mypermissions), so a wrong token, a
 * repository or project it cannot see, or missing write access show before an incident.
 */
import type { DoctorDeps, Finding } from './doctorChecks.js';
import type { AzureDevOpsSettings, JiraSettings } from '../trackerConfig.js';

type Verdict = Omit<Finding, 'check'>;

async function checkGitHub(deps: Pick<DoctorDeps, 'fetch'>, name: string, settings: { apiUrl?: string; repo: string; token: string; webhookSecret?: string }): Promise<Verdict> {
  const url = `${(settings.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '')}/repos/${settings.repo}`;
  let answer: Response;
  try {
    answer = await deps.fetch(url, { headers: { Authorization: `Bearer ${settings.token}`, Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' }, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    return { verdict: 'fail', detail: `tracker "${name}": GitHub did not answer (${(error as Error).message})`, fix: 'Check the network path to the GitHub API (proxy, firewall) and its URL.' };
  }
  if (answer.status === 401) return { verdict: 'fail', detail: `tracker "${name}": GitHub refused the token (401 Bad credentials)`, fix: 'Make a new token (fine-grained: Issues "Read and write" on the repository) and put it in the variable the setting names.' };
  if (answer.status === 404 || answer.status === 403) return { verdict: 'fail', detail: `tracker "${name}": the token cannot see ${settings.repo} (HTTP ${answer.status})`, fix: 'Check the repository name (owner/name) and give the token access to it.' };
  if (!answer.ok) return { verdict: 'warn', detail: `tracker "${name}": GitHub answered HTTP ${answer.status}`, fix: 'Try again; see https://www.githubstatus.com if it persists.' };
  const repo = (await answer.json()) as { has_issues?: boolean; permissions?: { push?: boolean; triage?: boolean } };
  if (repo.has_issues === false) return { verdict: 'fail', detail: `tracker "${name}": issues are turned off in ${settings.repo}`, fix: 'Turn them on: the repository’s Settings → General → Features → Issues.' };
  if (repo.permissions && !repo.permissions.push && !repo.permissions.triage) return { verdict: 'fail', detail: `tracker "${name}": the token may read ${settings.repo} but not close or label its issues`, fix: 'Give the token’s owner Triage (or Write) on the repository, and the token Issues "Read and write".' };
  if (!settings.webhookSecret) return { verdict: 'warn', detail: `tracker "${name}": ${settings.repo} reachable, but no webhook secret: edits made in GitHub are not taken back`, fix: 'Add a repository webhook (Issues events) to /api/trackers/github/webhook with a secret, and set the secret’s variable.' };
  return { verdict: 'ok', detail: `tracker "${name}": files issues in ${settings.repo}; its webhooks are checked with the secret` };
}

const JIRA_PERMISSIONS = ['BROWSE_PROJECTS', 'CREATE_ISSUES', 'EDIT_ISSUES', 'TRANSITION_ISSUES'];

async function checkJira(deps: Pick<DoctorDeps, 'fetch'>, name: string, settings: JiraSettings): Promise<Verdict> {
  if (!settings.siteUrl) return { verdict: 'skipped', detail: `tracker "${name}": local mode's Jira stand-in` };
  const url = `${settings.siteUrl.replace(/\/+$/, '')}/rest/api/3/mypermissions?projectKey=${encodeURIComponent(settings.projectKey)}&permissions=${JIRA_PERMISSIONS.join(',')}`;
  let answer: Response;
  try {
    answer = await deps.fetch(url, { headers: { Authorization: `Basic ${Buffer.from(`${settings.email}:${settings.apiToken}`).toString('base64')}`, Accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    return { verdict: 'fail', detail: `tracker "${name}": Jira did not answer (${(error as Error).message})`, fix: 'Check JIRA_SITE_URL and the network path to it.' };
  }
  if (answer.status === 401) return { verdict: 'fail', detail: `tracker "${name}": Jira refused the email and API token (401)`, fix: 'Make a new API token for that account (id.atlassian.com → Security → API tokens) and check the email.' };
  if (answer.status === 404 || answer.status === 400) return { verdict: 'fail', detail: `tracker "${name}": there is no project ${settings.projectKey} the account can see (HTTP ${answer.status})`, fix: 'Check the project key, and that the account may browse the project.' };
  if (!answer.ok) return { verdict: 'warn', detail: `tracker "${name}": Jira answered HTTP ${answer.status}`, fix: 'Try again; see https://jira-software.status.atlassian.com if it persists.' };
  const { permissions } = (await answer.json()) as { permissions: Record<string, { havePermission?: boolean }> };
  const missing = JIRA_PERMISSIONS.filter((p) => !permissions[p]?.havePermission);
  if (missing.length > 0) return { verdict: 'fail', detail: `tracker "${name}": the account lacks ${missing.join(', ')} in ${settings.projectKey}`, fix: 'Grant them in the project’s permission scheme (Project settings → Permissions) to the account or a group it is in.' };
  if (!settings.webhookSecret) return { verdict: 'warn', detail: `tracker "${name}": ${settings.projectKey} writable, but no webhook secret: edits made in Jira are not taken back`, fix: 'Add an admin webhook (System → WebHooks) for issue created and updated to /api/trackers/jira/webhook with a secret, and set its variable.' };
  return { verdict: 'ok', detail: `tracker "${name}": files issues in ${settings.projectKey}; its webhooks are checked with the secret` };
}

/** A validateOnly create (the token's write scope, the type and its rules; nothing is saved), then the type's states. */
async function checkAzureDevOps(deps: Pick<DoctorDeps, 'fetch'>, name: string, settings: AzureDevOpsSettings): Promise<Verdict> {
  if (!settings.organizationUrl) return { verdict: 'skipped', detail: `tracker "${name}": local mode's Azure DevOps stand-in` };
  const base = `${settings.organizationUrl.replace(/\/+$/, '')}/${encodeURIComponent(settings.project)}/_apis/wit`;
  const headers = { Authorization: `Basic ${Buffer.from(`:${settings.pat}`).toString('base64')}`, Accept: 'application/json' };
  let created: Response;
  let states: Response;
  try {
    created = await deps.fetch(`${base}/workitems/$${encodeURIComponent(settings.workItemType)}?validateOnly=true&api-version=7.1`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json-patch+json' }, body: JSON.stringify([{ op: 'add', path: '/fields/System.Title', value: 'incident-room doctor (not saved)' }]), signal: AbortSignal.timeout(10_000) });
    states = await deps.fetch(`${base}/workitemtypes/${encodeURIComponent(settings.workItemType)}/states?api-version=7.1`, { headers, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    return { verdict: 'fail', detail: `tracker "${name}": Azure DevOps did not answer (${(error as Error).message})`, fix: 'Check AZURE_DEVOPS_ORG_URL and the network path to it.' };
  }
  if (created.status === 401) return { verdict: 'fail', detail: `tracker "${name}": Azure DevOps refused the personal access token (401)`, fix: 'Make a new token (User settings → Personal access tokens) with the Work Items (Read & write) scope.' };
  if (created.status === 403) return { verdict: 'fail', detail: `tracker "${name}": the token may not write work items (403)`, fix: 'Give the token the Work Items (Read & write) scope, and its owner Contributor on the project.' };
  if (created.status === 404) return { verdict: 'fail', detail: `tracker "${name}": no project ${settings.project} with a work item type ${settings.workItemType} the token can see`, fix: 'Check AZURE_DEVOPS_PROJECT and AZURE_DEVOPS_WORK_ITEM_TYPE.' };
  if (!created.ok) return { verdict: 'fail', detail: `tracker "${name}": a ${settings.workItemType} could not be filed (HTTP ${created.status}: ${(await created.text()).slice(0, 200)})`, fix: 'The type has a rule incident-room does not fill (a required field): choose another AZURE_DEVOPS_WORK_ITEM_TYPE.' };
  const names = states.ok ? ((await states.json()) as { value: { name: string }[] }).value.map((s) => s.name) : [];
  const wrong = [settings.doneState, settings.reopenState].filter((state) => !names.includes(state));
  if (wrong.length > 0) return { verdict: 'fail', detail: `tracker "${name}": ${settings.workItemType} has no state ${wrong.join(' or ')} (its states: ${names.join(', ') || 'unknown'})`, fix: 'Set AZURE_DEVOPS_DONE_STATE and AZURE_DEVOPS_REOPEN_STATE to states of the type.' };
  if (!settings.hookAuth) return { verdict: 'warn', detail: `tracker "${name}": ${settings.project} writable, but no service hook credentials: edits made in Boards are not taken back`, fix: 'Add a Web Hooks service hook (work item created and updated) to /api/trackers/azureDevOps/webhook with basic authentication, and set AZURE_DEVOPS_HOOK_USERNAME and AZURE_DEVOPS_HOOK_PASSWORD.' };
  return { verdict: 'ok', detail: `tracker "${name}": files ${settings.workItemType} work items in ${settings.project}; its service hook is checked with its credentials` };
}

/** Planner goes through Graph with the app's token: its permission is the permissions:planner check's. */
async function checkPlanner(name: string): Promise<Verdict> {
  return { verdict: 'ok', detail: `tracker "${name}": Planner, through Microsoft Graph (see permissions:planner); polled, it sends no webhooks` };
}

export const trackersCheck = {
  name: 'trackers',
  async run(deps: DoctorDeps): Promise<Verdict> {
    const trackers = deps.config.trackers;
    if (trackers.length === 0) return { verdict: 'skipped', detail: 'no tracker for post-mortem action items (TRACKER, or "trackers" in TENANT_CONFIG_FILE)' };
    const verdicts = await Promise.all(trackers.map((t) => (t.settings.kind === 'github' ? checkGitHub(deps, t.name, t.settings) : t.settings.kind === 'jira' ? checkJira(deps, t.name, t.settings) : t.settings.kind === 'azureDevOps' ? checkAzureDevOps(deps, t.name, t.settings) : checkPlanner(t.name))));
    const worst = verdicts.find((v) => v.verdict === 'fail') ?? verdicts.find((v) => v.verdict === 'warn') ?? verdicts[0]!;
    return { verdict: worst.verdict, detail: verdicts.map((v) => v.detail).join('; '), ...(worst.fix ? { fix: worst.fix } : {}) };
  },
};
