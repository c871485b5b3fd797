import type { Incident, Person } from '../incident/incident.js';

/** A page: who, at which level of the escalation policy, with a link to the incident. */
export interface PageRequest {
  readonly incident: Incident;
  readonly people: readonly Person[];
  readonly level: number;
  readonly label: string;
  /** Same key → same page (PagerDuty's dedup_key); retries never page twice there. */
  readonly dedupKey: string;
  /** Deep link to the incident channel (or the tab). */
  readonly link?: string;
}

/** Gets a person's attention: the built-in rota (an @mention in Teams) or PagerDuty. */
export interface Pager {
  readonly name: string;
  page(request: PageRequest): Promise<void>;
  /** The incident was acknowledged in Teams: stop the pager's own escalation too. */
  acknowledge(incident: Incident): Promise<void>;
  resolve(incident: Incident): Promise<void>;
}
