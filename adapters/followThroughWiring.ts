/**
 * The follow-through of post-mortem action items, put together for the server: the tracker sync
 * (when a tracker is configured) and the nudges to their owners, each a reaction to saved
 * versions and a durable timer handler.
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Config } from '../config.js';
import type { IncidentActions } from '../models/actions/incidentActions.js';
import type { ActionItemTracking, ActionItemTrackingDeps } from '../models/followThrough/actionItemTracking.js';
import { Nudges, type NudgesDeps } from '../models/followThrough/nudges.js';
import type { JobHandler, JobKind } from '../models/paging/jobs.js';
import { GraphActivityFeed } from './graph/graphActivityFeed.js';
import { actionItemTracking } from './trackers/chooseTracker.js';

type TrackingDeps = Omit<ActionItemTrackingDeps, 'trackerFor' | 'webhookTrackers' | 'actions' | 'store'>;

export function followThrough(
  config: Pick<Config, 'trackers' | 'profiles' | 'teamId' | 'graphBaseUrl'>,
  local: Parameters<typeof actionItemTracking>[1],
  graph: Client,
  deps: TrackingDeps & Pick<NudgesDeps, 'store' | 'messenger' | 'access'> & { readonly actions: Pick<IncidentActions, 'run' | 'react'> },
): { tracking?: ActionItemTracking; handlers: Readonly<Record<Extract<JobKind, 'tracker_sync' | 'nudge'>, JobHandler>> } {
  const { messenger, access, ...trackingDeps } = deps;
  const tracking = actionItemTracking(config, local, graph, trackingDeps);
  const nudges = new Nudges({ store: deps.store, jobs: deps.jobs, feed: new GraphActivityFeed(graph, config.teamId, config.graphBaseUrl), messenger, access, clock: deps.clock, log: deps.log });
  deps.actions.react({ ...(tracking ? { tracking } : {}), nudges });
  return { tracking, handlers: { tracker_sync: tracking?.handle ?? (async () => undefined), nudge: nudges.handle } };
}
