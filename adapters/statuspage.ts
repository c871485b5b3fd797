import { ConfigError, type Config } from '../config.js';
import type { PublicIncidentRef } from '../models/incident/publicStatus.js';
import type { PublicPost, StatusPage } from '../models/ports/statusPage.js';
import { translateHttpError } from './httpErrors.js';

export interface StatuspageSettings {
  /** https://api.statuspage.io, or the local stand-in. */
  readonly apiUrl: string;
  readonly pageId: string;
  readonly apiKey: string;
}

const HINTS = {
  401: 'Check STATUSPAGE_API_KEY (Statuspage → your avatar → API info).',
  403: 'The Statuspage API key cannot write incidents on this page; use a key of a page owner.',
  404: 'Check STATUSPAGE_PAGE_ID (the page id in the Statuspage API info).',
  422: 'Statuspage refused the content; shorten or change the public text.',
};

interface StatuspageIncident {
  id: string;
  shortlink?: string;
  metadata?: { incident_room?: { id?: string } };
}

/**
 * The Statuspage REST API (v1): an incident per incident-room incident, created with our id in
 * its metadata (so a retry after a crash finds it instead of making a second one), then
 * patched with each public status.
 */
export class StatuspagePage implements StatusPage {
  readonly name = 'Statuspage';

  constructor(private readonly settings: StatuspageSettings) {}

  async find(incidentId: string): Promise<PublicIncidentRef | undefined> {
    const open = await this.call<StatuspageIncident[]>('GET', '/incidents/unresolved', undefined, 'looking up the status page incident');
    const found = open.find((i) => i.metadata?.incident_room?.id === incidentId);
    return found && { id: found.id, url: found.shortlink };
  }

  async create(incidentId: string, post: PublicPost): Promise<PublicIncidentRef> {
    const created = await this.call<StatuspageIncident>(
      'POST',
      '/incidents',
      { incident: { name: post.name, status: post.status, body: post.body, impact_override: post.impact, deliver_notifications: true, metadata: { incident_room: { id: incidentId } } } },
      'creating the status page incident',
    );
    return { id: created.id, url: created.shortlink };
  }

  async update(ref: PublicIncidentRef, post: Pick<PublicPost, 'status' | 'body'>): Promise<void> {
    await this.call('PATCH', `/incidents/${encodeURIComponent(ref.id)}`, { incident: { status: post.status, body: post.body } }, 'updating the status page incident');
  }

  private async call<T>(method: string, path: string, body: unknown, what: string): Promise<T> {
    const url = `${this.settings.apiUrl.replace(/\/+$/, '')}/v1/pages/${encodeURIComponent(this.settings.pageId)}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { Authorization: `OAuth ${this.settings.apiKey}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw translateHttpError(error, what);
    }
    if (response.ok) return (await response.json()) as T;
    const detail = await response.text().catch(() => '');
    // Statuspage throttles with 420 as well as 429.
    const statusCode = response.status === 420 ? 429 : response.status;
    throw translateHttpError({ statusCode, message: detail.slice(0, 200), headers: response.headers }, what, HINTS);
  }
}

/** Statuspage when STATUS_PAGE=statuspage (its stand-in in local mode unless STATUSPAGE_API_URL says otherwise). */
export function chooseStatusPage(config: Config, local: { readonly url: string } | undefined): StatuspagePage | undefined {
  if (!config.statusPage) return undefined;
  const apiUrl = config.statusPage.apiUrl ?? local?.url;
  if (!apiUrl) throw new ConfigError(['STATUS_PAGE=statuspage needs STATUSPAGE_API_URL here (no local Statuspage stand-in is running)']);
  return new StatuspagePage({ apiUrl, pageId: config.statusPage.pageId, apiKey: config.statusPage.apiKey });
}
