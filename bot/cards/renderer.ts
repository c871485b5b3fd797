import type { Incident } from '../../models/incident/incident.js';
import type { EscalationRules } from '../../models/incident/escalationRules.js';
import type { TenantProfiles } from '../../models/incident/tenantProfile.js';
import type { Clock } from '../../models/ports/clock.js';
import type { CardElement } from './common.js';
import { incidentCard } from './incidentCard.js';

/** The incident card for the record as it is now, in its tenant's words; `notice` is for the person who just acted. */
export interface IncidentCardRenderer {
  incident(incident: Incident, notice?: string): CardElement;
}

export function incidentCardRenderer(deps: { readonly clock: Clock; readonly rules: EscalationRules; readonly profiles: TenantProfiles; readonly statusPage: boolean }): IncidentCardRenderer {
  return {
    incident: (incident, notice) => incidentCard(incident, { now: deps.clock.now(), rules: deps.rules, profile: deps.profiles.for(incident.tenantId), statusPage: deps.statusPage, notice }),
  };
}
