/**
 * `npm run doctor`'s check of the action items' trackers: each one is asked, with its own token,
 * for the repository it files issues in (GET /repos/{owner}/{repo}), so a wrong token, a
 * repository it cannot see, issues turned off or a read-only token show before an incident.
 */
import type { DoctorDeps, Finding } from './doctorChecks.js';

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

export const trackersCheck = {
  name: 'trackers',
  async run(deps: DoctorDeps): Promise<Verdict> {
    const trackers = deps.config.trackers;
    if (trackers.length === 0) return { verdict: 'skipped', detail: 'no tracker for post-mortem action items (TRACKER, or "trackers" in TENANT_CONFIG_FILE)' };
    const verdicts = await Promise.all(trackers.map((t) => checkGitHub(deps, t.name, t.settings)));
    const worst = verdicts.find((v) => v.verdict === 'fail') ?? verdicts.find((v) => v.verdict === 'warn') ?? verdicts[0]!;
    return { verdict: worst.verdict, detail: verdicts.map((v) => v.detail).join('; '), ...(worst.fix ? { fix: worst.fix } : {}) };
  },
};
