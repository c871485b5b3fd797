import type { Config } from '../../config.js';
import { ConfigError } from '../../config.js';
import type { Tracker } from '../../models/ports/tracker.js';
import { ActionItemTracking, type ActionItemTrackingDeps } from '../../models/followThrough/actionItemTracking.js';
import { GitHubTracker } from './github.js';

/** The tracker TRACKER names (its stand-in in local mode unless its API URL says otherwise). */
export function chooseTracker(config: Pick<Config, 'tracker'>, local: { readonly github?: { readonly url: string } } | undefined): Tracker | undefined {
  const settings = config.tracker;
  if (!settings) return undefined;
  const apiUrl = settings.apiUrl ?? local?.github?.url;
  if (!apiUrl) throw new ConfigError(['TRACKER=github needs GITHUB_API_URL here (no local GitHub stand-in is running)']);
  return new GitHubTracker({ apiUrl, repo: settings.repo, token: settings.token, webhookSecret: settings.webhookSecret });
}

/** Following action items through in the configured tracker, when there is one. */
export function actionItemTracking(config: Pick<Config, 'tracker'>, local: Parameters<typeof chooseTracker>[1], deps: Omit<ActionItemTrackingDeps, 'trackerFor' | 'webhookTrackers'>): ActionItemTracking | undefined {
  const tracker = chooseTracker(config, local);
  return tracker && new ActionItemTracking({ ...deps, trackerFor: () => tracker, webhookTrackers: () => [tracker] });
}
