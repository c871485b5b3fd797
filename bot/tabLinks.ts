import { incidentLabel, type Incident } from '../models/incident/incident.js';
import type { TabSpec } from '../models/ports/workspace.js';
import type { Urls } from '../http/urls.js';

/** The incident tab as Teams pins it in the incident channel and the meeting chat: named for the incident, opening its page. */
export function incidentTabFor(urls: Urls): (incident: Incident) => Omit<TabSpec, 'channelId'> {
  return (incident) => ({
    displayName: incidentLabel(incident),
    entityId: incident.id,
    contentUrl: urls.incidentTab(incident.id),
    websiteUrl: urls.incidentTab(incident.id),
  });
}
