import type { Incident, Person } from '../incident/incident.js';

/** Finding incidents: by id, by number, by the channel or meeting chat a Teams event came from. */
export interface IncidentLookup {
  findById(id: string): Promise<Incident | undefined>;
  findByNumber(tenantId: string, number: number): Promise<Incident | undefined>;
  findByChannel(tenantId: string, channelId: string): Promise<Incident | undefined>;
  /** The incident whose bridge has this meeting chat (join/leave events arrive there). */
  findByMeetingChat(tenantId: string, chatId: string): Promise<Incident | undefined>;
  listOpen(tenantId: string, limit: number): Promise<Incident[]>;
  /** Incidents not yet closed in which this person holds a role or which they follow, newest first. */
  listForPerson(tenantId: string, person: Pick<Person, 'id' | 'aadObjectId'>, limit: number): Promise<Incident[]>;
}
