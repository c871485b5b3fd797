import { samePerson, type Incident, type Person } from './incident.js';

/** A private incident's members (the reporter, on a record that kept none). */
export function membersOf(incident: Pick<Incident, 'members' | 'reporter'>): readonly Person[] {
  return incident.members ?? [incident.reporter];
}

/** Whether this person (by Teams or Entra id) is one of a private incident's members. */
export function isMember(incident: Pick<Incident, 'members' | 'reporter'>, person: Pick<Person, 'id' | 'aadObjectId'>): boolean {
  return membersOf(incident).some((m) => samePerson(m, person));
}

/** The members' Entra ids (those known by one): a private incident's meeting invites them. */
export function memberIdsOf(incident: Parameters<typeof membersOf>[0]): string[] {
  return membersOf(incident).flatMap((m) => (m.aadObjectId ? [m.aadObjectId] : []));
}
