/**
 * Who was on the bridge, and when: Teams tells the bot when people join or leave the incident's
 * meeting (with the app in the meeting chat and the OnlineMeetingParticipant.Read.Chat
 * permission); each becomes a timeline event, which the post-mortem's timeline then shows.
 */
import type { Incident, Person } from '../incident/incident.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import { timelineEvent } from '../incident/timeline.js';

export interface AttendanceChange {
  readonly tenantId: string;
  /** The meeting chat the event came from. */
  readonly chatId: string;
  /** Teams' event id: a redelivered event records nothing twice. */
  readonly eventId: string;
  readonly joined: boolean;
  readonly people: readonly Person[];
}

/** Returns how many events were recorded (0 when the meeting is not an incident's bridge). */
export async function recordAttendance(deps: { store: IncidentStore; clock: Clock; afterJoin?: (incident: Incident) => Promise<void> }, change: AttendanceChange): Promise<number> {
  const incident = await deps.store.findByMeetingChat(change.tenantId, change.chatId);
  if (!incident) return 0;
  const at = deps.clock.now();
  const kind = change.joined ? 'meeting_joined' : 'meeting_left';
  let recorded = 0;
  for (const person of change.people) {
    const event = timelineEvent(incident.id, kind, `${change.eventId}:${person.id}`, { at, actor: { kind: 'user', id: person.id, name: person.name }, payload: { meetingId: incident.meeting?.id } });
    if (await deps.store.appendEvent(event)) recorded += 1;
  }
  // People on the bridge prove a checklist item (the bridge is open): what follows a join, like any change.
  if (recorded > 0 && change.joined) await deps.afterJoin?.(incident);
  return recorded;
}
