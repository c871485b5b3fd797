/**
 * Who may do what, and where: the one answer to "may this person do this here". Actions carry
 * their audience in the action table; reading the team's data (every open incident, metrics,
 * the rota) is a rule of its own. Membership of the incidents team comes from Teams.
 */
import { incidentLabel, type Incident, type Person } from '../incident/incident.js';
import { ACTIONS, type ActionName, type Audience } from '../actions/actionTable.js';
import type { Workspace } from '../ports/workspace.js';

/** Where the person acts: in the incident's own channel everyone present is in the incidents team. */
export interface Place {
  readonly inIncidentChannel: boolean;
}

/** What people outside a single incident may look at. */
export type TeamData = 'incidents' | 'metrics' | 'rota';

const TEAM_DATA_WORDS: Readonly<Record<TeamData, string>> = {
  incidents: 'list incidents',
  metrics: 'see the incident metrics',
  rota: 'see or change the on-call rota',
};

type Rule = (access: Access, actor: Person, incident: Incident, place: Place) => Promise<string | undefined>;

const membersOnly: Rule = async (access, actor, incident, place) => {
  if (place.inIncidentChannel) return undefined;
  if (!actor.aadObjectId) return 'I cannot tell who you are from this conversation, so I cannot change the incident from here. Use its channel.';
  return (await access.isMember(actor.aadObjectId)) ? undefined : `Only members of the incidents team can change ${incidentLabel(incident)}. Ask its Incident Commander to add you.`;
};

/** The rule for each audience. `owner` actions are team actions whose decision also names the one role holder who may. */
const RULES: Readonly<Record<Audience, Rule>> = {
  team: membersOnly,
  owner: membersOnly,
  tenant: async () => undefined,
  app: async () => 'That is done by incident-room itself, not from a card or a command.',
};

export class Access {
  constructor(private readonly deps: { readonly membership: Pick<Workspace, 'isTeamMember'> }) {}

  /** Why this person may not run this action on this incident from here, or undefined when they may. */
  mayRun(name: ActionName, actor: Person, incident: Incident, place: Place): Promise<string | undefined> {
    return RULES[ACTIONS[name].who](this, actor, incident, place);
  }

  /**
   * Why this person may not see the team's data, or undefined. People Teams gives no Entra id for
   * (hand-made activities) are let through, as they always were; the access policy will decide that.
   */
  async mayRead(actor: Person, what: TeamData): Promise<string | undefined> {
    if (!actor.aadObjectId || (await this.isMember(actor.aadObjectId))) return undefined;
    return `Only members of the incidents team can ${TEAM_DATA_WORDS[what]}.`;
  }

  /** Whether this Entra user belongs to the incidents team (the tab's sign-in asks too). */
  isMember(aadObjectId: string): Promise<boolean> {
    return this.deps.membership.isTeamMember(aadObjectId);
  }
}
