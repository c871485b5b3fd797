import type { Availability } from '../followThrough/reviewSlot.js';

/** A meeting in someone's Outlook calendar, with a Teams meeting, that people are invited to. */
export interface CalendarEventSpec {
  readonly subject: string;
  /** HTML. */
  readonly body: string;
  readonly start: Date;
  readonly end: Date;
  readonly attendees: readonly { readonly name: string; readonly email: string }[];
  /** The same key creates the event once (Graph's transactionId), however often it is retried. */
  readonly key: string;
}

export interface CreatedEvent {
  readonly id: string;
  readonly webLink?: string;
  readonly joinUrl?: string;
}

/** People's calendars (Outlook, through Graph, with the app's own permission). */
export interface Calendar {
  /** People's mailboxes, by Entra object id (those without one are left out). */
  emailsOf(aadObjectIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** Free/busy of these addresses over [start, end), one digit per interval of `intervalMinutes`. */
  freeBusy(organizerId: string, emails: readonly string[], start: Date, end: Date, intervalMinutes: number): Promise<readonly Availability[]>;
  createEvent(organizerId: string, spec: CalendarEventSpec): Promise<CreatedEvent>;
  moveEvent(organizerId: string, eventId: string, start: Date, end: Date): Promise<void>;
}
