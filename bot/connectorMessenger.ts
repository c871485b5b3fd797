import { mentionIdOf } from './mentions.js';
import { CardFactory, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { PermanentError } from '../models/support/errors.js';
import { incidentLabel, type Incident, type MessageRef, type Person } from '../models/incident/incident.js';
import { membersOf } from '../models/incident/membership.js';
import type { ConversationStore } from '../models/ports/conversationStore.js';
import type { Messenger } from '../models/ports/messenger.js';
import type { StoredPostmortem } from '../models/ports/postmortemStore.js';
import type { TenantProfiles } from '../models/incident/tenantProfile.js';
import { broadcastCard, postmortemCard, reporterCard, updateCard } from './cards/messages.js';
import { retryingOnlyWhenRefused } from './connectorRetries.js';
import { translateHttpError } from '../adapters/httpErrors.js';
import { md, mdJoin, type Markdown } from '../models/support/markdown.js';

export interface ConnectorMessengerSettings {
  readonly adapter: CloudAdapter;
  /** Empty in local mode, where Bot Framework auth is off. */
  readonly botAppId: string;
  readonly conversations: ConversationStore;
  /** Used until we have heard from the tenant and learned its regional service URL. */
  readonly fallbackServiceUrl: string;
  /** The company-wide channel (e.g. production-issues) where every incident is broadcast. */
  readonly broadcastChannelId?: string;
  /** Each tenant's severity names and card texts. */
  readonly profiles: TenantProfiles;
}

const CONNECTOR_HINTS = {
  401: 'Check MICROSOFT_APP_ID/MICROSOFT_APP_PASSWORD (Bot Framework rejected the bot token).',
  403: 'Install the incident-room app in the incidents team: bots can only post where they are installed.',
  404: 'The conversation no longer exists (channel deleted?).',
  413: 'The card is larger than Teams allows (100 KB).',
};

/**
 * Teams' mention markup for a person we mention on purpose (its entity names them by id). The
 * display name is escaped like any name (it sits in Markdown, so `[x](…)` in it would be a link);
 * only `< > &`, which would end or break the tag itself, are left out of the label (the entity
 * carries the full name).
 */
const atMention = (p: Person): Markdown => md`<at>${p.name.replace(/[<>&]/g, '')}</at>`;

/**
 * A notice as Teams takes it. Teams turns <at>Name</at> into a mention (and a notification) when
 * an entity names the person by an id it accepts; someone with no such id is named in plain text
 * instead (escaped, like every name).
 */
export function noticeActivity(text: Markdown, mentions: readonly Person[]) {
  const mentionable = mentions.map((p) => ({ person: p, id: mentionIdOf(p) }));
  return {
    type: 'message',
    textFormat: 'markdown',
    text: mdJoin([...mentionable.map(({ person, id }) => (id ? atMention(person) : md`${person.name}`)), text], md` `).toString(),
    entities: mentionable.filter((m) => m.id).map(({ person, id }) => ({ type: 'mention', text: atMention(person).toString(), mentioned: { id, name: person.name } })),
  };
}

const asAttachment = (card: object) => ({ type: 'message', attachments: [CardFactory.adaptiveCard(card)] });

/** The Messenger port over the Bot Framework connector, as proactive messages. */
export class ConnectorMessenger implements Messenger {
  constructor(
    private readonly settings: ConnectorMessengerSettings,
    /** Renders the incident card for the record (the card builder needs the clock and rules). */
    private readonly cards: { incident(incident: Incident): object },
  ) {}

  private profile(incident: Incident) {
    return this.settings.profiles.for(incident.tenantId);
  }

  async postIncidentCard(incident: Incident): Promise<MessageRef> {
    if (incident.private) return this.postPrivately(incident, asAttachment(this.cards.incident(incident)), 'posting the incident card');
    return this.startThread(incident.tenantId, incident.channel!.id, this.cards.incident(incident), 'posting the incident card');
  }

  async postPersonalCards(incident: Incident, people: readonly Person[] = membersOf(incident)): Promise<MessageRef[]> {
    return this.toEach(incident, people, asAttachment(this.cards.incident(incident)), 'posting the incident card');
  }

  async rootMessage(tenantId: string, channelId: string, activityId: string): Promise<MessageRef> {
    return { conversationId: `${channelId};messageid=${activityId}`, activityId, serviceUrl: await this.serviceUrlFor(tenantId, channelId) };
  }

  /** The tenant's regional connector (learned from its activities), or the fallback until we have heard from it. */
  private async serviceUrlFor(tenantId: string, conversationId: string | undefined): Promise<string> {
    return (await this.settings.conversations.serviceUrlFor(tenantId, conversationId)) ?? this.settings.fallbackServiceUrl;
  }

  async updateIncidentCard(incident: Incident): Promise<void> {
    const drawn = asAttachment(this.cards.incident(incident));
    const update = (card: MessageRef) =>
      this.withConnector(incident.tenantId, card.conversationId, 'updating the incident card', (client) => client.conversations.updateActivity(card.conversationId, card.activityId, { ...drawn, id: card.activityId } as never));
    // The copies in members' personal chats (a private incident without a chat) follow the first; one unreachable member stops none of them.
    await Promise.all([update(incident.card!), Promise.allSettled((incident.personalCards ?? []).map(update))]);
  }

  async notifyReporter(incident: Incident): Promise<void> {
    const to = incident.source.replyTo!;
    const message = asAttachment(reporterCard(incident, this.profile(incident)));
    await this.withConnector(incident.tenantId, to.conversationId, 'answering the reporter', async (client) => {
      const ack = incident.source.ackActivityId;
      if (ack) await client.conversations.updateActivity(to.conversationId, ack, { ...message, id: ack } as never);
      else if (to.activityId) await client.conversations.replyToActivity(to.conversationId, to.activityId, message as never);
      else await client.conversations.sendToConversation(to.conversationId, message as never);
    });
  }

  async postBroadcast(incident: Incident): Promise<MessageRef> {
    const channelId = this.settings.broadcastChannelId;
    if (!channelId) throw new PermanentError('no broadcast channel is configured', 'Set BROADCAST_CHANNEL_ID to the company-wide incidents channel.');
    return this.startThread(incident.tenantId, channelId, broadcastCard(incident, this.profile(incident), this.settings.profiles.broadcastOf(incident)), 'broadcasting the incident');
  }

  async updateBroadcast(incident: Incident): Promise<void> {
    const root = incident.broadcast!;
    await this.withConnector(incident.tenantId, root.conversationId, 'updating the broadcast', (client) =>
      client.conversations.updateActivity(root.conversationId, root.activityId, { ...asAttachment(broadcastCard(incident, this.profile(incident), this.settings.profiles.broadcastOf(incident))), id: root.activityId } as never),
    );
  }

  async postUpdateInChannel(incident: Incident, text: Markdown, by: Person, marker: string): Promise<void> {
    if (incident.private) return void (await this.postPrivately(incident, asAttachment(updateCard(incident, text, by, marker)), 'posting the update'));
    await this.startThread(incident.tenantId, incident.channel!.id, updateCard(incident, text, by, marker), 'posting the update in the incident channel');
  }

  async replyInBroadcast(incident: Incident, text: Markdown, by: Person, marker: string): Promise<void> {
    const root = incident.broadcast!;
    await this.withConnector(incident.tenantId, root.conversationId, 'replying in the broadcast thread', (client) =>
      client.conversations.replyToActivity(root.conversationId, root.activityId, asAttachment(updateCard(incident, text, by, marker)) as never),
    );
  }

  async postPostmortem(incident: Incident, postmortem: StoredPostmortem, tabUrl?: string): Promise<void> {
    if (incident.private) return void (await this.postPrivately(incident, asAttachment(postmortemCard(incident, postmortem, this.profile(incident), tabUrl)), 'posting the post-mortem summary'));
    await this.startThread(incident.tenantId, incident.channel!.id, postmortemCard(incident, postmortem, this.profile(incident), tabUrl), 'posting the post-mortem summary');
  }

  async postNotice(incident: Incident, text: Markdown, mentions: readonly Person[] = []): Promise<void> {
    if (incident.private) return void (await this.postPrivately(incident, noticeActivity(text, mentions), 'posting a notice'));
    // Without its own channel (creating it failed for good) the incident's notices go to the broadcast channel.
    const channelId = incident.channel?.id ?? this.settings.broadcastChannelId;
    if (!channelId) throw new PermanentError(`${incidentLabel(incident)} has no channel and no broadcast channel is configured`, 'Fix the channel step (see the card) or set BROADCAST_CHANNEL_ID.');
    await this.startThread(incident.tenantId, channelId, noticeActivity(text, mentions), 'posting a notice in the incident channel', false);
  }

  /**
   * Opens (or reopens: Teams returns the same one) the personal chat with this person, then
   * posts there. Needs the app installed for the person (personal scope).
   */
  async sendPersonal(tenantId: string, person: Person, text: Markdown): Promise<void> {
    await this.toPersonalChat(tenantId, person, { type: 'message', textFormat: 'markdown', text: text.toString() }, 'sending a personal message');
  }

  /**
   * A private incident's message: in its group chat, or (no chat could be made) in each member's
   * personal chat, never a channel. Its reference is the chat's copy, or the first member's (the
   * reporter's): that one is updated in place.
   */
  private async postPrivately(incident: Incident, activity: object, what: string): Promise<MessageRef> {
    const { tenantId } = incident;
    if (incident.chat) {
      const chatId = incident.chat.id;
      return this.withConnector(tenantId, chatId, what, async (client, serviceUrl) => {
        const sent = await client.conversations.sendToConversation(chatId, activity as never);
        return { conversationId: chatId, activityId: sent.id, serviceUrl };
      });
    }
    return (await this.toEach(incident, membersOf(incident), activity, what))[0]!;
  }

  /** To each person's personal chat: the messages that went out, in order; fails only when none did. */
  private async toEach(incident: Incident, people: readonly Person[], activity: object, what: string): Promise<MessageRef[]> {
    const sent = await Promise.allSettled(people.map((person) => this.toPersonalChat(incident.tenantId, person, activity, what)));
    const delivered = sent.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    if (delivered.length === 0) throw (sent[0] as PromiseRejectedResult | undefined)?.reason ?? new PermanentError(`${incidentLabel(incident)} has no members to tell`);
    return delivered;
  }

  private toPersonalChat(tenantId: string, person: Person, activity: object, what: string): Promise<MessageRef> {
    // The tab knows people by Entra object id only; Teams accepts either as the member id.
    const memberId = person.id.startsWith('aad:') && person.aadObjectId ? person.aadObjectId : person.id;
    return this.withConnector(tenantId, undefined, what, async (client, serviceUrl) => {
      const chat = await client.conversations.createConversation({
        isGroup: false,
        bot: { id: this.settings.botAppId, name: 'incident-room' },
        members: [{ id: memberId, name: person.name }],
        tenantId,
        channelData: { tenant: { id: tenantId } },
      } as never);
      const posted = await client.conversations.sendToConversation(chat.id, activity as never);
      return { conversationId: chat.id, activityId: posted.id, serviceUrl };
    });
  }

  /** A new top-level message (thread) in a channel: a card, or a message activity as it is. */
  private startThread(tenantId: string, channelId: string, card: object, what: string, isCard = true): Promise<MessageRef> {
    return this.withConnector(tenantId, channelId, what, async (client, serviceUrl) => {
      const created = await client.conversations.createConversation({
        isGroup: true,
        bot: { id: this.settings.botAppId, name: 'incident-room' },
        tenantId,
        channelData: { channel: { id: channelId }, tenant: { id: tenantId } },
        activity: (isCard ? asAttachment(card) : card) as never,
      } as never);
      const activityId = created.activityId ?? created.id.split(';messageid=')[1] ?? created.id;
      return { conversationId: created.id, activityId, serviceUrl };
    });
  }

  private async withConnector<T>(
    tenantId: string,
    conversationId: string | undefined,
    what: string,
    action: (client: ConnectorClient, serviceUrl: string) => Promise<T>,
  ): Promise<T> {
    const { adapter, botAppId } = this.settings;
    const serviceUrl = await this.serviceUrlFor(tenantId, conversationId);
    let result: T | undefined;
    // botbuilder hands an error thrown inside a proactive turn to the adapter's turn-error handler
    // (which logs it and returns), so it is caught here and rethrown once the turn is over.
    let failure: { error: unknown } | undefined;
    try {
      await adapter.continueConversationAsync(
        botAppId,
        { channelId: 'msteams', serviceUrl, conversation: { id: conversationId ?? `tenant:${tenantId}`, isGroup: true, tenantId, conversationType: 'channel', name: '' } },
        async (context: TurnContext) => {
          const client = retryingOnlyWhenRefused(context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey));
          try {
            result = await action(client, serviceUrl);
          } catch (error) {
            failure = { error };
          }
        },
      );
    } catch (error) {
      failure = { error };
    }
    if (failure) throw translateHttpError(failure.error, what, CONNECTOR_HINTS);
    return result as T;
  }
}
