/**
 * Which tracker a tenant's (or an incident type's) action items go to, as TENANT_CONFIG_FILE
 * says: `trackers` defines them by name (the secrets by the names of the environment variables
 * holding them, never the secrets themselves), `tracker` on a tenant or a type picks one by
 * name, or "none". "default" is the deployment's own (TRACKER and its settings).
 */
import { z } from 'zod';

export const TRACKER_NAME = /^[a-z][a-z0-9-]{1,29}$/;
const ENV_NAME = z.string().regex(/^[A-Z][A-Z0-9_]{1,79}$/, 'is the name of an environment variable (capitals, digits and _), not the secret itself');

export const trackerDefinitionSchema = z.discriminatedUnion(
  'system',
  [
    z
      .object({
        system: z.literal('github'),
        repo: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'is owner/name, like contoso/incident-actions'),
        /** GitHub Enterprise Server's https://<host>/api/v3; api.github.com when absent. */
        apiUrl: z.string().url().optional(),
        tokenVariable: ENV_NAME,
        webhookSecretVariable: ENV_NAME.optional(),
      })
      .strict(),
    z
      .object({
        system: z.literal('jira'),
        siteUrl: z.string().url().regex(/^https:\/\//, 'is your site, like https://contoso.atlassian.net'),
        projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{1,9}$/, 'is a project key, like OPS'),
        issueType: z.string().trim().min(1).max(60).optional(),
        /** The Atlassian account the API token belongs to (not a secret). */
        email: z.string().email(),
        apiTokenVariable: ENV_NAME,
        webhookSecretVariable: ENV_NAME.optional(),
      })
      .strict(),
    z
      .object({
        system: z.literal('azureDevOps'),
        organizationUrl: z.string().url().regex(/^https:\/\//, 'is your organization, like https://dev.azure.com/contoso'),
        project: z.string().trim().min(1).max(64),
        workItemType: z.string().trim().min(1).max(128).optional(),
        doneState: z.string().trim().min(1).max(128).optional(),
        reopenState: z.string().trim().min(1).max(128).optional(),
        patVariable: ENV_NAME,
        /** The service hook's basic authentication: the user name here, the password in a variable. */
        hookUsername: z.string().trim().min(1).max(100).optional(),
        hookPasswordVariable: ENV_NAME.optional(),
      })
      .strict(),
    /** Through Microsoft Graph with the app's own credentials (Tasks.ReadWrite.All): no secret of its own. */
    z.object({ system: z.literal('planner'), planId: z.string().trim().min(1).max(100), bucketId: z.string().trim().min(1).max(100) }).strict(),
  ],
  { error: () => 'each tracker needs a "system": github, jira, azureDevOps or planner' },
);
export type TrackerDefinition = z.infer<typeof trackerDefinitionSchema>;

export const trackerDefinitionsSchema = z.record(z.string().regex(TRACKER_NAME), trackerDefinitionSchema, {
  error: (issue) => (issue.code === 'invalid_key' ? 'tracker names are lowercase letters, digits and dashes, starting with a letter (2–30), like "payments-github"' : undefined),
});

/** A tracker's name, "default" (the deployment's TRACKER) or "none". */
export const trackerPickSchema = z.string().regex(TRACKER_NAME, 'names a tracker of "trackers", or is "default" or "none"');

/** The type's choice, else the tenant's, else the deployment's default (when it has one). */
export function pickTracker(picks: { readonly type?: string; readonly tenant?: string }): string {
  const pick = picks.type ?? picks.tenant ?? 'default';
  return pick;
}

/** The picks that name no tracker: each with its place in the file. */
export function unknownPicks(picks: readonly { where: string; pick?: string }[], known: readonly string[]): string[] {
  return picks
    .filter((p) => p.pick !== undefined && p.pick !== 'none' && !known.includes(p.pick))
    .map((p) => `${p.where}.tracker: there is no tracker "${p.pick}"; the trackers are ${known.length > 0 ? known.join(', ') : 'none (set TRACKER, or define "trackers" in TENANT_CONFIG_FILE)'}, or "none"`);
}
