/**
 * The incident channel's conversation on the record: with the RSC permission ChannelMessage.Read.Group
 * Teams sends the bot every message posted in the incident channel (and, for a private incident
 * whose type asks for it, ChatMessage.Read.Chat every message in its group chat), and the edits,
 * deletes and undeletes of those messages (Microsoft Learn, "Messages in bot conversations":
 * `messageUpdate` with channelData.eventType `editMessage` or `undeleteMessage`, `messageDelete`
 * with `softDeleteMessage`). Each becomes a *chat* entry, kept apart from the timeline (mutable,
 * and far more of them): who wrote it, when, its words, a link back; an edit replaces the words
 * and says so, a delete removes them and says so.
 *
 * Whether a conversation is kept is the tenant's choice (TENANT_CONFIG_FILE `recordConversation`,
 * default on) and its incident type's (`recordConversation` on a type overrides it); a private
 * incident's only when its type says so itself — the tenant's default never reaches it.
 */
import type { Incident } from '../incident/incident.js';
import { isPrivateIncident } from '../incident/incidentTypes.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';
import type { IncidentLookup } from '../ports/incidentLookup.js';
import type { ChatEntryStore } from '../ports/recordStore.js';
import { deterministicId } from '../support/ids.js';

export interface ChatEntry {
  readonly id: string;
  readonly incidentId: string;
  readonly messageId: string;
  /** The channel (or chat) it was posted in, and the thread's root for a reply. */
  readonly conversationId: string;
  readonly replyToId?: string;
  readonly author: { readonly id: string; readonly name: string; readonly aadObjectId?: string };
  /** When it was written (Teams' timestamp of the post). */
  readonly at: Date;
  /** Empty once deleted. */
  readonly text: string;
  readonly link?: string;
  readonly editedAt?: Date;
  readonly deletedAt?: Date;
  /** Lowercase author and text: what search matches (no $text index on the embedded database). */
  readonly searchText: string;
}

export interface ChatEntryCursor {
  readonly at: Date;
  readonly id: string;
}

/** A message posted in a conversation, as the bot heard it. */
export interface HeardMessage {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly messageId: string;
  readonly replyToId?: string;
  readonly author: ChatEntry['author'];
  readonly at: Date;
  readonly text: string;
  readonly link?: string;
}

/** What Teams said happened to a message already posted. */
export interface MessageChange {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly messageId: string;
  readonly kind: 'edited' | 'deleted' | 'undeleted';
  readonly text?: string;
  readonly at: Date;
}

export const chatEntryId = (tenantId: string, conversationId: string, messageId: string) => deterministicId('chat-entry', tenantId, conversationId, messageId);
/** Lowercase, every run of spaces and line breaks one space: "db failover" finds "DB  Failover". */
export const searchTextOf = (author: string, text: string) => `${author} ${text}`.replace(/\s+/g, ' ').trim().toLowerCase();

/** Whether this incident's conversation is kept: its type's word, else its tenant's — and for a private incident only its type's, and only a yes. */
export function keepsConversation(profiles: TenantProfiles, incident: Pick<Incident, 'tenantId' | 'type' | 'private'>): boolean {
  const type = profiles.typeOf(incident);
  if (isPrivateIncident(type, incident.private === true)) return type.recordConversation === true;
  return type.recordConversation ?? profiles.for(incident.tenantId).recordConversation;
}

export class ChannelConversation {
  constructor(private readonly deps: { readonly incidents: Pick<IncidentLookup, 'findByChannel'>; readonly entries: ChatEntryStore; readonly profiles: TenantProfiles }) {}

  /** Records a message posted in an incident's conversation; false when it is not one, is not kept, or was recorded before. */
  async heard(message: HeardMessage): Promise<boolean> {
    const incident = await this.deps.incidents.findByChannel(message.tenantId, message.conversationId);
    if (!incident || !keepsConversation(this.deps.profiles, incident)) return false;
    const entry: ChatEntry = {
      id: chatEntryId(message.tenantId, message.conversationId, message.messageId),
      incidentId: incident.id,
      messageId: message.messageId,
      conversationId: message.conversationId,
      replyToId: message.replyToId,
      author: message.author,
      at: message.at,
      text: message.text,
      link: message.link,
      searchText: searchTextOf(message.author.name, message.text),
    };
    return this.deps.entries.applyChatChange({ kind: 'posted', entry });
  }

  /**
   * An edit, delete or undelete: applied to the entry of that message, if it was kept (one never
   * recorded, because the setting was off or it came before the incident, stays unrecorded).
   */
  changed(change: MessageChange): Promise<boolean> {
    const id = chatEntryId(change.tenantId, change.conversationId, change.messageId);
    if (change.kind === 'deleted') return this.deps.entries.applyChatChange({ kind: 'deleted', id, at: change.at });
    return this.deps.entries.applyChatChange({ kind: change.kind, id, text: change.text ?? '', at: change.at });
  }
}
