import type { Incident, Person } from '../incident/incident.js';

/** Recording a new incident (a declaration or an import). */
export interface IncidentRegistry {
  /** Next human number for the tenant; atomic, never repeats, may skip after a crash. */
  nextNumber(tenantId: string): Promise<number>;
  /** Inserts unless an incident with this id exists; returns whichever is stored. */
  /** `onInserted`: told the moment the record is stored, before any bookkeeping that follows the insert (the metrics row). */
  insertIncident(incident: Incident, onInserted?: (stored: Incident) => void): Promise<{ incident: Incident; inserted: boolean }>;
  /** How many incidents people (not monitors) declared in this tenant since then, by this reporter if named. */
  countDeclaredSince(tenantId: string, since: Date, reporter?: Pick<Person, 'id'>): Promise<number>;
}
