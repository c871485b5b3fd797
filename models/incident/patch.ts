import type { Incident, Milestones, Person, PostmortemState, Roles } from './incident.js';

/** A ticked checklist item, or `null` once it is unticked again (kept, so the record shows it was touched). */
export type ChecklistTick = { readonly by: Person; readonly at: Date } | null;

/**
 * What a decision changes on the incident, in the domain's own terms. Nested groups name only
 * the members they change (the rest of the group stays as it is); anything else replaces the
 * whole field. Only the store knows how that becomes a database update.
 */
export interface IncidentPatch {
  readonly status?: Incident['status'];
  readonly severity?: Incident['severity'];
  /** A new incident type (its id); its checklist and rules apply from then on. */
  readonly type?: string;
  readonly milestones?: Partial<Omit<Milestones, 'declared'>>;
  readonly roles?: Partial<Roles>;
  readonly summary?: Incident['summary'];
  readonly topic?: Incident['topic'];
  readonly dataLoss?: true;
  readonly lastUpdate?: Incident['lastUpdate'];
  readonly escalations?: number;
  readonly paging?: Incident['paging'];
  readonly monitorResolved?: Incident['monitorResolved'];
  readonly followers?: Incident['followers'];
  readonly members?: Incident['members'];
  readonly personalCards?: Incident['personalCards'];
  readonly publicStatus?: Incident['publicStatus'];
  readonly checklist?: Readonly<Record<string, ChecklistTick>>;
  readonly postmortem?: Partial<PostmortemState>;
  readonly deliveryProblem?: Incident['deliveryProblem'];
  readonly review?: Incident['review'];
  readonly bridge?: Incident['bridge'];
}

/** The fields of a patch that are groups merged member by member, not replaced whole. */
export const MERGED_GROUPS = ['milestones', 'roles', 'checklist', 'postmortem'] as const satisfies readonly (keyof IncidentPatch)[];
