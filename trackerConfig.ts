/**
 * The action items' trackers, read from the environment config.ts parsed: TRACKER's (the
 * "default" one) and those TENANT_CONFIG_FILE defines by name, their secrets read from the
 * environment variables the file names. Local mode runs the default tracker's stand-in with
 * known credentials.
 */
import { z } from 'zod';
import { LOCAL } from './local/defaults.js';
import type { TenantProfiles } from './models/incident/tenantProfile.js';
import { unknownPicks, type TrackerDefinition } from './models/followThrough/trackerChoice.js';

const optionalText = z.string().trim().optional().transform((value) => (value ? value : undefined));

export const trackerEnv = {
  TRACKER: z.enum(['none', 'github', 'jira', 'azure-devops', 'planner']).default('none'),
  GITHUB_API_URL: z.string().trim().url().optional(),
  GITHUB_REPO: optionalText,
  GITHUB_TOKEN: optionalText,
  GITHUB_WEBHOOK_SECRET: optionalText,
  JIRA_SITE_URL: z.string().trim().url().optional(),
  JIRA_EMAIL: optionalText,
  JIRA_API_TOKEN: optionalText,
  JIRA_PROJECT_KEY: optionalText,
  JIRA_ISSUE_TYPE: z.string().trim().min(1).default('Task'),
  JIRA_WEBHOOK_SECRET: optionalText,
  AZURE_DEVOPS_ORG_URL: z.string().trim().url().optional(),
  AZURE_DEVOPS_PROJECT: optionalText,
  AZURE_DEVOPS_PAT: optionalText,
  AZURE_DEVOPS_WORK_ITEM_TYPE: z.string().trim().min(1).default('Task'),
  AZURE_DEVOPS_DONE_STATE: z.string().trim().min(1).default('Closed'),
  AZURE_DEVOPS_REOPEN_STATE: z.string().trim().min(1).default('New'),
  AZURE_DEVOPS_HOOK_USERNAME: optionalText,
  AZURE_DEVOPS_HOOK_PASSWORD: optionalText,
  PLANNER_PLAN_ID: optionalText,
  PLANNER_BUCKET_ID: optionalText,
};

type TrackerEnv = z.infer<z.ZodObject<typeof trackerEnv>>;

export type GitHubSettings = { readonly kind: 'github'; readonly apiUrl?: string; readonly repo: string; readonly token: string; readonly webhookSecret?: string };
/** `siteUrl` absent: local mode's Jira stand-in. */
export type JiraSettings = { readonly kind: 'jira'; readonly siteUrl?: string; readonly email: string; readonly apiToken: string; readonly projectKey: string; readonly issueType: string; readonly webhookSecret?: string };
/** `organizationUrl` absent: local mode's Azure DevOps stand-in. */
export type AzureDevOpsSettings = {
  readonly kind: 'azureDevOps'; readonly organizationUrl?: string; readonly project: string; readonly pat: string; readonly workItemType: string; readonly doneState: string; readonly reopenState: string;
  readonly hookAuth?: { readonly username: string; readonly password: string };
};
/** Planner goes through Microsoft Graph with the app's own credentials: no secret of its own. */
export type PlannerSettings = { readonly kind: 'planner'; readonly planId: string; readonly bucketId: string };
export type TrackerSettings = GitHubSettings | JiraSettings | AzureDevOpsSettings | PlannerSettings;

const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;

