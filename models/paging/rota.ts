/**
 * The on-call setup people see and change in chat: who is on the rota, who is on call now and
 * next, the policy, and what is unhealthy about it. The file (ONCALL_FILE) is the starting point;
 * the first change in chat stores a copy per tenant, which wins from then on.
 */
import type { Person } from '../incident/incident.js';
import { keepCurrentShift, MIN_HEALTHY_ROTA, onCallSchema, setupWarnings, shiftAt, type OnCallSetup, type Shift } from './oncall.js';
import type { Clock } from '../ports/clock.js';
import type { OnCallStore } from '../ports/onCallStore.js';
import type { Severity } from '../incident/severity.js';

export interface RotaDeps {
  readonly store: OnCallStore;
  readonly clock: Clock;
  /** The setup from ONCALL_FILE (or local mode's sandbox people); undefined when none is configured. */
  readonly initial?: OnCallSetup;
}

export interface RotaView {
  readonly setup?: OnCallSetup;
  readonly shift?: Shift;
  readonly warnings: readonly string[];
}

export type RotaChange = { readonly changed: true; readonly view: RotaView; readonly message: string } | { readonly changed: false; readonly message: string };

const ATTEMPTS = 5;

export class Rota {
  constructor(private readonly deps: RotaDeps) {}

  /** The setup in force for a tenant (what paging uses). */
  async setup(tenantId: string): Promise<OnCallSetup | undefined> {
    return (await this.deps.store.getOnCall(tenantId))?.setup ?? this.deps.initial;
  }

  async view(tenantId: string): Promise<RotaView> {
    const setup = await this.setup(tenantId);
    if (!setup) return { warnings: ['No on-call rota is configured: set ONCALL_FILE (see README), or add people with `oncall add @person`.'] };
    return { setup, shift: shiftAt(setup.rota, this.deps.clock.now()), warnings: setupWarnings(setup) };
  }

  add(tenantId: string, person: Person): Promise<RotaChange> {
    return this.change(tenantId, (setup) => {
      if (setup?.rota.people.some((p) => p.id === person.id)) return `${person.name} is already on the rota.`;
      const people = [...(setup?.rota.people ?? []), { id: person.id, name: person.name, ...(person.aadObjectId ? { aadObjectId: person.aadObjectId } : {}) }];
      const start = setup?.rota.people.length ? { start: keepCurrentShift(setup.rota, people, setup.rota.shiftHours, this.deps.clock.now()).start } : {};
      return onCallSchema.parse({ ...(setup ?? {}), rota: { ...(setup?.rota ?? {}), people, ...start } });
    }, `${person.name} joined the rota (from the next shifts; who is on call now does not change)`);
  }

  async remove(tenantId: string, person: Person): Promise<RotaChange> {
    let takesOver: Person | undefined;
    const result = await this.change(tenantId, (setup) => {
      if (!setup?.rota.people.some((p) => p.id === person.id)) return `${person.name} is not on the rota.`;
      if (setup.rota.people.length === 1) return `${person.name} is the only person on the rota; add someone else first.`;
      const people = setup.rota.people.filter((p) => p.id !== person.id);
      const kept = keepCurrentShift(setup.rota, people, setup.rota.shiftHours, this.deps.clock.now());
      takesOver = kept.takesOver;
      return { ...setup, rota: { ...setup.rota, people, start: kept.start } };
    }, `${person.name} left the rota`);
    // Only when they held the pager does someone else start now, and people are told who.
    return result.changed && takesOver ? { ...result, message: result.message.replace(`${person.name} left the rota.`, `${person.name} left the rota; they were on call, so ${takesOver.name} takes over now.`) } : result;
  }

  /** Per-severity timings from chat, e.g. acknowledge within 10 minutes and updates every 15 for P1. */
  setTiming(tenantId: string, severity: Severity, change: { ackMinutes?: number; updateMinutes?: number }): Promise<RotaChange> {
    return this.change(tenantId, (setup) => {
      if (!setup) return 'There is no rota yet: add people first with `oncall add @person`.';
      const timings = { ...setup.timings, [severity]: { ...setup.timings[severity], ...change } };
      const parsed = onCallSchema.safeParse({ ...setup, timings });
      return parsed.success ? parsed.data : `Those timings are not valid: ${parsed.error.issues.map((i) => i.message).join('; ')}.`;
    }, `${severity} timings changed: acknowledge within ${change.ackMinutes ?? 'the same'} min, updates every ${change.updateMinutes ?? 'the same'} min`);
  }

  /** Shift length in hours (handoffs happen every shift from the rota's start). */
  setShiftHours(tenantId: string, hours: number): Promise<RotaChange> {
    return this.change(tenantId, (setup) => {
      if (!setup) return 'There is no rota yet: add people first with `oncall add @person`.';
      const start = Number.isInteger(hours) && hours > 0 ? keepCurrentShift(setup.rota, setup.rota.people, hours, this.deps.clock.now()).start : setup.rota.start;
      const parsed = onCallSchema.safeParse({ ...setup, rota: { ...setup.rota, shiftHours: hours, start } });
      return parsed.success ? parsed.data : `A shift must be a whole number of hours between 1 and ${24 * 28}.`;
    }, `Shifts are now ${hours} h`);
  }

  /** Read, change, save if nobody else saved in between; otherwise read again. */
  private async change(tenantId: string, edit: (setup: OnCallSetup | undefined) => OnCallSetup | string, done: string): Promise<RotaChange> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const stored = await this.deps.store.getOnCall(tenantId);
      const next = edit(stored?.setup ?? this.deps.initial);
      if (typeof next === 'string') return { changed: false, message: next };
      if (await this.deps.store.saveOnCall(tenantId, next, stored?.version ?? 0)) {
        const view = await this.view(tenantId);
        const size = next.rota.people.length;
        const health = size < MIN_HEALTHY_ROTA ? ` The rota has ${size}; a healthy one has at least ${MIN_HEALTHY_ROTA}.` : '';
        return { changed: true, view, message: `${done}.${health}` };
      }
    }
    return { changed: false, message: 'The rota is being changed by someone else right now; nothing was changed, try again.' };
  }
}
