import type { Client } from '@microsoft/microsoft-graph-client';
import type { ActivityFeed, PersonalNotification } from '../../models/actions/notifications.js';
import { translateHttpError } from '../httpErrors.js';

/**
 * The activity feed over Graph's team-scoped sendActivityNotification (RSC permission
 * TeamsActivity.Send.Group, granted by installing the app in the incidents team). The topic is
 * the incident channel, so clicking the notification opens it.
 */
export class GraphActivityFeed implements ActivityFeed {
  /** `graphBaseUrl`: the cloud's Graph, whose URLs name the topic entity. */
  constructor(private readonly graph: Client, private readonly teamId: string, private readonly graphBaseUrl = 'https://graph.microsoft.com') {}

  async notify({ type, person, incident, parameters, text }: PersonalNotification): Promise<'sent' | 'not-permitted'> {
    const team = `${this.graphBaseUrl}/v1.0/teams/${this.teamId}`;
    try {
      await this.graph.api(`/teams/${encodeURIComponent(this.teamId)}/sendActivityNotification`).post({
        topic: { source: 'entityUrl', value: incident.channel ? `${team}/channels/${incident.channel.id}` : team },
        activityType: type,
        previewText: { content: text.slice(0, 150) },
        recipient: { '@odata.type': 'microsoft.graph.aadUserNotificationRecipient', userId: person.aadObjectId },
        templateParameters: Object.entries(parameters).map(([name, value]) => ({ name, value })),
      });
      return 'sent';
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      // 403: consent, tenant policy or the person's settings; 404: not in the team or the app not installed.
      if (status === 403 || status === 404) return 'not-permitted';
      throw translateHttpError(error, 'sending an activity feed notification', { 400: 'Check that the manifest declares the activity types (rebuild and re-upload the app package).' });
    }
  }
}
