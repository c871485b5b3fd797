/**
 * What Teams' meeting start and end events, and what Graph kept of the meeting, change on the
 * record: pure decisions, applied by IncidentActions like any other change (so a redelivered
 * event, or a job run twice, records nothing twice: the same fact is refused as already known).
 */
import { incidentLabel, type BridgeArtifact, type BridgeState, type Incident } from '../incident/incident.js';
import type { Decision } from '../actions/decisions.js';
import { utcMinute } from '../support/utcMinute.js';

const label = incidentLabel;
const sameTime = (a: Date | undefined, b: Date) => a !== undefined && new Date(a).getTime() === b.getTime();

export function meetingStarted(incident: Incident, input: { at: Date }): Decision {
  const bridge = incident.bridge;
  // Teams redelivers; a start already known (or one before the end recorded since) is not news.
  if (sameTime(bridge?.startedAt, input.at)) return { refuse: `The ${label(incident)} bridge's start is already recorded.` };
  const next: BridgeState = { ...bridge, startedAt: input.at, endedAt: undefined, records: bridge?.records === 'attached' ? 'attached' : 'waiting' };
  return {
    patch: { bridge: next },
    event: { kind: 'meeting_started', payload: { at: input.at, meetingId: incident.meeting?.id } },
    message: `The ${label(incident)} bridge started at ${utcMinute(input.at)}.`,
  };
}

export function meetingEnded(incident: Incident, input: { at: Date; attended: readonly string[] }): Decision {
  const bridge = incident.bridge;
  if (sameTime(bridge?.endedAt, input.at)) return { refuse: `The ${label(incident)} bridge's end is already recorded.` };
  const next: BridgeState = { ...bridge, records: bridge?.records ?? 'waiting', endedAt: input.at, attended: [...input.attended], ...(bridge?.records === 'unavailable' ? {} : { records: 'fetching' as const }) };
  return {
    patch: { bridge: next },
    event: { kind: 'meeting_ended', payload: { at: input.at, attended: [...input.attended], meetingId: incident.meeting?.id } },
    message: `The ${label(incident)} bridge ended at ${utcMinute(input.at)}; attended: ${input.attended.join(', ') || 'nobody'}.`,
  };
}

const known = (list: readonly BridgeArtifact[] | undefined, item: BridgeArtifact) => (list ?? []).some((a) => a.id === item.id);

/** One transcript or recording found: kept on the record, once. */
export function bridgeRecordAttached(incident: Incident, input: { transcript?: BridgeArtifact; recording?: BridgeArtifact }): Decision {
  const bridge: BridgeState = incident.bridge ?? { records: 'fetching' };
  const { transcript, recording } = input;
  if (transcript && !known(bridge.transcripts, transcript)) {
    return {
      patch: { bridge: { ...bridge, records: 'attached', reason: undefined, transcripts: [...(bridge.transcripts ?? []), transcript] } },
      event: { kind: 'transcript_attached', payload: { transcriptId: transcript.id, createdAt: transcript.createdAt, lines: transcript.lines ?? 0 } },
      message: `${label(incident)}: the bridge's transcript is attached (${transcript.lines ?? 0} lines).`,
    };
  }
  if (recording && !known(bridge.recordings, recording)) {
    return {
      patch: { bridge: { ...bridge, records: 'attached', reason: undefined, recordings: [...(bridge.recordings ?? []), recording] } },
      event: { kind: 'recording_attached', payload: { recordingId: recording.id, createdAt: recording.createdAt, ...(recording.url ? { url: recording.url } : {}) } },
      message: `${label(incident)}: the bridge's recording is linked.`,
    };
  }
  return { refuse: `That ${label(incident)} bridge record is already attached.` };
}

/** Graph refused (a permission or the access policy is missing) or nothing came in time: said once, plainly. */
export function bridgeRecordsUnavailable(incident: Incident, input: { reason: string }): Decision {
  const bridge: BridgeState = incident.bridge ?? { records: 'waiting' };
  if (bridge.records === 'unavailable' && bridge.reason === input.reason) return { refuse: `${label(incident)}: that is already said.` };
  return {
    patch: { bridge: { ...bridge, records: bridge.transcripts?.length ? 'attached' : 'unavailable', reason: input.reason } },
    event: { kind: 'transcript_unavailable', payload: { reason: input.reason } },
    message: `${label(incident)}: no transcript of the bridge: ${input.reason}`,
  };
}

/** The one line the card and the tab say about the transcript. */
export function transcriptStatus(incident: Pick<Incident, 'bridge' | 'meeting'>): string | undefined {
  const bridge = incident.bridge;
  if (!incident.meeting) return undefined;
  if (!bridge || bridge.records === 'waiting') return 'will be fetched after the meeting ends';
  if (bridge.records === 'fetching') return 'the meeting ended; waiting for Teams to make it available';
  if (bridge.records === 'unavailable') return `not available: ${bridge.reason ?? 'unknown'}`;
  const lines = (bridge.transcripts ?? []).reduce((sum, t) => sum + (t.lines ?? 0), 0);
  const recording = bridge.recordings?.length ? ', recording linked' : '';
  return bridge.transcripts?.length ? `attached (${lines} lines${recording}; in the tab)` : `recording linked${bridge.reason ? `; no transcript: ${bridge.reason}` : ''}`;
}
