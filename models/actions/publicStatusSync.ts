/**
 * The public status page: what customers read, written by the Communications lead and kept
 * apart from the internal updates (which stay in Teams). The sync runs after the change is
 * recorded and says on the card and in the channel if it failed.
 */
import { withTransientRetries } from '../support/retry.js';
import { incidentLabel, type Incident } from '../incident/incident.js';
import type { IncidentActions } from './incidentActions.js';
import type { PublicIncidentRef, PublicStatusState } from '../incident/publicStatus.js';
import type { StatusPage } from '../ports/statusPage.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import { SYSTEM, type TimelineEvent } from '../incident/timeline.js';
import { md } from '../support/markdown.js';

const IMPACT = { P0: 'critical', P1: 'major', P2: 'minor', P3: 'none' } as const;

/** Pushes each recorded public status to the status page, then records where it lives. */
export class PublicStatusSync {
  constructor(private readonly deps: { page: StatusPage; actions: Pick<IncidentActions, 'run'>; messenger: Pick<Messenger, 'postNotice'>; clock: Clock; log: Logger; attempts?: number }) {}

  async incidentChanged(incident: Incident, event: TimelineEvent): Promise<void> {
    if (event.kind !== 'public_status_updated' || !incident.publicStatus) return;
    const state = incident.publicStatus;
    // A private incident never reaches the public page: its members hear why, nothing is sent.
    if (incident.private) return void (await this.deps.messenger.postNotice(incident, md`🔒 ${incidentLabel(incident)} is private, so the status page (${this.deps.page.name}) is never updated for it. The public status is kept on the incident only.`, state.by ? [state.by] : []));
    const key = `${event.id}:synced`;
    try {
      const page = await withTransientRetries(this.deps.clock, this.deps.attempts ?? 3, () => this.push(incident, state));
      await this.deps.actions.run('recordPublicStatusSync', { incidentId: incident.id, key, actor: SYSTEM, via: 'app' }, { page });
    } catch (error) {
      const message = (error as Error).message;
      this.deps.log.error({ incident: incidentLabel(incident), err: message }, 'status page update failed');
      await this.deps.actions.run('recordPublicStatusSync', { incidentId: incident.id, key, actor: SYSTEM, via: 'app' }, { error: message });
      await this.deps.messenger.postNotice(incident, md`⚠️ The status page (${this.deps.page.name}) was not updated for ${incidentLabel(incident)}: ${message}. Post the public status again from the card once it is fixed.`, state.by ? [state.by] : []);
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
