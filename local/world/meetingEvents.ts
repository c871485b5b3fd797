/**
 * Meeting participant events as Teams sends them ("Get meeting events", Teams platform docs):
 * `application/vnd.microsoft.meetingParticipantJoin` / `…Leave` reach a bot only when its
 * registration subscribes to meeting events (Developer Portal → the bot → Meeting event
 * subscriptions) and the app is installed in that meeting's chat. Nothing tells the bot when
 * either is missing: the events simply never come, which is what this models.
 */
import { randomUUID } from 'node:crypto';
import { teamsActivity } from '../teamsActivities.js';
import type { FakeMeeting, TeamsWorld } from './teamsWorld.js';
import type { FakePerson } from './people.js';

export type MeetingEventOutcome = 'delivered' | 'not subscribed' | 'app not in the meeting chat' | 'no bot endpoint' | 'refused';

export interface MeetingEventRoute {
  /** The bot's messaging endpoint (its /api/messages). */
  readonly botEndpoint: string;
  readonly serviceUrl: string;
  readonly tenantId: string;
}

export async function deliverMeetingEvent(world: TeamsWorld, route: MeetingEventRoute | undefined, meeting: FakeMeeting, person: FakePerson, joined: boolean): Promise<MeetingEventOutcome> {
  const chat = world.meetingChat(meeting.id);
  const refusal = undeliverable(world, route, meeting);
  if (refusal || !route) return refusal ?? 'no bot endpoint';
  const activity = teamsActivity(
    { serviceUrl: route.serviceUrl, tenantId: route.tenantId },
    {
      type: 'event',
      id: randomUUID(),
      name: `application/vnd.microsoft.meetingParticipant${joined ? 'Join' : 'Leave'}`,
      from: { id: '29:system' },
      conversation: { id: chat.id, conversationType: 'groupChat', tenantId: route.tenantId, isGroup: true },
      channelData: { tenant: { id: route.tenantId }, meeting: { id: Buffer.from(`0#${chat.id}#0`).toString('base64') } },
      value: { members: [{ user: { id: person.id, name: person.name, aadObjectId: person.aadObjectId, tenantId: route.tenantId }, meeting: { inMeeting: joined, role: 'Attendee' } }] },
    },
  );
  return post(route, activity);
}

function undeliverable(world: TeamsWorld, route: MeetingEventRoute | undefined, meeting: FakeMeeting): MeetingEventOutcome | undefined {
  if (!world.meetingEventSubscriptions) return 'not subscribed';
  const chat = world.meetingChat(meeting.id);
  if (![...world.installedApps].some((app) => chat.installedApps.has(app))) return 'app not in the meeting chat';
  return route ? undefined : 'no bot endpoint';
}

async function post(route: MeetingEventRoute, activity: object): Promise<MeetingEventOutcome> {
  const answer = await fetch(route.botEndpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) }).catch(() => undefined);
  return answer?.ok ? 'delivered' : 'refused';
}

/**
 * "Get real-time Teams meeting events" (meeting start and end): an event activity named
 * `application/vnd.microsoft.meetingStart` / `…meetingEnd` in the meeting chat, its value the
 * meeting's Id (base64), JoinUrl, Title, MeetingType and StartTime or EndTime (UTC), under the
 * same conditions as participant events.
 */
export async function deliverMeetingLifecycle(world: TeamsWorld, route: MeetingEventRoute | undefined, meeting: FakeMeeting, started: boolean): Promise<MeetingEventOutcome> {
  const chat = world.meetingChat(meeting.id);
  const refusal = undeliverable(world, route, meeting);
  if (refusal || !route) return refusal ?? 'no bot endpoint';
  const meetingId = Buffer.from(`0#${chat.id}#0`).toString('base64');
  const at = started ? meeting.startedAt : meeting.endedAt;
  const activity = teamsActivity(
    { serviceUrl: route.serviceUrl, tenantId: route.tenantId },
    {
      type: 'event',
      id: randomUUID(),
      name: `application/vnd.microsoft.meeting${started ? 'Start' : 'End'}`,
      from: { id: '29:system' },
      conversation: { id: chat.id, conversationType: 'groupChat', tenantId: route.tenantId, isGroup: true },
      channelData: { tenant: { id: route.tenantId }, meeting: { id: meetingId } },
      value: { Id: meetingId, JoinUrl: meeting.joinWebUrl, Title: meeting.subject, MeetingType: 'Scheduled', [started ? 'StartTime' : 'EndTime']: at ?? new Date().toISOString() },
    },
  );
  return post(route, activity);
}
