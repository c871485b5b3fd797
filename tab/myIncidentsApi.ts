/**
 * GET /tab/api/me/incidents: the signed-in person's incidents (roles held, followed), for the
 * personal "My incidents" tab; PUT /tab/api/me/incidents/:id/follow to follow or stop.
 * Same sign-in as the tab; a person only ever sees their own tenant.
 */
import type { Urls } from '../http/urls.js';
import { z } from 'zod';
import type { Request, Response, Server } from 'restify';
import { incidentLabel } from '../models/incident/incident.js';
import type { IncidentActions } from '../models/actions/incidentActions.js';
import { myIncidents, myPart, type MyIncident } from '../models/record/myIncidents.js';
import type { IncidentStore } from '../models/ports/incidentStore.js';
import type { TenantProfiles } from '../models/incident/tenantProfile.js';
import { personOf } from './api.js';
import type { TabIdentity } from './auth.js';
import { signedIn, type SignedInDeps } from './signedIn.js';

export interface MyIncidentsApiDeps extends SignedInDeps {
  readonly store: IncidentStore;
  readonly actions: Pick<IncidentActions, 'run'>;
  readonly urls: Pick<Urls, 'incidentTab'>;
  readonly profiles: TenantProfiles;
}

const followBody = z.object({ follow: z.boolean(), key: z.string().regex(/^[A-Za-z0-9_-]{8,80}$/, 'key must be 8–80 letters, digits, - or _') }).strict();

export function myIncidentJson({ incident, roles, following }: MyIncident, tabUrl: string, profiles: TenantProfiles) {
  return {
    id: incident.id,
    label: incidentLabel(incident),
    title: incident.title,
    severity: incident.severity,
    severityLabel: profiles.severityOf(incident).label,
    type: profiles.typeOf(incident).label,
    status: incident.status,
    declared: incident.milestones.declared.toISOString(),
    myRoles: roles,
    following,
    channelUrl: incident.channel?.webUrl,
    meetingUrl: incident.meeting?.joinUrl,
    tabUrl,
  };
}

export function mountMyIncidentsApi(server: Server, deps: MyIncidentsApiDeps): void {
  const tabUrl = (id: string) => deps.urls.incidentTab(id);
  const failure = { log: 'my incidents request failed', answer: 'Your incidents could not be loaded right now; try again in a moment.' };
  /** Personal data: never cached, whatever the answer. */
  const guard = (handler: (req: Request, res: Response, identity: TabIdentity) => Promise<void>) => {
    const run = signedIn(deps, failure, handler);
    return async (req: Request, res: Response) => {
      res.setHeader('Cache-Control', 'no-store');
      await run(req, res);
    };
  };

  server.get('/tab/api/me/incidents', guard(async (_req, res, identity) => {
    const person = personOf(identity);
    const rows = await myIncidents(deps.store, identity.tenantId, person);
    res.send(200, { identity: { name: identity.name }, incidents: rows.map((row) => myIncidentJson(row, tabUrl(row.incident.id), deps.profiles)) });
  }));

  server.put('/tab/api/me/incidents/:id/follow', guard(async (req, res, identity) => {
    const id = String(req.params.id);
    const body = followBody.safeParse(req.body ?? {});
    if (!body.success) return void res.send(400, { error: `The request is not valid: ${body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}` });
    const incident = /^[0-9a-f]{24}$/.test(id) ? await deps.store.findById(id) : undefined;
    if (!incident || incident.tenantId !== identity.tenantId) return void res.send(404, { error: 'No such incident here.' });
    const person = personOf(identity);
    const request = { incidentId: incident.id, key: `tab:${body.data.key}`, actor: person };
    const result = await deps.actions.run(body.data.follow ? 'follow' : 'unfollow', request, {});
    const now = result.incident ?? incident;
    res.send(result.outcome === 'refused' ? 409 : 200, { message: result.message, incident: myIncidentJson(myPart(now, person), tabUrl(now.id), deps.profiles) });
  }));
}
