/**
 * What Teams makes of a meeting in local Teams: the first person in starts it, "end the meeting"
 * ends it, and some time after the end (TeamsWorld.recordsDelayMs) Graph lists a transcript and a
 * recording for the session, as "List transcripts" / "List recordings" describe them. Before then
 * the transcript's content answers 404, as Graph's does. The transcript is a few canned lines
 * spoken by the people who were on the call.
 */
import { randomUUID } from 'node:crypto';
import { formatVtt } from '../../models/record/vtt.js';
import type { FakeMeeting, TeamsWorld } from './teamsWorld.js';

const CANNED = [
  'I can see the error rate climbing on the dashboard since about ten minutes ago.',
  'The last deploy went out just before that; I am checking what changed.',
  'Rolling back the deploy now, it should take a couple of minutes.',
  'Error rate is dropping, latency back to normal on my side.',
  'Good, let us keep watching for fifteen minutes before we call it mitigated.',
  'I will write the customer update and post it in the channel.',
];

/** The session starts with the first person in; returns whether this join started it. */
export function startSession(meeting: FakeMeeting, now: Date): boolean {
  if (meeting.startedAt && !meeting.endedAt) return false;
  meeting.startedAt = now.toISOString();
  meeting.endedAt = undefined;
  return true;
}

/** Ends the session; its transcript and recording become ready after the world's delay. Returns false when nothing was running. */
export function endSession(world: TeamsWorld, meeting: FakeMeeting, now: Date): boolean {
  if (!meeting.startedAt || meeting.endedAt) return false;
  meeting.endedAt = now.toISOString();
  if (meeting.transcribed === false) return ((meeting.joined = []), true);
  const started = new Date(meeting.startedAt);
  const speakers = meeting.joined.length ? meeting.joined : ['Organizer'];
  const span = Math.max(60_000, now.getTime() - started.getTime());
  const step = Math.floor(span / (CANNED.length + 1));
  const cues = CANNED.map((text, i) => ({ startMs: step * (i + 1), endMs: step * (i + 1) + 4_000, speaker: speakers[i % speakers.length]!, text }));
  const transcript = { id: `MSMjMCMj${Buffer.from(randomUUID()).toString('base64url')}`, createdDateTime: meeting.startedAt, endDateTime: meeting.endedAt, ready: false, vtt: formatVtt(cues) };
  const recording = { id: `MSMjMCMj${Buffer.from(randomUUID()).toString('base64url')}`, createdDateTime: meeting.startedAt, endDateTime: meeting.endedAt, ready: false };
  (meeting.transcripts ??= []).push(transcript);
  (meeting.recordings ??= []).push(recording);
  // Everyone leaves when the meeting ends: the next one in starts a new session.
  meeting.joined = [];
  const ready = () => ((transcript.ready = true), (recording.ready = true));
  if (world.recordsDelayMs <= 0) ready();
  else setTimeout(ready, world.recordsDelayMs).unref();
  return true;
}
