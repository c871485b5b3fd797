import { CardFactory, type CloudAdapter, type TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { incidentLabel, type Incident, type MessageRef } from '../models/incident.js';
import type { ConversationStore, Messenger } from '../models/ports.js';
import { incidentCard } from './cards/incidentCard.js';
import { reporterCard } from './cards/messages.js';
import { translateHttpError } from './errorTranslation.js';

export interface ConnectorMessengerSettings {
  readonly adapter: CloudAdapter;
  /** Empty in local mode, where Bot Framework auth is off. */
  readonly botAppId: string;
  readonly conversations: ConversationStore;
  /** Used until we have heard from the tenant and learned its regional service URL. */
  readonly fallbackServiceUrl: string;
}

const CONNECTOR_HINTS = {
  401: 'Check MICROSOFT_APP_ID/MICROSOFT_APP_PASSWORD (Bot Framework rejected the bot token).',
  403: 'Install the incident-room app in the incidents team: bots can only post where they are installed.',
  404: 'The conversation no longer exists (channel deleted?).',
  413: 'The card is larger than Teams allows (100 KB).',
};

const asAttachment = (card: object) => ({ type: 'message', attachments: [CardFactory.adaptiveCard(card)] });

/** The Messenger port over the Bot Framework connector, as proactive messages. */
export class ConnectorMessenger implements Messenger {
  constructor(private readonly settings: ConnectorMessengerSettings) {}

  async postIncidentCard(incident: Incident): Promise<MessageRef> {
    const channel = incident.channel!;
    return this.withConnector(incident.tenantId, channel.id, 'posting the incident card', async (client, serviceUrl) => {
      const created = await client.conversations.createConversation({
        isGroup: true,
        bot: { id: this.settings.botAppId, name: 'incident-room' },
        tenantId: incident.tenantId,
        channelData: { channel: { id: channel.id }, tenant: { id: incident.tenantId } },
        activity: { ...asAttachment(incidentCard(incident)), summary: `${incidentLabel(incident)}: ${incident.title}` } as never,
      } as never);
      const activityId = created.activityId ?? created.id.split(';messageid=')[1] ?? created.id;
      return { conversationId: created.id, activityId, serviceUrl };
    });
  }

  async updateIncidentCard(incident: Incident): Promise<void> {
    const card = incident.card!;
    await this.withConnector(incident.tenantId, card.conversationId, 'updating the incident card', (client) =>
      client.conversations.updateActivity(card.conversationId, card.activityId, { ...asAttachment(incidentCard(incident)), id: card.activityId } as never),
    );
  }

  async notifyReporter(incident: Incident): Promise<void> {
    const to = incident.source.replyTo!;
    const message = asAttachment(reporterCard(incident));
    await this.withConnector(incident.tenantId, to.conversationId, 'answering the reporter', async (client) => {
      const ack = incident.source.ackActivityId;
      if (ack) await client.conversations.updateActivity(to.conversationId, ack, { ...message, id: ack } as never);
      else if (to.activityId) await client.conversations.replyToActivity(to.conversationId, to.activityId, message as never);
      else await client.conversations.sendToConversation(to.conversationId, message as never);
    });
  }

  private async withConnector<T>(
    tenantId: string,
    conversationId: string,
    what: string,
    action: (client: ConnectorClient, serviceUrl: string) => Promise<T>,
  ): Promise<T> {
    const { adapter, botAppId, conversations, fallbackServiceUrl } = this.settings;
    const serviceUrl = (await conversations.serviceUrlFor(tenantId, conversationId)) ?? fallbackServiceUrl;
    let result: T | undefined;
    try {
      await adapter.continueConversationAsync(
        botAppId,
        { channelId: 'msteams', serviceUrl, conversation: { id: conversationId, isGroup: true, tenantId, conversationType: 'channel', name: '' } },
        async (context: TurnContext) => {
          const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
          result = await action(client, serviceUrl);
        },
      );
    } catch (error) {
      throw translateHttpError(error, what, CONNECTOR_HINTS);
    }
    return result as T;
  }
}
