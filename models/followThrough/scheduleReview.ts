/**
 * The post-mortem review: once the incident is resolved, whoever runs it (the commander, a role
 * holder, an incident admin) asks for the review and gets it in their own Outlook calendar, with
 * a Teams meeting, everyone who held a role and every SME invited, the post-mortem tab linked,
 * at the first hour in working hours before the post-mortem is due when most of them are free.
 * Asked again, it moves the same event to the next such hour (someone could not make it).
 */
import type { Access } from '../access/access.js';
import type { IncidentActions } from '../actions/incidentActions.js';
import { incidentLabel, SINGLE_ROLES, type Incident, type Person, type ReviewMeeting } from '../incident/incident.js';
import type { Calendar } from '../ports/calendar.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { escapeHtml } from '../support/html.js';
import { firstReviewSlot } from './reviewSlot.js';
import { utcMinute } from '../support/utcMinute.js';

export interface ReviewSchedulerDeps {
  readonly calendar: Calendar;
  readonly actions: Pick<IncidentActions, 'run'>;
  readonly access: Pick<Access, 'mayDo'>;
  readonly clock: Clock;
  readonly log: Logger;
  /** When the post-mortem is due (the rota's timings for the incident's severity). */
  readonly postmortemDue: (incident: Incident) => Promise<Date>;
  /** The incident tab on its post-mortem, for the invitation. */
  readonly postmortemLink: (incident: Incident) => string | undefined;
}

export interface ReviewOutcome {
  readonly outcome: 'scheduled' | 'moved' | 'refused' | 'failed';
  readonly message: string;
  readonly incident?: Incident;
}

const MEETING_MINUTES = 60;
const INTERVAL_MINUTES = 30;
/** Working hours, UTC: the organizer's mailbox settings are not read (that needs MailboxSettings.Read). */
const WORKING_HOURS = [8, 17] as const;
/** A window shorter than this (the post-mortem is due soon, or overdue) is stretched to it. */
const SHORTEST_WINDOW_HOURS = 72;

export class ReviewScheduler {
  constructor(private readonly deps: ReviewSchedulerDeps) {}

  async schedule(incident: Incident, by: Person, key: string): Promise<ReviewOutcome> {
    const label = incidentLabel(incident);
    const denied = await this.deps.access.mayDo('scheduleReview', by, incident.tenantId, undefined, incident);
    if (denied) return { outcome: 'refused', message: denied };
    if (incident.status !== 'resolved' && incident.status !== 'closed') return { outcome: 'refused', message: `${label} is ${incident.status}: the review is scheduled once it is resolved.` };
    // A retried request (Teams resending the message, a click sent twice) must not move the review again.
    if (incident.review && incident.recentActions?.includes(key)) {
      return { outcome: 'scheduled', message: `That was done already: the ${label} review is at ${utcMinute(new Date(incident.review.start))}.`, incident };
    }
    const organizer = incident.review?.organizerId ?? by.aadObjectId;
    if (!organizer) return { outcome: 'refused', message: 'I cannot tell who you are in Entra ID, so I cannot use your calendar. Ask from Teams (not a script).' };
    try {
      const people = invitees(incident, by);
      const emails = await this.deps.calendar.emailsOf(people.map((p) => p.aadObjectId!));
      const invited = people.filter((p) => emails.has(p.aadObjectId!)).map((p) => ({ name: p.name, email: emails.get(p.aadObjectId!)! }));
      const unreachable = people.filter((p) => !emails.has(p.aadObjectId!)).map((p) => p.name);
      const now = this.deps.clock.now();
      const start = new Date(Math.ceil((now.getTime() + INTERVAL_MINUTES * 60_000) / (INTERVAL_MINUTES * 60_000)) * INTERVAL_MINUTES * 60_000);
      const due = await this.deps.postmortemDue(incident);
      const end = new Date(Math.max(due.getTime(), start.getTime() + SHORTEST_WINDOW_HOURS * 3_600_000));
      const availability = await this.deps.calendar.freeBusy(organizer, invited.map((i) => i.email), start, end, INTERVAL_MINUTES);
      const slot = firstReviewSlot({ windowStart: start, intervalMinutes: INTERVAL_MINUTES, durationMinutes: MEETING_MINUTES, availability, workingHours: WORKING_HOURS });
      if (!slot || slot.free.length === 0) {
        return { outcome: 'refused', message: `Nobody invited has a free hour in working hours (08:00–17:00 UTC) between ${utcMinute(start)} and ${utcMinute(end)}. Nothing was scheduled: pick a time in Outlook.` };
      }
      const nameOf = (email: string) => invited.find((i) => i.email === email)?.name ?? email;
      const busy = [...slot.busy.map(nameOf), ...unreachable.map((n) => `${n} (no mailbox found)`)];
      const event = incident.review
        ? (await this.deps.calendar.moveEvent(organizer, incident.review.eventId, slot.start, slot.end), { id: incident.review.eventId, webLink: incident.review.webLink, joinUrl: incident.review.joinUrl })
        : await this.deps.calendar.createEvent(organizer, {
            subject: `${label} post-mortem review: ${incident.title}`,
            body: invitation(incident, this.deps.postmortemLink(incident)),
            start: slot.start,
            end: slot.end,
            attendees: invited,
            key: `incident-room-review-${incident.id}`,
          });
      const review: ReviewMeeting = { eventId: event.id, organizerId: organizer, start: slot.start, end: slot.end, webLink: event.webLink, joinUrl: event.joinUrl, invited: invited.map((i) => i.name) };
      const recorded = await this.deps.actions.run('recordReview', { incidentId: incident.id, key, actor: by }, { review, busy });
      const late = slot.start > due ? ` That is after the post-mortem was due (${utcMinute(due)}): nothing earlier was free.` : '';
      if (recorded.outcome !== 'applied' && recorded.outcome !== 'duplicate') return { outcome: 'refused', message: recorded.message, incident: recorded.incident };
      return { outcome: incident.review ? 'moved' : 'scheduled', message: `${recorded.message}${late}`, incident: recorded.incident };
    } catch (error) {
      this.deps.log.warn({ incident: label, err: (error as Error).message }, 'scheduling the post-mortem review failed');
      return { outcome: 'failed', message: `The review could not be scheduled: ${(error as Error).message} Nothing was sent to anyone's calendar; try again once that is fixed.` };
    }
  }
}

/** Everyone who held a role and every SME, and whoever asked; each once, only those Entra knows. */
function invitees(incident: Incident, by: Person): Person[] {
  const all = [by, ...SINGLE_ROLES.map((role) => incident.roles[role]), ...incident.roles.smes].filter((p): p is Person => Boolean(p?.aadObjectId));
  return [...new Map(all.map((p) => [p.aadObjectId!, p])).values()];
}

function invitation(incident: Incident, link: string | undefined): string {
  const where = link ? `<p>The post-mortem: <a href="${escapeHtml(link)}">open it in Teams</a> (the incident tab).</p>` : '';
  return `<p>Blameless review of ${escapeHtml(incidentLabel(incident))}: ${escapeHtml(incident.title)}.</p>${where}<p>Scheduled by incident-room for everyone who held a role on the incident.</p>`;
}
