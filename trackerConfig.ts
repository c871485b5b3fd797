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
  TRACKER: z.enum(['none', 'github', 'jira']).default('none'),
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
};

type TrackerEnv = z.infer<z.ZodObject<typeof trackerEnv>>;

export type GitHubSettings = { readonly kind: 'github'; readonly apiUrl?: string; readonly repo: string; readonly token: string; readonly webhookSecret?: string };
/** `siteUrl` absent: local mode's Jira stand-in. */
export type JiraSettings = { readonly kind: 'jira'; readonly siteUrl?: string; readonly email: string; readonly apiToken: string; readonly projectKey: string; readonly issueType: string; readonly webhookSecret?: string };
export type TrackerSettings = GitHubSettings | JiraSettings;

const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;

export function trackerSettings(e: TrackerEnv, mode: 'local' | 'real', problems: string[]): TrackerSettings | undefined {
  const required = (name: keyof TrackerEnv, why: string) => mode === 'real' && !e[name] && problems.push(`${name} is required with TRACKER=${e.TRACKER} (${why})`);
  const secret = (name: 'GITHUB_WEBHOOK_SECRET' | 'JIRA_WEBHOOK_SECRET') => {
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
  return undefined;
}

/** A tracker by the name tenants and types pick it by ("default": TRACKER's). */
export interface NamedTracker {
  readonly name: string;
  readonly settings: TrackerSettings;
}

function fromDefinition(name: string, definition: TrackerDefinition, env: Record<string, string | undefined>, problems: string[]): TrackerSettings {
  const where = `TENANT_CONFIG_FILE trackers.${name}`;
  const tokenVariable = definition.system === 'github' ? definition.tokenVariable : definition.apiTokenVariable;
  const token = env[tokenVariable]?.trim();
  const secret = definition.webhookSecretVariable ? env[definition.webhookSecretVariable]?.trim() : undefined;
  if (!token) problems.push(`${where}: the environment variable ${tokenVariable} (its token) is not set`);
  if (definition.webhookSecretVariable && !secret) problems.push(`${where}: the environment variable ${definition.webhookSecretVariable} (its webhook secret) is not set`);
  else if (secret !== undefined && secret.length < 16) problems.push(`${where}: ${definition.webhookSecretVariable} must be at least 16 characters`);
  const webhook = secret ? { webhookSecret: secret } : {};
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
  return settings.kind === 'github' ? `GitHub ${settings.repo}` : `Jira ${settings.projectKey}${settings.siteUrl ? ` at ${settings.siteUrl}` : ''}`;
}
