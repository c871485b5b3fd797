import { isOpen } from './lifecycle.js';
import type { Incident } from './incident.js';

/** When an incident should be P0 even if nobody said so: a P1 open too long, or any data loss. */
export interface EscalationRules {
  /** A P1 still open after this long should be P0. */
  readonly p1MaxMinutes: number;
  /** `suggest`: the card offers the raise; `force`: incident-room raises it itself. */
  readonly mode: 'suggest' | 'force';
}

export const DEFAULT_ESCALATION_RULES: EscalationRules = { p1MaxMinutes: 60, mode: 'suggest' };

/** Why this incident should be P0 now, or undefined. Pure: the card shows it, the rules apply it. */
export function p0Reason(incident: Incident, now: Date, rules: EscalationRules): string | undefined {
  if (incident.severity === 'P0' || !isOpen(incident.status)) return undefined;
  if (incident.dataLoss) return 'data loss or corruption was reported';
  if (incident.severity === 'P1') {
    const since = incident.milestones.started ?? incident.milestones.declared;
    const minutes = Math.floor((now.getTime() - since.getTime()) / 60_000);
    if (minutes >= rules.p1MaxMinutes) return `it has been a P1 for ${minutes} minutes (the limit is ${rules.p1MaxMinutes})`;
  }
  return undefined;
}