export function trackerSettings(e: TrackerEnv, mode: 'local' | 'real', problems: string[]): TrackerSettings | undefined {
  const required = (name: keyof TrackerEnv, why: string) => mode === 'real' && !e[name] && problems.push(`${name} is required with TRACKER=${e.TRACKER} (${why})`);
  const secret = (name: 'GITHUB_WEBHOOK_SECRET' | 'JIRA_WEBHOOK_SECRET' | 'AZURE_DEVOPS_HOOK_PASSWORD') => {
    if (mode === 'real' && e[name] !== undefined && e[name].length < 16) problems.push(`${name} must be at least 16 characters (the webhook's secret)`);
  };
  if (e.TRACKER === 'github') {
    required('GITHUB_REPO', 'the repository for action items, as owner/name');
    required('GITHUB_TOKEN', 'a token with Issues: Read and write on GITHUB_REPO');
    secret('GITHUB_WEBHOOK_SECRET');
    if (e.GITHUB_REPO !== undefined && !REPO.test(e.GITHUB_REPO)) problems.push(`GITHUB_REPO must be owner/name (e.g. contoso/incident-actions), not ${e.GITHUB_REPO.slice(0, 80)}`);
    return {
      kind: 'github',
      apiUrl: e.GITHUB_API_URL ?? (mode === 'real' ? 'https://api.github.com' : undefined),
      repo: e.GITHUB_REPO ?? LOCAL.github.repo,
      token: e.GITHUB_TOKEN ?? LOCAL.github.token,
      webhookSecret: e.GITHUB_WEBHOOK_SECRET ?? (mode === 'local' ? LOCAL.github.webhookSecret : undefined),
    };
  }
  if (e.TRACKER === 'jira') {
    required('JIRA_SITE_URL', 'your site, like https://contoso.atlassian.net');
    required('JIRA_EMAIL', 'the Atlassian account the API token belongs to');
    required('JIRA_API_TOKEN', 'an API token of that account');
    required('JIRA_PROJECT_KEY', 'the project for action items, like OPS');
    secret('JIRA_WEBHOOK_SECRET');
    if (e.JIRA_PROJECT_KEY !== undefined && !PROJECT_KEY.test(e.JIRA_PROJECT_KEY)) problems.push(`JIRA_PROJECT_KEY must be a project key (capitals and digits, like OPS), not ${e.JIRA_PROJECT_KEY.slice(0, 40)}`);
    return {
      kind: 'jira',
      siteUrl: e.JIRA_SITE_URL,
      email: e.JIRA_EMAIL ?? LOCAL.jira.email,
      apiToken: e.JIRA_API_TOKEN ?? LOCAL.jira.apiToken,
      projectKey: e.JIRA_PROJECT_KEY ?? LOCAL.jira.projectKey,
      issueType: e.JIRA_ISSUE_TYPE,
      webhookSecret: e.JIRA_WEBHOOK_SECRET ?? (mode === 'local' ? LOCAL.jira.webhookSecret : undefined),
    };
  }
  if (e.TRACKER === 'planner') {
    required('PLANNER_PLAN_ID', 'the plan’s id, from its URL in Planner or GET /groups/{id}/planner/plans');
    required('PLANNER_BUCKET_ID', 'the bucket’s id, from GET /planner/plans/{id}/buckets');
    return { kind: 'planner', planId: e.PLANNER_PLAN_ID ?? LOCAL.planner.planId, bucketId: e.PLANNER_BUCKET_ID ?? LOCAL.planner.bucketId };
  }
  if (e.TRACKER === 'azure-devops') {
    required('AZURE_DEVOPS_ORG_URL', 'your organization, like https://dev.azure.com/contoso');
    required('AZURE_DEVOPS_PROJECT', 'the project for action items');
    required('AZURE_DEVOPS_PAT', 'a personal access token with the Work Items (Read & write) scope');
    secret('AZURE_DEVOPS_HOOK_PASSWORD');
    if (Boolean(e.AZURE_DEVOPS_HOOK_USERNAME) !== Boolean(e.AZURE_DEVOPS_HOOK_PASSWORD)) problems.push('AZURE_DEVOPS_HOOK_USERNAME and AZURE_DEVOPS_HOOK_PASSWORD go together (the service hook’s basic authentication)');
    const local = mode === 'local' ? LOCAL.azureDevOps : undefined;
    const username = e.AZURE_DEVOPS_HOOK_USERNAME ?? local?.hookUsername;
    const password = e.AZURE_DEVOPS_HOOK_PASSWORD ?? local?.hookPassword;
    return {
      kind: 'azureDevOps',
      organizationUrl: e.AZURE_DEVOPS_ORG_URL,
      project: e.AZURE_DEVOPS_PROJECT ?? LOCAL.azureDevOps.project,
      pat: e.AZURE_DEVOPS_PAT ?? LOCAL.azureDevOps.pat,
      workItemType: e.AZURE_DEVOPS_WORK_ITEM_TYPE,
      doneState: e.AZURE_DEVOPS_DONE_STATE,
      reopenState: e.AZURE_DEVOPS_REOPEN_STATE,
      ...(username && password ? { hookAuth: { username, password } } : {}),
    };
  }
  return undefined;
}

