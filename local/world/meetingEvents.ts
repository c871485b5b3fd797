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
  if (!world.meetingEventSubscriptions) return 'not subscribed';
  const chat = world.meetingChat(meeting.id);
  if (![...world.installedApps].some((app) => chat.installedApps.has(app))) return 'app not in the meeting chat';
  if (!route) return 'no bot endpoint';
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
  const answer = await fetch(route.botEndpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(activity) }).catch(() => undefined);
  return answer?.ok ? 'delivered' : 'refused';
}
