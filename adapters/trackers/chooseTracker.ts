import type { Config } from '../../config.js';
import type { TrackerSettings } from '../../trackerConfig.js';
import { ConfigError } from '../../config.js';
import type { Tracker } from '../../models/ports/tracker.js';
import { ActionItemTracking, type ActionItemTrackingDeps } from '../../models/followThrough/actionItemTracking.js';
import { GitHubTracker } from './github.js';
import { JiraTracker } from './jira.js';
import { AzureDevOpsTracker } from './azureDevOps.js';
import { PlannerTracker } from './planner.js';
import type { Client } from '@microsoft/microsoft-graph-client';

type Local = { readonly github?: { readonly url: string }; readonly jira?: { readonly url: string }; readonly azureDevOps?: { readonly url: string; readonly organization: string } } | undefined;

/** A tracker from its settings (TRACKER's in local mode: its stand-in unless its URL says otherwise). */
export function makeTracker(settings: TrackerSettings, local: Local, graph: Client): Tracker {
  if (settings.kind === 'planner') return new PlannerTracker(graph, settings);
  if (settings.kind === 'azureDevOps') {
    const organizationUrl = settings.organizationUrl ?? (local?.azureDevOps && `${local.azureDevOps.url}/${local.azureDevOps.organization}`);
    if (!organizationUrl) throw new ConfigError(['TRACKER=azure-devops needs AZURE_DEVOPS_ORG_URL here (no local Azure DevOps stand-in is running)']);
    return new AzureDevOpsTracker({ ...settings, organizationUrl });
  }
  if (settings.kind === 'jira') {
    const siteUrl = settings.siteUrl ?? local?.jira?.url;
    if (!siteUrl) throw new ConfigError(['TRACKER=jira needs JIRA_SITE_URL here (no local Jira stand-in is running)']);
    return new JiraTracker({ ...settings, siteUrl });
  }
  const apiUrl = settings.apiUrl ?? local?.github?.url;
  if (!apiUrl) throw new ConfigError(['TRACKER=github needs GITHUB_API_URL here (no local GitHub stand-in is running)']);
  return new GitHubTracker({ apiUrl, repo: settings.repo, token: settings.token, webhookSecret: settings.webhookSecret });
}

/**
 * Following action items through, when any tracker is configured: each incident in the tracker
 * its type or tenant picks (TENANT_CONFIG_FILE), else TRACKER's.
 */
/** `graph`: the app's Microsoft Graph client (Planner goes through it). */
export function actionItemTracking(config: Pick<Config, 'trackers' | 'profiles'>, local: Local, graph: Client, deps: Omit<ActionItemTrackingDeps, 'trackerFor' | 'webhookTrackers'>): ActionItemTracking | undefined {
  if (config.trackers.length === 0) return undefined;
  const trackers = new Map(config.trackers.map((t) => [t.name, makeTracker(t.settings, local, graph)]));
  const all = [...trackers.values()];
  return new ActionItemTracking({ ...deps, trackerFor: (incident) => trackers.get(config.profiles.trackerOf(incident)), webhookTrackers: () => all });
}
