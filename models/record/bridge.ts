/**
 * The bridge on the record. Teams tells the bot when the incident's meeting starts and ends
 * (`application/vnd.microsoft.meetingStart` / `meetingEnd`); each becomes a timeline event, the
 * end one with who attended (from the join events already recorded). When it ends, a durable job
 * asks Graph for the meeting's transcripts and recordings until they exist.
 *
 * Polling, not Graph change notifications: a subscription needs a public HTTPS endpoint Graph can
 * reach (and renewals), which local mode and many private deployments do not have; a transcript
 * arrives minutes after the call, so a poll with backoff from the meeting-end event costs a few
 * calls per meeting. Graph's 404 (or an empty list) means "not yet"; a 403 means something the
 * admin must set up, said once on the card and in the tab, and never retried in a loop.
 */
import { incidentLabel, type BridgeArtifact, type Incident } from '../incident/incident.js';
import { SYSTEM } from '../incident/timeline.js';
import { RetryLater, jobId, type Job, type JobStore } from '../paging/jobs.js';
import { parseVtt } from './vtt.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentLookup } from '../ports/incidentLookup.js';
import type { Logger } from '../ports/logger.js';
import type { Listing, MeetingArtifact, MeetingRecords } from '../ports/meetingRecords.js';
import type { TimelineStore } from '../ports/timelineStore.js';
import type { TranscriptStore } from '../ports/transcriptStore.js';
import type { ActionName, ActionInput } from '../actions/actionTable.js';
import type { ActionResult } from '../actions/actionRequest.js';

/** A meeting start or end event from the incident's meeting chat. */
export interface MeetingLifecycleEvent {
  readonly tenantId: string;
  readonly chatId: string;
  /** Teams' activity id: a redelivered event records nothing twice. */
  readonly eventId: string;
  readonly started: boolean;
  /** When Teams says the meeting started (StartTime) or ended (EndTime). */
  readonly at: Date;
}

/** How long after the end Graph is asked, and when it stops: transcripts take minutes, sometimes longer for long calls. */
export const BRIDGE_RECORD_TIMINGS = { firstCheckMs: 2 * 60_000, capMs: 30 * 60_000, giveUpMs: 24 * 3_600_000 } as const;

export interface BridgeRecordDeps {
  readonly store: IncidentLookup & TimelineStore;
  readonly actions: { run<N extends ActionName>(name: N, request: { incidentId: string; key: string; actor: typeof SYSTEM; via: 'app' }, input: ActionInput<N>): Promise<ActionResult> };
  readonly jobs: Pick<JobStore, 'scheduleJob'>;
  readonly records: MeetingRecords;
  readonly transcripts: Pick<TranscriptStore, 'saveTranscript'>;
  /** The organizer's onlineMeeting id when provisioning could not find it (Graph by the join link). */
  readonly resolveMeeting: (incident: Incident) => Promise<Listing<string>>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly timings?: typeof BRIDGE_RECORD_TIMINGS;
}

export class BridgeRecord {
  constructor(private readonly deps: BridgeRecordDeps) {}

  private get timings() {
    return this.deps.timings ?? BRIDGE_RECORD_TIMINGS;
  }

  private run<N extends ActionName>(name: N, incident: Incident, key: string, input: ActionInput<N>) {
    return this.deps.actions.run(name, { incidentId: incident.id, key, actor: SYSTEM, via: 'app' }, input);
  }

  /** Returns whether the meeting is an incident's bridge. */
  async meetingEvent(event: MeetingLifecycleEvent): Promise<boolean> {
    const incident = await this.deps.store.findByMeetingChat(event.tenantId, event.chatId);
    if (!incident) return false;
    if (event.started) {
      await this.run('recordMeetingStart', incident, `bridge:start:${event.eventId}`, { at: event.at });
      return true;
    }
    const result = await this.run('recordMeetingEnd', incident, `bridge:end:${event.eventId}`, { at: event.at, attended: await this.attendees(incident, event.at) });
    // Scheduling is idempotent (the job id is the meeting's end), so a redelivered end schedules nothing new.
    if (result.outcome === 'applied' || result.outcome === 'duplicate') {
      await this.deps.jobs.scheduleJob({ id: jobId('bridge_records', incident.id, event.at.toISOString()), kind: 'bridge_records', incidentId: incident.id, dueAt: new Date(event.at.getTime() + this.timings.firstCheckMs), payload: { endedAt: event.at.toISOString() } });
    }
    return true;
  }

  /** Everyone who joined the bridge since it started (from the join events), each once, in order of joining. */
  private async attendees(incident: Incident, endedAt: Date): Promise<string[]> {
    const since = incident.bridge?.startedAt ? new Date(incident.bridge.startedAt) : undefined;
    const joins = (await this.deps.store.listEvents(incident.id)).filter((e) => e.kind === 'meeting_joined' && (!since || e.at >= since) && e.at <= endedAt);
    return [...new Set(joins.sort((a, b) => a.at.getTime() - b.at.getTime()).map((e) => e.actor.name))];
  }

