/**
 * Carries a private incident's membership into Teams once the change is recorded: an invited
 * person is added to its group chat, a removed one taken out. Without a chat (Teams refused it)
 * the invited person is told in their personal chat. The meeting's attendees follow too. Runs as
 * a reaction of the outbox, so a failure is retried, and adding or removing twice is fine.
 */
import { incidentLabel, type Incident, type Person } from '../incident/incident.js';
import { SYSTEM, type EventKind, type TimelineEvent } from '../incident/timeline.js';
import { memberIdsOf } from '../incident/membership.js';
import type { IncidentActions } from './incidentActions.js';
import type { Messenger } from '../ports/messenger.js';
import type { Workspace } from '../ports/workspace.js';
import { md } from '../support/markdown.js';

export interface PrivateMembershipDeps {
  readonly workspace: Pick<Workspace, 'addChatMember' | 'removeChatMember' | 'restrictMeeting'>;
  readonly messenger: Pick<Messenger, 'sendPersonal' | 'postPersonalCards'>;
  /** Records the card copy an invited member got (without a chat), so it is redrawn with the card. */
  readonly actions: Pick<IncidentActions, 'run'>;
}

/** The events that change who a private incident's members are. */
const MEMBERSHIP_EVENTS = new Set<EventKind>(['member_invited', 'member_removed', 'role_assigned', 'paged']);

export class PrivateMembership {
  constructor(private readonly deps: PrivateMembershipDeps) {}

  async incidentChanged(incident: Incident, event: TimelineEvent): Promise<void> {
    await this.intoChat(incident, event);
    // Its meeting follows the membership: members are its attendees, the lobby keeps everyone else out.
    if (incident.private && incident.meeting && MEMBERSHIP_EVENTS.has(event.kind)) await this.deps.workspace.restrictMeeting(incident.meeting, memberIdsOf(incident));
  }

  private async intoChat(incident: Incident, event: TimelineEvent): Promise<void> {
    // The people paged for it became members (memberDecisions.ts withPagedMembers): into its chat too.
    if (event.kind === 'paged' && incident.private && incident.chat) {
      for (const paged of (event.payload.people as Person[] | undefined) ?? []) if (paged.aadObjectId) await this.deps.workspace.addChatMember(incident.chat.id, paged.aadObjectId);
      return;
    }
    const person = event.payload.person as Person | undefined;
    if (!incident.private || !person?.aadObjectId) return;
    const chatId = incident.chat?.id;
    // A role holder is a member (memberDecisions.ts withMember): in the chat too, if not there yet (adding twice is fine).
    if (event.kind === 'role_assigned') return chatId ? this.deps.workspace.addChatMember(chatId, person.aadObjectId) : undefined;
    if (event.kind !== 'member_invited' && event.kind !== 'member_removed') return;
    if (event.kind === 'member_removed') return chatId ? this.deps.workspace.removeChatMember(chatId, person.aadObjectId) : undefined;
    if (chatId) return this.deps.workspace.addChatMember(chatId, person.aadObjectId);
    await this.deps.messenger.sendPersonal(incident.tenantId, person, md`🔒 ${event.actor.name} made you a member of ${incidentLabel(incident)} (private): ${incident.title}. Its card and updates come here.`);
    const [card] = await this.deps.messenger.postPersonalCards(incident, [person]);
    if (card) await this.deps.actions.run('recordPersonalCard', { incidentId: incident.id, key: `${event.id}:card`, actor: SYSTEM, via: 'app' }, { card, person });
  }
}
