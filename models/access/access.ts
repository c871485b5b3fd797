/**
 * Who may do what, and where: the one answer to "may this person do this here", from the tenant's
 * access policy (policy.ts). Facts about the incident (who commands it, who holds the role being
 * changed) are read from the record; membership of the incidents team and of the Entra groups a
 * policy names come from Teams and the directory, cached for a few minutes. Every check fails
 * closed: someone Teams gives no Entra id for, or whose membership cannot be read, is not a member.
 */
import { incidentLabel, samePerson, type Incident, type Person } from '../incident/incident.js';
import { isMember } from '../incident/membership.js';
import { ACTIONS, type ActionInput, type ActionName, type Who } from '../actions/actionTable.js';
import type { ActionRequest } from '../actions/actionRequest.js';
import type { Workspace } from '../ports/workspace.js';
import type { Directory } from '../ports/directory.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import { DEFAULT_RULES, GRANTEES, namedGroups, whoMay, type AccessPolicy, type Grantee, type NamedGrantee, type PolicyRule } from './policy.js';

/** Where the person acts: in the incident's own channel everyone present is in the incidents team. */
export interface Place {
  readonly inIncidentChannel: boolean;
}

const CACHE_MS = 5 * 60_000;
/** What someone who may not see a private incident is told: nothing about it. */
export const HIDDEN = 'There is no such incident, or it is private and you are not one of its members. Nothing was changed.';
const COMMANDER_RULES: ReadonlySet<PolicyRule> = new Set(['close', 'lowerSeverity', 'handOverCommand', 'publishPostmortem', 'resolve', 'assignFreeRole', 'publishPublicStatus', 'manageMembers']);

export interface AccessDeps {
  readonly membership: Pick<Workspace, 'isTeamMember'>;
  readonly directory: Directory;
  /** Each tenant's policy. */
  readonly policyOf: (tenantId: string | undefined) => AccessPolicy;
  readonly clock: Clock;
  readonly log: Logger;
}

/** What one check needs to know, gathered lazily: most actions need nothing beyond the record. */
interface Subject {
  readonly actor: Person;
  readonly tenantId?: string;
  readonly incident?: Incident;
  readonly place?: Place;
  /** For a role change: who holds the role being changed. */
  readonly holder?: Person;
}

export class Access {
  private readonly members = new Map<string, { member: boolean; until: number }>();
  private readonly groups = new Map<string, { ids: ReadonlySet<string>; until: number }>();

  constructor(private readonly deps: AccessDeps) {}

  /** Why this person may not run this action on this incident, or undefined when they may. */
  async refusal<N extends ActionName>(name: N, request: ActionRequest, incident: Incident, input: ActionInput<N>): Promise<string | undefined> {
    const who = ACTIONS[name].who as Who<ActionInput<N>>;
    if (request.via === 'app') return undefined;
    // Before any rule: a refusal that named who may would say who is in it.
    if (!(await this.canSee(incident, request.actor))) return HIDDEN;
    if (who === 'app') return 'That is done by incident-room itself, not from a card, a command or the tab.';
    const rule = typeof who === 'function' ? who(incident, input, request.actor) : who;
    const role = name === 'assignRole' ? (input as ActionInput<'assignRole'>).role : undefined;
    const holder = role && role !== 'sme' ? incident.roles[role] : undefined;
    return this.ruleRefusal(rule, { actor: request.actor, tenantId: incident.tenantId, incident, place: request.place, holder });
  }

  /** Why this person may not do this (a rule with no incident, like declaring or changing the rota), or undefined. */
  mayDo(rule: PolicyRule, actor: Person, tenantId: string | undefined, place?: Place, incident?: Incident): Promise<string | undefined> {
    return this.ruleRefusal(rule, { actor, tenantId: incident?.tenantId ?? tenantId, incident, place });
  }

  /**
   * The visibility rule, the one every read surface asks: anyone may see a public incident (the
   * rules above decide what they may do with it); a private one only its members and incident
   * admins (admins included). To anyone else it is as if it did not exist.
   */
  async canSee(incident: Pick<Incident, 'private' | 'members' | 'reporter' | 'tenantId'>, person: Person): Promise<boolean> {
    if (!incident.private || isMember(incident, person)) return true;
    return this.isIncidentAdmin(person, incident.tenantId);
  }

  /** The incidents of a list this person may see, in order (one admin check for the whole list). */
  async visible<T extends Pick<Incident, 'private' | 'members' | 'reporter' | 'tenantId'>>(incidents: readonly T[], person: Person): Promise<T[]> {
    if (!incidents.some((i) => i.private && !isMember(i, person))) return [...incidents];
    const admin = await this.isIncidentAdmin(person, incidents[0]!.tenantId);
    return incidents.filter((i) => !i.private || admin || isMember(i, person));
  }

  /** Whether this person sees every incident of the tenant, private ones included (incident admins and admins). */
  seesEveryIncident(person: Person, tenantId: string): Promise<boolean> {
    return this.isIncidentAdmin(person, tenantId);
  }

  private async isIncidentAdmin(person: Person, tenantId: string): Promise<boolean> {
    const subject = { actor: person, tenantId };
    return (await this.isNamed('incidentAdmins', subject)) || (await this.isNamed('admins', subject));
  }

