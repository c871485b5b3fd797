import { incidentLabel, type Incident } from '../models/incident/incident.js';
import { describeEvent } from '../models/incident/eventText.js';
import { isMember } from '../models/incident/membership.js';
import type { ActionInput, ActionName } from '../models/actions/actionTable.js';
import type { ActionRequest, ActionResult, IncidentActions } from '../models/actions/incidentActions.js';
import type { Access } from '../models/access/access.js';
import type { PolicyRule } from '../models/access/policy.js';
import type { IncidentLookup } from '../models/ports/incidentLookup.js';
import type { Workspace } from '../models/ports/workspace.js';
import type { TimelineStore } from '../models/ports/timelineStore.js';
import type { Clock } from '../models/ports/clock.js';
import { timelineEvent } from '../models/incident/timeline.js';
import type { Person } from '../models/incident/person.js';
import { requestContext } from '../http/requestContext.js';
import type { IncidentCardRenderer } from './cards/renderer.js';
import type { CardElement } from './cards/common.js';
import type { BotTurn } from './turn.js';
import { md, mdJoin, type Markdown } from '../models/support/markdown.js';

export interface DeskDeps {
  readonly incidents: IncidentLookup;
  readonly timeline: Pick<TimelineStore, 'appendEvent'>;
  readonly clock: Clock;
  readonly actions: Pick<IncidentActions, 'run' | 'enforceRules'>;
  readonly access: Access;
  readonly cards: IncidentCardRenderer;
  /** The incidents team's roster: who a people-picker value names when the conversation does not know them. */
  readonly roster?: Pick<Workspace, 'findTeamMember'>;
}

const ENTRA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Located = { readonly incident: Incident } | { readonly problem: Markdown };

/**
 * What commands and card actions share: finding the incident a turn is about, running an action
 * on it as the person who acted (if they may, here), and turning the result into words and a card.
 */
export class IncidentDesk {
  constructor(private readonly deps: DeskDeps) {}

  /** In an incident channel, that incident; elsewhere the `INC-n` the person named. */
  async locate(turn: BotTurn, number?: number): Promise<Located> {
    const found = await this.find(turn, number);
    if ('incident' in found) requestContext.tagIncident(incidentLabel(found.incident));
    return found;
  }

  private async find(turn: BotTurn, number?: number): Promise<Located> {
    const { incidents } = this.deps;
    if (number !== undefined) {
      const found = await incidents.findByNumber(turn.tenantId, number);
      // A private incident someone may not see answers exactly as one that does not exist.
      if (!found || !(await this.deps.access.canSee(found, turn.actor))) return { problem: md`There is no INC-${number}.` };
      // Its member asking where others read the answer (a channel, another chat): nothing of it is said there.
      if (!this.privatePlace(turn, found)) return { problem: md`${incidentLabel(found)} is private: ask in its chat, or in your personal chat with me.` };
      return { incident: found };
    }
    const here = await this.incidentHere(turn);
    if (here && (await this.deps.access.canSee(here, turn.actor))) return { incident: here };
    const open = await this.openIncidents(turn.tenantId, 5, turn.actor, turn);
    // The open incidents' titles are people's words: escaped, so a title cannot be a link here.
    const hint = open.length > 0 ? md` Open now: ${mdJoin(open.map((i) => md`${incidentLabel(i)} (${i.title})`), md`, `)}.` : md` There are no open incidents.`;
    return { problem: md`Which incident? Outside an incident channel, name it, e.g. \`status identified INC-42\`.${hint}` };
  }

  /** The incident whose channel this turn came from, if any. */
  incidentHere(turn: BotTurn): Promise<Incident | undefined> {
    return this.deps.incidents.findByChannel(turn.tenantId, turn.conversationRoot);
  }

  /** The incident a card names, if it is in the clicker's tenant (a card from elsewhere names nothing here). */
  async cardIncident(turn: BotTurn, incidentId: string): Promise<Incident | undefined> {
    const incident = await this.deps.incidents.findById(incidentId);
    if (incident?.tenantId !== turn.tenantId) return undefined;
    // A card of a private incident in the hands of someone who may not see it names nothing either.
    if (!(await this.deps.access.canSee(incident, turn.actor))) return undefined;
    requestContext.tagIncident(incidentLabel(incident));
    return incident;
  }