/** A tracker by the name tenants and types pick it by ("default": TRACKER's). */
export interface NamedTracker {
  readonly name: string;
  readonly settings: TrackerSettings;
}

function fromDefinition(name: string, definition: TrackerDefinition, env: Record<string, string | undefined>, problems: string[]): TrackerSettings {
  if (definition.system === 'planner') return { kind: 'planner', planId: definition.planId, bucketId: definition.bucketId };
  const where = `TENANT_CONFIG_FILE trackers.${name}`;
  const tokenVariable = definition.system === 'github' ? definition.tokenVariable : definition.system === 'jira' ? definition.apiTokenVariable : definition.patVariable;
  const secretVariable = definition.system === 'azureDevOps' ? definition.hookPasswordVariable : definition.webhookSecretVariable;
  const token = env[tokenVariable]?.trim();
  const secret = secretVariable ? env[secretVariable]?.trim() : undefined;
  if (!token) problems.push(`${where}: the environment variable ${tokenVariable} (its token) is not set`);
  if (secretVariable && !secret) problems.push(`${where}: the environment variable ${secretVariable} (its webhook secret) is not set`);
  else if (secret !== undefined && secret.length < 16) problems.push(`${where}: ${secretVariable} must be at least 16 characters`);
  const webhook = secret ? { webhookSecret: secret } : {};
  if (definition.system === 'azureDevOps') {
    const hookAuth = definition.hookUsername && secret ? { hookAuth: { username: definition.hookUsername, password: secret } } : {};
    return { kind: 'azureDevOps', organizationUrl: definition.organizationUrl, project: definition.project, pat: token ?? '', workItemType: definition.workItemType ?? 'Task', doneState: definition.doneState ?? 'Closed', reopenState: definition.reopenState ?? 'New', ...hookAuth };
  }
  if (definition.system === 'github') return { kind: 'github', repo: definition.repo, token: token ?? '', apiUrl: definition.apiUrl ?? 'https://api.github.com', ...webhook };
  return { kind: 'jira', siteUrl: definition.siteUrl, email: definition.email, apiToken: token ?? '', projectKey: definition.projectKey, issueType: definition.issueType ?? 'Task', ...webhook };
}

/**
 * The deployment's trackers: TRACKER's as "default", and those TENANT_CONFIG_FILE defines. Every
 * tenant's and type's pick must name one of them (or "none").
 */
export function resolveTrackers(env: Record<string, string | undefined>, profiles: TenantProfiles, fallback: TrackerSettings | undefined, problems: string[]): NamedTracker[] {
  const trackers: NamedTracker[] = fallback ? [{ name: 'default', settings: fallback }] : [];
  for (const [name, definition] of Object.entries(profiles.trackers)) trackers.push({ name, settings: fromDefinition(name, definition, env, problems) });
  const layers = [{ where: 'default', profile: profiles.fallback }, ...profiles.tenants().map((t) => ({ where: `tenants.${t.id}`, profile: t.profile }))];
  const picks = layers.flatMap(({ where, profile }) => [{ where, pick: profile.tracker }, ...profile.types.list.map((type) => ({ where: `${where}.types.${type.id}`, pick: type.tracker }))]);
  problems.push(...new Set(unknownPicks(picks, trackers.map((t) => t.name)).map((p) => `TENANT_CONFIG_FILE ${p}`)));
  return trackers;
}

/** As people read it: "GitHub contoso/incident-actions", "Jira OPS". */
export function describeTracker(settings: TrackerSettings): string {
  if (settings.kind === 'planner') return `Planner plan ${settings.planId}, bucket ${settings.bucketId}`;
  if (settings.kind === 'azureDevOps') return `Azure DevOps ${settings.project}${settings.organizationUrl ? ` at ${settings.organizationUrl}` : ''}`;
  return settings.kind === 'github' ? `GitHub ${settings.repo}` : `Jira ${settings.projectKey}${settings.siteUrl ? ` at ${settings.siteUrl}` : ''}`;
}
