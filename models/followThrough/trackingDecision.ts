/**
 * What the tracker sync records on the incident: how many action items are in the tracker and
 * how many are not yet (shown on the card), and each conflict that was settled (on the timeline,
 * with both values, so the losing edit is not lost from view).
 */
import { incidentLabel, type ActionItemTracking, type Incident } from '../incident/incident.js';
import type { Decision } from '../actions/decisions.js';

export interface TrackingReport extends ActionItemTracking {
  /** One line per settled conflict or change taken from the tracker. */
  readonly notes: readonly string[];
}

export function recordTracking(incident: Incident, report: TrackingReport): Decision {
  const { notes, ...tracking } = report;
  const before = incident.postmortem?.tracking;
  const same = before && before.tracked === tracking.tracked && before.pending === tracking.pending && before.error === tracking.error && before.tracker === tracking.tracker;
  if (same && notes.length === 0) return { refuse: 'The tracker state is already recorded.' };
  const state = tracking.pending > 0
    ? `${tracking.pending} action item${tracking.pending === 1 ? ' is' : 's are'} not yet in ${tracking.tracker}${tracking.error ? ` (${tracking.error}); kept and tried again` : ''}`
    : `${tracking.tracked} action item${tracking.tracked === 1 ? ' is' : 's are'} in ${tracking.tracker}`;
  const summary = [state, ...notes].join('; ');
  return {
    patch: { postmortem: { tracking: { tracker: tracking.tracker, tracked: tracking.tracked, pending: tracking.pending, ...(tracking.error ? { error: tracking.error } : {}) } } },
    event: { kind: 'action_items_tracked', payload: { summary, ...tracking, notes } },
    message: `${incidentLabel(incident)}: ${summary}.`,
  };
}