  /** Whether this Entra user belongs to the incidents team (the tab's sign-in asks too). */
  async isMember(aadObjectId: string): Promise<boolean> {
    const key = aadObjectId.toLowerCase();
    const cached = this.members.get(key);
    const now = this.deps.clock.now().getTime();
    if (cached && cached.until > now) return cached.member;
    const member = await this.deps.membership.isTeamMember(aadObjectId);
    this.members.set(key, { member, until: now + CACHE_MS });
    return member;
  }

  /** Teams said this person left (or joined) the team: the next check asks again. */
  forget(aadObjectId: string): void {
    this.members.delete(aadObjectId.toLowerCase());
    this.groups.delete(aadObjectId.toLowerCase());
  }

  private async ruleRefusal(rule: PolicyRule, subject: Subject): Promise<string | undefined> {
    const grantees = this.deps.policyOf(subject.tenantId).rules[rule];
    const standIn = this.teamStandsIn(grantees, subject);
    for (const grantee of grantees) if (await this.grants(grantee, subject, standIn)) return undefined;
    return this.explain(rule, grantees, subject, standIn);
  }

  /**
   * While nobody commands the incident, and nobody else the rule names holds a role on it, the
   * team stands in for the commander: nothing waits for a commander at 3 a.m. When a
   * Communications lead (say) exists, the status page stays theirs.
   */
  private teamStandsIn(grantees: readonly Grantee[], s: Subject): boolean {
    const roles = s.incident?.roles;
    if (!grantees.includes('commander') || roles?.commander) return false;
    const held = (g: Grantee) =>
      (g === 'holder' && Boolean(s.holder)) ||
      (g === 'communications' && Boolean(roles?.communications)) ||
      (g === 'responders' && Boolean(roles && (roles.communications || roles.business || roles.technical || roles.scribe || roles.smes.length > 0)));
    return !grantees.some(held);
  }

  private async grants(grantee: Grantee, s: Subject, standIn: boolean): Promise<boolean> {
    const roles = s.incident?.roles;
    switch (grantee) {
      case 'tenant':
        return true;
      case 'team':
        return this.inTeam(s);
      case 'commander':
        return roles?.commander ? samePerson(roles.commander, s.actor) : standIn && this.inTeam(s);
      case 'holder':
        return Boolean(s.holder && samePerson(s.holder, s.actor));
      case 'responders':
        return Boolean(roles && [roles.commander, roles.communications, roles.business, roles.technical, roles.scribe, ...roles.smes].some((p) => p && samePerson(p, s.actor)));
      case 'communications':
        return Boolean(roles?.communications && samePerson(roles.communications, s.actor));
      case 'incidentAdmins':
      case 'rotaManagers':
      case 'admins':
        return (await this.isNamed(grantee, s)) || (grantee !== 'admins' && (await this.isNamed('admins', s)));
    }
  }

  private async inTeam(s: Subject): Promise<boolean> {
    if (s.place?.inIncidentChannel) return true;
    if (!s.actor.aadObjectId) return false;
    try {
      return await this.isMember(s.actor.aadObjectId);
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message }, 'could not check incidents-team membership; treating the person as not a member');
      return false;
    }
  }

  private async isNamed(who: NamedGrantee, s: Subject): Promise<boolean> {
    const oid = s.actor.aadObjectId?.toLowerCase();
    if (!oid) return false;
    const policy = this.deps.policyOf(s.tenantId);
    const named = policy.named[who];
    if (named.users.includes(oid)) return true;
    if (named.groups.length === 0) return false;
    const mine = await this.memberGroups(oid, namedGroups(policy));
    return named.groups.some((group) => mine.has(group));
  }

  private async memberGroups(oid: string, groupIds: readonly string[]): Promise<ReadonlySet<string>> {
    const now = this.deps.clock.now().getTime();
    const cached = this.groups.get(oid);
    if (cached && cached.until > now) return cached.ids;
    try {
      const ids = new Set((await this.deps.directory.memberGroups(oid, groupIds)).map((id) => id.toLowerCase()));
      this.groups.set(oid, { ids, until: now + CACHE_MS });
      return ids;
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message }, 'could not read Entra group membership; treating the person as in none of the policy’s groups');
      return new Set();
    }
  }

  private explain(rule: PolicyRule, grantees: readonly Grantee[], s: Subject, standIn: boolean): string {
    const roles = s.incident?.roles;
    const commander = roles?.commander;
    const label = (g: Grantee): string => {
      if (g === 'commander') return commander ? `the Incident Commander (${commander.name})` : standIn ? 'members of the incidents team (while nobody commands it)' : 'the Incident Commander (nobody yet)';
      if (g === 'holder' && s.holder) return `${s.holder.name} (who holds that role)`;
      if (g === 'communications' && roles?.communications) return `the Communications lead (${roles.communications.name})`;
      return GRANTEES[g];
    };
    let text = `Only ${whoMay(grantees, label)} can ${DEFAULT_RULES[rule].does}${s.incident ? ` on ${incidentLabel(s.incident)}` : ''}.`;
    if (commander && COMMANDER_RULES.has(rule) && grantees.includes('commander') && !samePerson(commander, s.actor)) {
      text += ` If ${commander.name} cannot be reached, \`take command <reason>\` makes you the commander and tells them why.`;
    }
    if (!s.actor.aadObjectId && !s.place?.inIncidentChannel) text += ' (Teams did not say who you are here: try from the incident channel.)';
    return text;
  }
}
