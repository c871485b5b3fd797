/**
 * The action items' tracker (TRACKER), read from the environment config.ts parsed: which one,
 * where, and which secrets. Local mode runs the tracker's stand-in with known credentials.
 */
import { z } from 'zod';
import { LOCAL } from './local/defaults.js';
import type { TenantProfiles } from './models/incident/tenantProfile.js';
import { unknownPicks } from './models/followThrough/trackerChoice.js';

const optionalText = z.string().trim().optional().transform((value) => (value ? value : undefined));

export const trackerEnv = {
  TRACKER: z.enum(['none', 'github']).default('none'),
  GITHUB_API_URL: z.string().trim().url().optional(),
  GITHUB_REPO: optionalText,
  GITHUB_TOKEN: optionalText,
  GITHUB_WEBHOOK_SECRET: optionalText,
};

type TrackerEnv = z.infer<z.ZodObject<typeof trackerEnv>>;

export type TrackerSettings = { readonly kind: 'github'; readonly apiUrl?: string; readonly repo: string; readonly token: string; readonly webhookSecret?: string };

export function trackerSettings(e: TrackerEnv, mode: 'local' | 'real', problems: string[]): TrackerSettings | undefined {
  if (e.TRACKER !== 'github') return undefined;
  if (mode === 'real') {
    if (!e.GITHUB_REPO) problems.push('GITHUB_REPO is required with TRACKER=github (the repository for action items, as owner/name)');
    if (!e.GITHUB_TOKEN) problems.push('GITHUB_TOKEN is required with TRACKER=github (a token with Issues: Read and write on GITHUB_REPO)');
    if (e.GITHUB_WEBHOOK_SECRET !== undefined && e.GITHUB_WEBHOOK_SECRET.length < 16) problems.push('GITHUB_WEBHOOK_SECRET must be at least 16 characters (the secret of the repository webhook)');
  }
  if (e.GITHUB_REPO !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(e.GITHUB_REPO)) problems.push(`GITHUB_REPO must be owner/name (e.g. contoso/incident-actions), not ${e.GITHUB_REPO.slice(0, 80)}`);
  return {
    kind: 'github',
    apiUrl: e.GITHUB_API_URL ?? (mode === 'real' ? 'https://api.github.com' : undefined),
    repo: e.GITHUB_REPO ?? LOCAL.github.repo,
    token: e.GITHUB_TOKEN ?? LOCAL.github.token,
    webhookSecret: e.GITHUB_WEBHOOK_SECRET ?? (mode === 'local' ? LOCAL.github.webhookSecret : undefined),
  };
}

/** A tracker by the name tenants and types pick it by ("default": TRACKER's). */
export interface NamedTracker {
  readonly name: string;
  readonly settings: TrackerSettings;
}

/**
 * The deployment's trackers: TRACKER's as "default", and those TENANT_CONFIG_FILE defines, their
 * secrets read from the environment variables it names. Every tenant's and type's pick must
 * name one of them (or "none").
 */
export function resolveTrackers(env: Record<string, string | undefined>, profiles: TenantProfiles, fallback: TrackerSettings | undefined, problems: string[]): NamedTracker[] {
  const trackers: NamedTracker[] = fallback ? [{ name: 'default', settings: fallback }] : [];
  for (const [name, definition] of Object.entries(profiles.trackers)) {
    const token = env[definition.tokenVariable]?.trim();
    const secret = definition.webhookSecretVariable ? env[definition.webhookSecretVariable]?.trim() : undefined;
    if (!token) problems.push(`TENANT_CONFIG_FILE trackers.${name}: the environment variable ${definition.tokenVariable} (its token) is not set`);
    if (definition.webhookSecretVariable && !secret) problems.push(`TENANT_CONFIG_FILE trackers.${name}: the environment variable ${definition.webhookSecretVariable} (its webhook secret) is not set`);
    else if (secret !== undefined && secret.length < 16) problems.push(`TENANT_CONFIG_FILE trackers.${name}: ${definition.webhookSecretVariable} must be at least 16 characters`);
    trackers.push({ name, settings: { kind: definition.system, repo: definition.repo, token: token ?? '', apiUrl: definition.apiUrl ?? 'https://api.github.com', ...(secret ? { webhookSecret: secret } : {}) } });
  }
  const layers = [{ where: 'default', profile: profiles.fallback }, ...profiles.tenants().map((t) => ({ where: `tenants.${t.id}`, profile: t.profile }))];
  const picks = layers.flatMap(({ where, profile }) => [{ where, pick: profile.tracker }, ...profile.types.list.map((type) => ({ where: `${where}.types.${type.id}`, pick: type.tracker }))]);
  problems.push(...new Set(unknownPicks(picks, trackers.map((t) => t.name)).map((p) => `TENANT_CONFIG_FILE ${p}`)));
  return trackers;
}
