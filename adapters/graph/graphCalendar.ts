/**
 * The Calendar port over Graph, with application permissions: mailboxes from the incidents
 * team's member list (List members of team gives each member's e-mail), free/busy from
 * `calendar: getSchedule` (findMeetingTimes would suggest slots, but Learn lists it as delegated
 * only: "Application: Not supported"), the event from "Create event" in the organizer's calendar
 * with a Teams meeting, and moving it with "Update event".
 */
import type { Client } from '@microsoft/microsoft-graph-client';
import type { Calendar, CalendarEventSpec, CreatedEvent } from '../../models/ports/calendar.js';
import type { Availability } from '../../models/followThrough/reviewSlot.js';
import { translateHttpError } from '../httpErrors.js';
import { permissionHint } from './permissions.js';

const utc = (d: Date) => ({ dateTime: d.toISOString().replace('Z', ''), timeZone: 'UTC' });
const hint = (operation: Parameters<typeof permissionHint>[0]) => ({ 403: permissionHint(operation) });

export class GraphCalendar implements Calendar {
  constructor(private readonly graph: Client, private readonly teamId: string) {}

  async emailsOf(aadObjectIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const found = new Map<string, string>();
    // One filtered lookup per person: the filter takes one userId (as the membership check does).
    for (const id of new Set(aadObjectIds)) {
      try {
        const members = await this.graph.api(`/teams/${encodeURIComponent(this.teamId)}/members`).filter(`(microsoft.graph.aadUserConversationMember/userId eq '${id.replace(/'/g, "''")}')`).get();
        const email = (members.value as { email?: string }[])[0]?.email;
        if (email) found.set(id, email);
      } catch (error) {
        throw translateHttpError(error, 'finding the invitees’ mailboxes', hint('listMembers'));
      }
    }
    return found;
  }

  async freeBusy(organizerId: string, emails: readonly string[], start: Date, end: Date, intervalMinutes: number): Promise<readonly Availability[]> {
    try {
      const answer = await this.graph.api(`/users/${encodeURIComponent(organizerId)}/calendar/getSchedule`).post({ schedules: emails, startTime: utc(start), endTime: utc(end), availabilityViewInterval: intervalMinutes });
      const byAddress = new Map((answer.value as { scheduleId: string; availabilityView?: string; error?: unknown }[]).map((s) => [s.scheduleId.toLowerCase(), s]));
      return emails.map((email) => {
        const schedule = byAddress.get(email.toLowerCase());
        return { person: email, view: schedule && !schedule.error ? schedule.availabilityView : undefined };
      });
    } catch (error) {
      throw translateHttpError(error, 'reading the invitees’ free/busy', hint('getSchedule'));
    }
  }

  async createEvent(organizerId: string, spec: CalendarEventSpec): Promise<CreatedEvent> {
    try {
      const event = await this.graph.api(`/users/${encodeURIComponent(organizerId)}/events`).post({
        subject: spec.subject,
        body: { contentType: 'HTML', content: spec.body },
        start: utc(spec.start),
        end: utc(spec.end),
        attendees: spec.attendees.map((a) => ({ emailAddress: { address: a.email, name: a.name }, type: 'required' })),
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
        transactionId: spec.key,
      });
      return { id: event.id, webLink: event.webLink, joinUrl: event.onlineMeeting?.joinUrl };
    } catch (error) {
      throw translateHttpError(error, 'creating the review in the organizer’s calendar', hint('createReview'));
    }
  }

  async moveEvent(organizerId: string, eventId: string, start: Date, end: Date): Promise<void> {
    try {
      await this.graph.api(`/users/${encodeURIComponent(organizerId)}/events/${encodeURIComponent(eventId)}`).patch({ start: utc(start), end: utc(end) });
    } catch (error) {
      throw translateHttpError(error, 'moving the review in the organizer’s calendar', hint('moveReview'));
    }
  }
}
