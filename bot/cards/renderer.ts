import type { Incident } from '../../models/incident/incident.js';
import type { EscalationRules } from '../../models/incident/escalationRules.js';
import type { TenantProfiles } from '../../models/incident/tenantProfile.js';
import type { Clock } from '../../models/ports/clock.js';
import type { CardElement } from './common.js';
import { incidentCard } from './incidentCard.js';
import { ReminderTimings } from '../../models/paging/reminderTimings.js';
import type { OnCallSetup } from '../../models/paging/oncall.js';

/** The incident card for the record as it is now, in its tenant's words; `notice` is for the person who just acted. */
export interface IncidentCardRenderer {
  incident(incident: Incident, notice?: string): CardElement;
}

export interface RendererDeps {
  readonly clock: Clock;
  readonly rules: EscalationRules;
  readonly profiles: TenantProfiles;
  readonly statusPage: boolean;
  /** The tenant's on-call setup: how often updates are due (the card says when the next one is). */
  readonly onCallSetup?: (tenantId: string) => Promise<OnCallSetup | undefined>;
  /** The incident tab opened on its post-mortem view. */
  readonly postmortemUrl?: (incident: Incident) => string | undefined;
}

export function incidentCardRenderer(deps: RendererDeps): IncidentCardRenderer {
  const reminders = deps.onCallSetup && new ReminderTimings({ setup: deps.onCallSetup, clock: deps.clock });
  return {
    incident: (incident, notice) => incidentCard(incident, { now: deps.clock.now(), rules: deps.rules, profile: deps.profiles.for(incident.tenantId), statusPage: deps.statusPage, notice, updateEveryMinutes: reminders?.updateEveryMinutes(incident), postmortemUrl: deps.postmortemUrl?.(incident) }),
  };
}
