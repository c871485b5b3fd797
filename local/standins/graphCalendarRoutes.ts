/**
 * The Graph stand-in's calendars, as Microsoft Learn documents them:
 * - "calendar: getSchedule" (`POST /users/{id}/calendar/getSchedule`): free/busy for a list of
 *   SMTP addresses over a period, `availabilityViewInterval` 5–1440 minutes (default 30), one
 *   scheduleInformation per address with its availabilityView (0 free, 1 tentative, 2 busy, 3 away,
 *   4 working elsewhere), scheduleItems and workingHours; times in UTC without a Prefer header.
 *   An address with no mailbox gets an `error` in its scheduleInformation, not a failed request.
 * - "Update event" (`PATCH /users/{id}/events/{id}`): new start and end for an event; 404 for
 *   an event the user does not have.
 * Events the app created (POST /users/{id}/events) count as busy time for their attendees.
 * Permissions are checked before these routes run (graphPermissions.ts).
 */
import type { TeamsWorld, FakeBusy } from '../world/teamsWorld.js';
import type { Handler } from './http.js';
import { graphError } from './graphStandIn.js';

interface Routes {
  post(path: string, handler: Handler): unknown;
  patch(path: string, handler: Handler): unknown;
}

const DIGIT: Readonly<Record<FakeBusy['status'], string>> = { tentative: '1', busy: '2', oof: '3', workingElsewhere: '4' };
const WORKING_HOURS = { daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'], startTime: '08:00:00.0000000', endTime: '17:00:00.0000000', timeZone: { name: 'UTC' } };

/** A dateTimeTimeZone in UTC (the only zone this stand-in reads), or undefined. */
function utc(value: unknown): Date | undefined {
  const v = value as { dateTime?: unknown; timeZone?: unknown } | undefined;
  if (typeof v?.dateTime !== 'string' || typeof v.timeZone !== 'string') return undefined;
  if (!/^(utc|etc\/utc|coordinated universal time)$/i.test(v.timeZone)) return undefined;
  const at = new Date(`${v.dateTime.replace(/Z$/, '')}Z`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
const graphTime = (d: Date) => ({ dateTime: d.toISOString().replace('Z', '').replace(/\.\d+$/, '.0000000'), timeZone: 'UTC' });

export function mountCalendarRoutes(route: Routes, deps: { readonly world: TeamsWorld }): void {
  const { world } = deps;
  /** What a person's calendar holds: their own entries, and the app's events they are invited to. */
  const itemsOf = (address: string): FakeBusy[] => [
    ...(world.calendars.get(address.toLowerCase()) ?? []),
    ...[...world.meetings.values()]
      .filter((m) => m.via === 'calendarEvent' && m.attendees?.some((a) => a.toLowerCase() === address.toLowerCase()))
      .map((m): FakeBusy => ({ start: new Date(`${m.startDateTime.replace(/Z$/, '')}Z`), end: new Date(`${m.endDateTime.replace(/Z$/, '')}Z`), status: 'busy' })),
  ];
  const hasMailbox = (address: string) => world.people.some((p) => p.email?.toLowerCase() === address.toLowerCase());

  route.post('/v1.0/users/:user/calendar/getSchedule', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const bad = (message: string) => res.send(400, graphError(400, 'ErrorInvalidRequest', message));
    const schedules = body.schedules;
    if (!Array.isArray(schedules) || schedules.length === 0 || schedules.some((s) => typeof s !== 'string')) return bad('schedules must be a collection of SMTP addresses.');
    const start = utc(body.startTime);
    const end = utc(body.endTime);
    if (!start || !end) return bad('startTime and endTime must be dateTimeTimeZone values (this stand-in reads UTC).');
    if (end <= start) return bad('endTime must be after startTime.');
    const interval = body.availabilityViewInterval === undefined ? 30 : Number(body.availabilityViewInterval);
    if (!Number.isInteger(interval) || interval < 5 || interval > 1440) return bad('availabilityViewInterval must be between 5 and 1440 minutes.');
    const slots = Math.ceil((end.getTime() - start.getTime()) / (interval * 60_000));
    res.send(200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)',
      value: (schedules as string[]).map((address) => {
        if (!hasMailbox(address)) return { scheduleId: address, availabilityView: '', scheduleItems: [], error: { message: `The mailbox ${address} was not found.`, responseCode: 'ErrorMailRecipientNotFound' } };
        const items = itemsOf(address).filter((i) => i.end > start && i.start < end);
        const view = Array.from({ length: slots }, (_, n) => {
          const from = start.getTime() + n * interval * 60_000;
          const to = from + interval * 60_000;
          const overlapping = items.filter((i) => i.start.getTime() < to && i.end.getTime() > from);
          return overlapping.reduce((digit, i) => (DIGIT[i.status] > digit ? DIGIT[i.status] : digit), '0');
        }).join('');
        return { scheduleId: address, availabilityView: view, scheduleItems: items.map((i) => ({ status: i.status, start: graphTime(i.start), end: graphTime(i.end) })), workingHours: WORKING_HOURS };
      }),
    });
  });

  route.patch('/v1.0/users/:user/events/:event', async (req, res) => {
    const meeting = world.meetings.get(decodeURIComponent(req.params.event));
    if (!meeting || meeting.via !== 'calendarEvent' || meeting.organizerId !== decodeURIComponent(req.params.user)) return void res.send(404, graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.'));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const start = body.start === undefined ? undefined : utc(body.start);
    const end = body.end === undefined ? undefined : utc(body.end);
    if ((body.start !== undefined && !start) || (body.end !== undefined && !end)) return void res.send(400, graphError(400, 'ErrorInvalidRequest', 'start and end must be dateTimeTimeZone values (this stand-in reads UTC).'));
    const from = start ?? new Date(meeting.startDateTime);
    const to = end ?? new Date(meeting.endDateTime);
    if (to <= from) return void res.send(400, graphError(400, 'ErrorInvalidRequest', 'The end must be after the start.'));
    meeting.startDateTime = from.toISOString().replace('Z', '');
    meeting.endDateTime = to.toISOString().replace('Z', '');
    res.send(200, { id: meeting.id, subject: meeting.subject, start: graphTime(new Date(meeting.startDateTime)), end: graphTime(new Date(meeting.endDateTime)), webLink: `${world.viewBaseUrl}/calendar/item/${meeting.id}` });
  });
}
