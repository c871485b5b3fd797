import { samePerson, type Incident, type Person } from './incident.js';

/** A private incident's members (the reporter, on a record that kept none). */
export function membersOf(incident: Pick<Incident, 'members' | 'reporter'>): readonly Person[] {
  return incident.members ?? [incident.reporter];
}

/** Whether this person (by Teams or Entra id) is one of a private incident's members. */
export function isMember(incident: Pick<Incident, 'members' | 'reporter'>, person: Pick<Person, 'id' | 'aadObjectId'>): boolean {
  return membersOf(incident).some((m) => samePerson(m, person));
}
