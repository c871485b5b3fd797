import type { Person } from '../models/incident/person.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id Teams accepts as `mentioned.id` for this person: their Teams user id (29:…), else their
 * Entra object id (people known only from the tab carry it as `aad:<oid>`). Undefined for anyone
 * Teams could not notify (a PagerDuty responder, a monitor): they are named, not mentioned.
 * Source: "Channel and group chat conversations with a bot", docs/microsoft-rules.md §3.
 */
export function mentionIdOf(person: Pick<Person, 'id' | 'aadObjectId'>): string | undefined {
  if (/^29:\S+$/.test(person.id)) return person.id;
  if (person.aadObjectId && GUID.test(person.aadObjectId)) return person.aadObjectId;
  const aad = /^aad:(.+)$/.exec(person.id)?.[1];
  return aad && GUID.test(aad) ? aad : undefined;
}
