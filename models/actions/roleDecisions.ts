/**
 * Who holds which role: assigning one, and taking over command from a commander who cannot be
 * reached (with a reason, on the timeline and announced to them), so an absent commander never
 * blocks the response.
 */
import { incidentLabel, ROLE_NAMES, samePerson, type Incident, type Person, type Role } from '../incident/incident.js';
import type { Decision } from './decisions.js';
import { TEXT_LIMITS } from './limits.js';

const MAX_SMES = 20;
const label = incidentLabel;
const name = (p: Person) => p.name;

export function whenClosed(incident: Incident): Decision | undefined {
  if (incident.status === 'closed' || incident.status === 'archived') return { refuse: `${label(incident)} is ${incident.status}; nothing can change any more.` };
  return undefined;
}

export function assignRole(incident: Incident, role: Role, person: Person): Decision {
  const closed = whenClosed(incident);
  if (closed) return closed;
  if (role === 'sme') {
    if (incident.roles.smes.some((p) => samePerson(p, person))) return { refuse: `${name(person)} is already an SME on ${label(incident)}.` };
    if (incident.roles.smes.length >= MAX_SMES) return { refuse: `${label(incident)} already has ${MAX_SMES} SMEs.` };
    return {
      patch: { roles: { smes: [...incident.roles.smes, person] } },
      event: { kind: 'role_assigned', payload: { role, person } },
      message: `${name(person)} joined ${label(incident)} as an SME.`,
    };
  }
  const previous = incident.roles[role];
  if (previous && samePerson(previous, person)) return { refuse: `${name(person)} is already the ${ROLE_NAMES[role]} of ${label(incident)}.` };
  return {
    patch: { roles: { [role]: person } },
    event: { kind: 'role_assigned', payload: { role, person, previous } },
    message: `${name(person)} is now the ${ROLE_NAMES[role]} of ${label(incident)}${previous ? ` (was ${name(previous)})` : ''}.`,
  };
}

export function takeCommand(incident: Incident, actor: Person, reason: string, now: Date): Decision {
  const closed = whenClosed(incident);
  if (closed) return closed;
  const previous = incident.roles.commander;
  if (previous && samePerson(previous, actor)) return { refuse: `You are already the Incident Commander of ${label(incident)}.` };
  const why = reason.trim();
  if (!previous) return { refuse: `${label(incident)} has no commander: take the role (\`role commander me\`) instead.` };
  if (!why) return { refuse: `Say why you are taking over from ${name(previous)} (\`take command <reason>\`): they and the channel are told.` };
  if (why.length > TEXT_LIMITS.takeoverReason) return { refuse: `Keep the reason under ${TEXT_LIMITS.takeoverReason} characters (it is ${why.length}).` };
  return {
    patch: { roles: { commander: actor } },
    event: { kind: 'command_taken', payload: { person: actor, previous, reason: why, at: now.toISOString() } },
    message: `${name(actor)} took over command of ${label(incident)} from ${name(previous)}: ${why}`,
    post: `${name(actor)} is now the Incident Commander (took over from ${name(previous)}): ${why}`,
  };
}