  /** The `bridge_records` job: one look at Graph; RetryLater (with backoff) until the transcripts are there or it is time to give up. */
  readonly handle = async (job: Job): Promise<void> => {
    const incident = await this.deps.store.findById(job.incidentId);
    if (!incident?.meeting) return;
    const endedAt = new Date(String(job.payload.endedAt));
    const label = incidentLabel(incident);
    const meetingId = incident.meeting.onlineMeetingId ? { found: incident.meeting.onlineMeetingId } : await this.deps.resolveMeeting(incident);
    if ('refused' in meetingId) return this.unavailable(incident, meetingId.refused);
    if ('notYet' in meetingId) return this.later(endedAt, incident, meetingId.notYet);

    const transcripts = await this.deps.records.transcripts(meetingId.found);
    if ('refused' in transcripts) return this.unavailable(incident, transcripts.refused);
    const stored = new Set((incident.bridge?.transcripts ?? []).map((t) => t.id));
    for (const transcript of 'found' in transcripts ? transcripts.found : []) {
      if (stored.has(transcript.id)) continue;
      const content = await this.deps.records.transcriptContent(meetingId.found, transcript.id);
      if ('refused' in content) return this.unavailable(incident, content.refused);
      if ('notYet' in content) return this.later(endedAt, incident, content.notYet);
      await this.attachTranscript(incident, transcript, content.found);
      stored.add(transcript.id);
    }

    const recordings = await this.deps.records.recordings(meetingId.found);
    const linked = new Set((incident.bridge?.recordings ?? []).map((r) => r.id));
    for (const recording of 'found' in recordings ? recordings.found : []) {
      if (!linked.has(recording.id)) await this.run('recordBridgeRecord', incident, `bridge:recording:${recording.id}`, { recording: this.artifact(recording) });
      linked.add(recording.id);
    }
    // A refused recording list does not undo a transcript: said once, and the transcript stays.
    if ('refused' in recordings) await this.unavailable(incident, `recording: ${recordings.refused}`);
    if (stored.size > 0 && (linked.size > 0 || 'refused' in recordings)) return;
    if (stored.size > 0 && this.deps.clock.now().getTime() - endedAt.getTime() >= this.timings.giveUpMs) return;
    const waitingFor = stored.size > 0 ? 'the recording' : 'the transcript';
    this.deps.log.info({ incident: label }, `${waitingFor} of the bridge is not there yet; asking again later`);
    return this.later(endedAt, incident, `${waitingFor} is not available yet`, stored.size > 0);
  };

  private async attachTranscript(incident: Incident, transcript: MeetingArtifact, vtt: string): Promise<void> {
    // Cue times are offsets from when transcription started (the transcript's createdDateTime); without it, from the bridge's start.
    const origin = transcript.createdAt ?? (incident.bridge?.startedAt ? new Date(incident.bridge.startedAt) : this.deps.clock.now());
    const lines = parseVtt(vtt).map((cue) => ({ at: new Date(origin.getTime() + cue.startMs), ...(cue.speaker ? { speaker: cue.speaker } : {}), text: cue.text }));
    const count = await this.deps.transcripts.saveTranscript(incident.id, transcript.id, lines);
    await this.run('recordBridgeRecord', incident, `bridge:transcript:${transcript.id}`, { transcript: { ...this.artifact(transcript), lines: count } });
  }

  private artifact(item: MeetingArtifact): BridgeArtifact {
    return { id: item.id, createdAt: item.createdAt ?? this.deps.clock.now(), ...(item.contentUrl ? { url: item.contentUrl } : {}) };
  }

  private async unavailable(incident: Incident, reason: string): Promise<void> {
    this.deps.log.warn({ incident: incidentLabel(incident), reason }, 'the bridge’s transcript or recording cannot be fetched');
    await this.run('recordBridgeUnavailable', incident, `bridge:unavailable:${reason}`, { reason });
  }

  /** Asks again after as long as it has been since the end (so at 2, 4, 8 … minutes, capped), until the give-up time. */
  private async later(endedAt: Date, incident: Incident, why: string, quietly = false): Promise<void> {
    const elapsed = Math.max(0, this.deps.clock.now().getTime() - endedAt.getTime());
    const { firstCheckMs, capMs, giveUpMs } = this.timings;
    if (elapsed >= giveUpMs) {
      if (quietly) return;
      return this.unavailable(incident, `Teams made none within ${Math.round(giveUpMs / 3_600_000)} hours of the meeting's end (was transcription turned on in the meeting?)`);
    }
    throw new RetryLater(why, Math.min(capMs, Math.max(firstCheckMs, elapsed), giveUpMs - elapsed));
  }
}