  /** Records that this person joined the incident's channel; false when they had joined before. */
  firstJoin(incident: Incident, person: Person): Promise<boolean> {
    const actor = { kind: 'user' as const, id: person.id, name: person.name };
    return this.deps.timeline.appendEvent(timelineEvent(incident.id, 'channel_joined', person.id, { at: this.deps.clock.now(), actor }));
  }

  /**
   * The open incidents this person may see (private ones only for their members and incident
   * admins), and of those only what may be said where they asked: private ones in their personal chat.
   */
  async openIncidents(tenantId: string, limit: number, viewer: Person, where?: BotTurn): Promise<Incident[]> {
    const visible = await this.deps.access.visible(await this.deps.incidents.listOpen(tenantId, limit), viewer);
    return where ? visible.filter((incident) => this.privatePlace(where, incident)) : visible;
  }

  /** Whether what is said in this turn's conversation may name this incident: any public one; a private one in its room or a personal chat. */
  private privatePlace(turn: BotTurn, incident: Incident): boolean {
    return !incident.private || turn.personal || this.inChannelOf(turn, incident);
  }

  /**
   * The person a people picker (or a mention) names. Teams answers a member lookup only for
   * people in the conversation, and someone invited to a private incident's chat is not in it
   * yet: a picker's Entra id is then looked up in the incidents team.
   */
  async person(turn: BotTurn, id: string): Promise<Person | undefined> {
    const here = await turn.resolveMember(id);
    if (here || !ENTRA_ID.test(id) || !this.deps.roster) return here;
    const member = await this.deps.roster.findTeamMember(id).catch(() => undefined);
    return member && { id: `aad:${member.aadObjectId}`, name: member.name, aadObjectId: member.aadObjectId };
  }

  /** Runs an action as the person of this turn (the access policy decides whether they may, here). */
  act<N extends ActionName>(name: N, turn: BotTurn, incident: Incident, input: ActionInput<N>, seenVersion?: number): Promise<ActionResult> {
    return this.deps.actions.run(name, this.request(turn, incident, seenVersion), input);
  }

  /** Why this person may not do this here (a rule with no incident: the team's data, the rota, declaring), if so. */
  mayDo(turn: BotTurn, rule: PolicyRule): Promise<string | undefined> {
    return this.deps.access.mayDo(rule, turn.actor, turn.tenantId);
  }

  /** Whether the person sees every incident, private ones included (their metrics then count them all). */
  seesEveryIncident(turn: BotTurn): Promise<boolean> {
    return this.deps.access.seesEveryIncident(turn.actor, turn.tenantId);
  }

  /** The card as the record is now, after the escalation rules had their say. */
  async current(incident: Incident): Promise<CardElement> {
    return this.card(await this.deps.actions.enforceRules(incident));
  }

  /** Whether this turn is in the incident's room: its channel, or a private incident's chat (or a member's personal chat, without one). */
  inChannelOf(turn: BotTurn, incident: Incident): boolean {
    if (incident.private) return incident.chat ? turn.conversationRoot === incident.chat.id : turn.personal && isMember(incident, turn.actor);
    return Boolean(incident.channel) && turn.conversationRoot === incident.channel!.id;
  }

  private request(turn: BotTurn, incident: Incident, seenVersion?: number): ActionRequest {
    return { incidentId: incident.id, key: `teams-activity:${turn.activityId}`, actor: turn.actor, seenVersion, place: { inIncidentChannel: this.inChannelOf(turn, incident) } };
  }

  /** The words for the person who acted: plain text (names and people's words in it), escaped wherever it is shown as Markdown. */
  explain(result: ActionResult): string {
    const parts = [result.message];
    if (result.changedSince?.length) parts.push(`Your card was out of date; since you loaded it: ${result.changedSince.map((e) => `${e.actor.name} ${describeEvent(e)}`).join('; ')}.`);
    if (result.deliveryProblem) parts.push(`Note: ${result.deliveryProblem}.`);
    return parts.join(' ');
  }

  card(incident: Incident, notice?: string): CardElement {
    return this.deps.cards.incident(incident, notice);
  }
}
