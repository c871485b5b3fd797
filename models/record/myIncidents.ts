/**
 * "My incidents": the incidents a person holds a role in or follows, with their part in each,
 * for the personal tab and `list` in personal chat.
 */
import { ROLE_NAMES, samePerson, SINGLE_ROLES, type Incident, type Person } from '../incident/incident.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import { isMember } from '../incident/membership.js';

export interface MyIncident {
  readonly incident: Incident;
  /** The roles this person holds in it (names, e.g. "Incident Commander"). */
  readonly roles: readonly string[];
  readonly following: boolean;
}

export const MY_INCIDENTS_LIMIT = 50;

export function myPart(incident: Incident, person: Pick<Person, 'id' | 'aadObjectId'>): MyIncident {
  const roles = SINGLE_ROLES.filter((role) => {
    const holder = incident.roles[role];
    return holder !== undefined && samePerson(holder, person);
  }).map((role) => ROLE_NAMES[role]);
  if (incident.roles.smes.some((p) => samePerson(p, person))) roles.push(ROLE_NAMES.sme);
  return { incident, roles, following: (incident.followers ?? []).some((f) => samePerson(f, person)) };
}

export async function myIncidents(store: Pick<IncidentStore, 'listForPerson'>, tenantId: string, person: Pick<Person, 'id' | 'aadObjectId'>): Promise<MyIncident[]> {
  const found = await store.listForPerson(tenantId, person, MY_INCIDENTS_LIMIT);
  // Someone removed from a private incident keeps no view of it, whatever part they had.
  return found.filter((incident) => !incident.private || isMember(incident, person)).map((incident) => myPart(incident, person));
}
