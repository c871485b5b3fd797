/**
 * Who is in a private incident: its members see it and are in its group chat (or get its card
 * in their personal chat, without one). Inviting and removing are decisions like any other: on
 * the timeline, credited to whoever did it, and carried into Teams by a reaction (privateMembership.ts).
 */
import { incidentLabel, samePerson, SINGLE_ROLES, type Incident, type MessageRef, type Person } from '../incident/incident.js';
import { isMember, membersOf } from '../incident/membership.js';
import type { Decision } from './decisions.js';

/** Teams' limit on people in a chat (limits page): the chat, and so the incident, holds no more. */
export const MAX_MEMBERS = 250;

const notPrivate = (incident: Incident) => `${incidentLabel(incident)} is not private: everyone in the incidents team can see it already.`;

export function invite(incident: Incident, person: Person): Decision {
  if (!incident.private) return { refuse: notPrivate(incident) };
  if (incident.status === 'archived') return { refuse: `${incidentLabel(incident)} is archived; nobody joins it any more.` };
  // The chat takes people by their Entra id: someone Teams gave none for cannot be added.
  if (!person.aadObjectId) return { refuse: `I could not tell who ${person.name} is in your organisation, so they were not invited; mention them from the people picker.` };
  if (isMember(incident, person)) return { refuse: `${person.name} is already a member of ${incidentLabel(incident)}.` };
  const members = membersOf(incident);
  if (members.length >= MAX_MEMBERS) return { refuse: `${incidentLabel(incident)} has ${MAX_MEMBERS} members, the most a Teams chat holds; remove someone first.` };
  const where = incident.chat ? 'added to its private chat' : 'its card and updates will reach them in their personal chat with incident-room';
  return { patch: { members: [...members, person] }, event: { kind: 'member_invited', payload: { person } }, message: `${person.name} is now a member of ${incidentLabel(incident)} (${where}).` };
}

/**
 * Someone given a role on a private incident becomes one of its members: a role holder who could
 * not see the incident could not do the role.
 */
export function withMember(decision: Decision, incident: Incident, person: Person): Decision {
  if ('refuse' in decision || !incident.private || isMember(incident, person)) return decision;
  if (!person.aadObjectId) return { refuse: `I could not tell who ${person.name} is in your organisation, so they cannot join this private incident; pick them from the people picker.` };
  return { ...decision, patch: { ...decision.patch, members: [...membersOf(incident), person] }, message: `${decision.message} ${person.name} is now a member of ${incidentLabel(incident)}.` };
}

/**
 * The people paged for a private incident become its members: someone woken at 3 a.m. to run it
 * must be able to read it. Those without an Entra id (a name typed in ONCALL_FILE) are left out.
 */
export function withPagedMembers(decision: Decision, incident: Incident, people: readonly Person[]): Decision {
  if ('refuse' in decision || !incident.private) return decision;
  const joining = people.filter((p) => p.aadObjectId && !isMember(incident, p));
  if (joining.length === 0) return decision;
  return { ...decision, patch: { ...decision.patch, members: [...membersOf(incident), ...joining] }, message: `${decision.message} ${joining.map((p) => p.name).join(', ')} ${joining.length === 1 ? 'is' : 'are'} now a member of ${incidentLabel(incident)}.` };
}

/** A copy of the card sent to a member invited while the incident has no chat: redrawn with the card from then on. */
export function recordPersonalCard(incident: Incident, card: MessageRef, person: Person): Decision {
  const copies = incident.personalCards ?? [];
  if (copies.some((c) => c.conversationId === card.conversationId && c.activityId === card.activityId)) return { refuse: 'That copy of the card is recorded already.' };
  return { patch: { personalCards: [...copies, card] }, event: { kind: 'card_posted', payload: { ...card, personal: true, person } }, message: `The card went to ${person.name}'s personal chat.` };
}

export function removeMember(incident: Incident, person: Person): Decision {
  if (!incident.private) return { refuse: notPrivate(incident) };
  const members = membersOf(incident);
  const member = members.find((m) => samePerson(m, person));
  if (!member) return { refuse: `${person.name} is not a member of ${incidentLabel(incident)}.` };
  if (members.length === 1) return { refuse: `${person.name} is the last member of ${incidentLabel(incident)}; invite someone else first.` };
  // Someone with a role is part of the response: the role goes to someone else first.
  const role = SINGLE_ROLES.find((r) => incident.roles[r] && samePerson(incident.roles[r], person));
  if (role || incident.roles.smes.some((p) => samePerson(p, person))) return { refuse: `${person.name} holds a role on ${incidentLabel(incident)}; give it to someone else before removing them.` };
  return { patch: { members: members.filter((m) => m !== member) }, event: { kind: 'member_removed', payload: { person: member } }, message: `${member.name} is no longer a member of ${incidentLabel(incident)}${incident.chat ? ' and was removed from its private chat' : ''}.` };
}
