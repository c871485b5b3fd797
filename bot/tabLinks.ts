import { incidentLabel, type Incident } from '../models/incident/incident.js';
import type { TabSpec } from '../models/ports/workspace.js';
import type { Urls } from '../http/urls.js';

/** The incident tab's views a link can open (the tab's own `view` parameter, Teams' `subEntityId`). */
export type TabView = 'timeline' | 'checklist' | 'postmortem';

/** The incident tab as Teams pins it in the incident channel and the meeting chat: named for the incident, opening its page. */
export function incidentTabFor(urls: Urls): (incident: Incident) => Omit<TabSpec, 'channelId'> {
  return (incident) => ({
    displayName: incidentLabel(incident),
    entityId: incident.id,
    contentUrl: urls.incidentTab(incident.id),
    websiteUrl: urls.incidentTab(incident.id),
  });
}

/**
 * A link that opens the incident's channel tab on one view. Microsoft Learn, "Deep link to an
 * application" (share deep link for a tab): `…/l/entity/<appId>/<entityId>?webUrl=…&label=…&context=…`
 * with `context` the JSON `{"subEntityId": …, "channelId": …}` (channelId for a channel tab); the
 * tab reads the sub-entity back as `page.subPageId` of its context. The app id of an app uploaded
 * to the org catalog is its catalog id. The Teams client is the one the incident channel's own
 * link points at (its cloud's, or local Teams). Outside Teams — no channel tab yet — the tab page
 * itself, with the view in its URL.
 */
export function incidentTabLink(urls: Urls, appCatalogId: string): (incident: Incident, view: TabView) => string {
  return (incident, view) => {
    const page = `${urls.incidentTab(incident.id)}?view=${view}`;
    if (!incident.channel || !incident.tab) return page;
    const client = new URL(incident.channel.webUrl).origin;
    const query = new URLSearchParams({ webUrl: page, label: incidentLabel(incident), context: JSON.stringify({ subEntityId: view, channelId: incident.channel.id }) });
    return `${client}/l/entity/${encodeURIComponent(appCatalogId)}/${encodeURIComponent(incident.id)}?${query.toString().replace(/\+/g, '%20')}`;
  };
}
