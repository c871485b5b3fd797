/**
 * The action items' tracker (TRACKER), read from the environment config.ts parsed: which one,
 * where, and which secrets. Local mode runs the tracker's stand-in with known credentials.
 */
import { z } from 'zod';
import { LOCAL } from './local/defaults.js';

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
