import type { Incident } from '../incident/incident.js';
import type { Clock } from '../ports/clock.js';
import { timingFor, type OnCallSetup } from './oncall.js';

const FRESH_MS = 60_000;

/**
 * How often updates are due for an incident, for the card's "next update due" line. A card is
 * drawn synchronously, so the tenant's on-call timings are kept here and re-read in the
 * background once they are a minute old: a changed timing shows on the next card within a
 * minute (the reminder itself always reads the current setup). Until the first read, the defaults.
 */
export class ReminderTimings {
  private readonly known = new Map<string, { setup: OnCallSetup | undefined; at: number; loading?: boolean }>();

  constructor(private readonly deps: { readonly setup: (tenantId: string) => Promise<OnCallSetup | undefined>; readonly clock: Clock }) {}

  updateEveryMinutes(incident: Pick<Incident, 'tenantId' | 'severity'>): number {
    const entry = this.known.get(incident.tenantId);
    if (!entry || (this.deps.clock.now().getTime() - entry.at > FRESH_MS && !entry.loading)) void this.load(incident.tenantId);
    return timingFor(entry?.setup ?? { timings: {} }, incident.severity).updateMinutes;
  }

  /** Reads the tenant's setup now (at start and after a rota change, the card is right at once). */
  async load(tenantId: string): Promise<void> {
    const entry = this.known.get(tenantId);
    this.known.set(tenantId, { setup: entry?.setup, at: entry?.at ?? 0, loading: true });
    try {
      this.known.set(tenantId, { setup: await this.deps.setup(tenantId), at: this.deps.clock.now().getTime() });
    } catch {
      // The database is unreachable: keep what was known; the next card asks again.
      this.known.set(tenantId, { setup: entry?.setup, at: entry?.at ?? 0 });
    }
  }
}
