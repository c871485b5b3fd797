import { incidentLabel, type Incident } from '../models/incident/incident.js';
import type { ActionRequest, ActionResult, IncidentActions } from '../models/actions/incidentActions.js';
import type { Clock, IncidentStore, Workspace } from '../models/ports.js';
import type { TimelineEvent } from '../models/incident/timeline.js';
import type { CardElement } from './cards/common.js';
import type { BotTurn } from './turn.js';
import { requestContext } from '../http/requestContext.js';

export interface DeskDeps {
  readonly store: IncidentStore;
  readonly actions: IncidentActions;
  readonly workspace: Workspace;
  readonly clock: Clock;
  /** The incident card for the record, with a notice for the person who acted. */
  readonly renderCard: (incident: Incident, notice?: string) => CardElement;
}

export type Located = { readonly incident: Incident } | { readonly problem: string };

/** One line per change someone else made since the person's card was rendered. */
export function describeEvent(event: TimelineEvent): string {
  const p = event.payload as Record<string, any>;
  const by = event.actor.name;
  switch (event.kind) {
    case 'acknowledged':
      return `${by} acknowledged`;
    case 'role_assigned':
      return `${by} made ${p.person?.name} ${p.role}`;
    case 'status_changed':
    case 'resolved':
    case 'closed':
      return `${by} moved it from ${p.from} to ${p.to}`;
    case 'severity_changed':
      return `${by} changed severity ${p.from} → ${p.to}`;
    case 'summary_updated':
      return `${by} updated the summary`;
    case 'update_posted':
      return `${by} posted an update`;
    case 'escalated':
      return `${by} escalated (level ${p.level})`;
    default:
      return `${by}: ${event.kind.replace(/_/g, ' ')}`;
  }
}

/**
 * What commands and card actions share: finding the incident a turn is about, checking that the
 * person may change it, and turning a use-case result into words and a card.
 */
export class IncidentDesk {
  constructor(readonly deps: DeskDeps) {}

  /** In an incident channel, that incident; elsewhere the `INC-n` the person named. */
  async locate(turn: BotTurn, number?: number): Promise<Located> {
    const found = await this.find(turn, number);
    if ('incident' in found) requestContext.tagIncident(incidentLabel(found.incident));
    return found;
  }

  private async find(turn: BotTurn, number?: number): Promise<Located> {
    const { store } = this.deps;
    if (number !== undefined) {
      const found = await store.findByNumber(turn.tenantId, number);
      return found ? { incident: found } : { problem: `There is no INC-${number}.` };
    }
    const here = await store.findByChannel(turn.tenantId, turn.conversationRoot);
    if (here) return { incident: here };
    const open = await store.listOpen(turn.tenantId, 5);
    const hint = open.length > 0 ? ` Open now: ${open.map((i) => `${incidentLabel(i)} (${i.title})`).join(', ')}.` : ' There are no open incidents.';
    return { problem: `Which incident? Outside an incident channel, name it, e.g. \`status identified INC-42\`.${hint}` };
  }

  /**
   * In the incident's own channel everyone present is a member of the incidents team. From a
   * personal chat or another channel, we check membership before letting anyone change it.
   */
  async authorise(turn: BotTurn, incident: Incident): Promise<string | undefined> {
    if (incident.channel && turn.conversationRoot === incident.channel.id) return undefined;
    if (!turn.actor.aadObjectId) return 'I cannot tell who you are from this conversation, so I cannot change the incident from here. Use its channel.';
    const member = await this.deps.workspace.isTeamMember(turn.actor.aadObjectId);
    return member ? undefined : `Only members of the incidents team can change ${incidentLabel(incident)}. Ask its Incident Commander to add you.`;
  }

  request(turn: BotTurn, incident: Incident, seenVersion?: number): ActionRequest {
    return { incidentId: incident.id, key: `teams-activity:${turn.activityId}`, actor: turn.actor, seenVersion };
  }

  /** The words for the person who acted. */
  explain(result: ActionResult): string {
    const parts = [result.message];
    if (result.changedSince?.length) parts.push(`Your card was out of date; since you loaded it: ${result.changedSince.map(describeEvent).join('; ')}.`);
    if (result.deliveryProblem) parts.push(`Note: ${result.deliveryProblem}.`);
    return parts.join(' ');
  }

  card(incident: Incident, notice?: string): CardElement {
    return this.deps.renderCard(incident, notice);
  }
}
