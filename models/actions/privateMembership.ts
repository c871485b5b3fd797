/**
 * Carries a private incident's membership into Teams once the change is recorded: an invited
 * person is added to its group chat, a removed one taken out. Without a chat (Teams refused it)
 * the invited person is told in their personal chat. Runs as a reaction of the outbox, so a
 * failure is retried, and adding or removing twice is fine.
 */
import { incidentLabel, type Incident, type Person } from '../incident/incident.js';
import type { TimelineEvent } from '../incident/timeline.js';
import type { Messenger } from '../ports/messenger.js';
import type { Workspace } from '../ports/workspace.js';
import { md } from '../support/markdown.js';

export class PrivateMembership {
  constructor(private readonly deps: { readonly workspace: Pick<Workspace, 'addChatMember' | 'removeChatMember'>; readonly messenger: Pick<Messenger, 'sendPersonal'> }) {}

  async incidentChanged(incident: Incident, event: TimelineEvent): Promise<void> {
    const person = event.payload.person as Person | undefined;
    if (!incident.private || !person?.aadObjectId) return;
    const chatId = incident.chat?.id;
    // A role holder is a member (memberDecisions.ts withMember): in the chat too, if not there yet (adding twice is fine).
    if (event.kind === 'role_assigned') return chatId ? this.deps.workspace.addChatMember(chatId, person.aadObjectId) : undefined;
    if (event.kind !== 'member_invited' && event.kind !== 'member_removed') return;
    if (event.kind === 'member_removed') return chatId ? this.deps.workspace.removeChatMember(chatId, person.aadObjectId) : undefined;
    if (chatId) return this.deps.workspace.addChatMember(chatId, person.aadObjectId);
    await this.deps.messenger.sendPersonal(incident.tenantId, person, md`🔒 ${event.actor.name} made you a member of ${incidentLabel(incident)} (private): ${incident.title}. Its updates come here; \`info ${incidentLabel(incident)}\` shows its card.`);
  }
}
