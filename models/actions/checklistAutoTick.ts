/**
 * The checklist ticks what the record already proves: an Incident Commander assigned, people on
 * the bridge, the first update posted, a status summary (and topic line) written, the status page
 * updated. Each is ticked by incident-room on the timeline, saying why; the rest stay for people.
 */
import type { Incident } from '../incident/incident.js';
import { SYSTEM, type TimelineEvent } from '../incident/timeline.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';
import type { Logger } from '../ports/logger.js';
import type { ActionResult, ChangeReaction } from './actionRequest.js';
import type { IncidentActions } from './incidentActions.js';

interface Proof {
  readonly item: string;
  readonly because: string;
  readonly holds: (event: Pick<TimelineEvent, 'kind' | 'payload'>) => boolean;
}

/** Which events prove which default checklist items (tenant checklists that reuse these ids get the same). */
export const PROOFS: readonly Proof[] = [
  { item: 'roles', because: 'an Incident Commander was assigned', holds: (e) => (e.kind === 'role_assigned' && e.payload.role === 'commander') || e.kind === 'command_taken' },
  { item: 'communicate', because: 'the first update was posted', holds: (e) => e.kind === 'update_posted' },
  { item: 'statement', because: 'the topic line was written', holds: (e) => e.kind === 'summary_updated' && Boolean(e.payload.topic) },
  { item: 'loop', because: 'a status summary was posted', holds: (e) => e.kind === 'summary_updated' },
  { item: 'call', because: 'people joined the bridge', holds: (e) => e.kind === 'meeting_joined' },
  { item: 'status-page', because: 'the public status page was updated', holds: (e) => e.kind === 'public_status_updated' },
];

export class ChecklistAutoTick implements ChangeReaction {
  constructor(private readonly deps: { readonly actions: Pick<IncidentActions, 'run'>; readonly profiles: TenantProfiles; readonly log: Logger }) {}

  async incidentChanged(incident: Incident, event: Pick<TimelineEvent, 'kind' | 'payload'>): Promise<void> {
    const items = new Set(this.deps.profiles.checklistOf(incident).map((i) => i.id));
    for (const proof of PROOFS) {
      if (!proof.holds(event) || !items.has(proof.item) || incident.checklist?.[proof.item]) continue;
      // One key per item and incident: a retried reaction ticks once, and an untick by a person stays theirs.
      const result: ActionResult = await this.deps.actions.run('tickChecklist', { incidentId: incident.id, key: `auto-tick:${incident.id}:${proof.item}`, actor: SYSTEM, via: 'app' }, { itemId: proof.item, done: true, because: proof.because });
      if (result.outcome === 'refused') this.deps.log.info({ incidentId: incident.id, item: proof.item, reason: result.message }, 'checklist item not ticked automatically');
    }
  }
}
