/**
 * The public status page: what customers read, written by the Communications lead and kept
 * apart from the internal updates (which stay in Teams). A port with a Statuspage adapter; the
 * sync runs after the change is recorded and says on the card and in the channel if it failed.
 */
import { withTransientRetries } from '../support/retry.js';
import { incidentLabel, type Incident, type Person } from '../incident/incident.js';
import type { IncidentActions } from './incidentActions.js';
import type { Clock, Logger, Messenger } from '../ports.js';
import { SYSTEM, type TimelineEvent } from '../incident/timeline.js';

export const PUBLIC_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];
export const PUBLIC_TEXT_LIMIT = 2000;

/** The incident on the status page. */
export interface PublicIncidentRef {
  readonly id: string;
  readonly url?: string;
}

export interface PublicStatusState {
  readonly status: PublicStatus;
  readonly text: string;
  readonly at: Date;
  readonly by: Person;
  /** Set once the status page has it. */
  readonly page?: PublicIncidentRef;
  /** The last sync failed: why, and what to do. */
  readonly error?: string;
}

export interface PublicPost {
  readonly name: string;
  readonly status: PublicStatus;
  readonly body: string;
  readonly impact: 'none' | 'minor' | 'major' | 'critical';
}

/** A status page service (Statuspage). */
export interface StatusPage {
  readonly name: string;
  /** The public incident created for this incident earlier (a crash may have lost our record of it). */
  find(incidentId: string): Promise<PublicIncidentRef | undefined>;
  create(incidentId: string, post: PublicPost): Promise<PublicIncidentRef>;
  update(ref: PublicIncidentRef, post: Pick<PublicPost, 'status' | 'body'>): Promise<void>;
}

const IMPACT = { P0: 'critical', P1: 'major', P2: 'minor', P3: 'none' } as const;

/** Pushes each recorded public status to the status page, then records where it lives. */
export class PublicStatusSync {
  constructor(private readonly deps: { page: StatusPage; actions: Pick<IncidentActions, 'recordPublicStatusSync'>; messenger: Pick<Messenger, 'postNotice'>; clock: Clock; log: Logger; attempts?: number }) {}

  async incidentChanged(incident: Incident, event: TimelineEvent): Promise<void> {
    if (event.kind !== 'public_status_updated' || !incident.publicStatus) return;
    const state = incident.publicStatus;
    const key = `${event.id}:synced`;
    try {
      const page = await withTransientRetries(this.deps.clock, this.deps.attempts ?? 3, () => this.push(incident, state));
      await this.deps.actions.recordPublicStatusSync({ incidentId: incident.id, key, actor: SYSTEM }, { page });
    } catch (error) {
      const message = (error as Error).message;
      this.deps.log.error({ incident: incidentLabel(incident), err: message }, 'status page update failed');
      await this.deps.actions.recordPublicStatusSync({ incidentId: incident.id, key, actor: SYSTEM }, { error: message });
      await this.deps.messenger.postNotice(incident, `⚠️ The status page (${this.deps.page.name}) was not updated for ${incidentLabel(incident)}: ${message}. Post the public status again from the card once it is fixed.`, state.by ? [state.by] : []);
    }
  }

  private async push(incident: Incident, state: PublicStatusState): Promise<PublicIncidentRef> {
    const { page } = this.deps;
    const existing = state.page ?? (await page.find(incident.id));
    if (existing) {
      await page.update(existing, { status: state.status, body: state.text });
      return existing;
    }
    return page.create(incident.id, { name: incident.title, status: state.status, body: state.text, impact: IMPACT[incident.severity] });
  }
}
