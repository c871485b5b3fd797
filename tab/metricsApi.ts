/**
 * GET /api/metrics (JSON) and GET /api/metrics.csv: the figures for a period, time zone,
 * severities and components; POST /api/incidents/import: past incidents from a CSV or JSON file.
 * Same sign-in as the tab (Teams SSO); a person sees and imports into their own tenant only.
 */
import { z } from 'zod';
import type { Request, Response, Server } from 'restify';
import { metricsQuerySchema, type MetricsQuery, type MetricsStore } from '../models/metrics/metrics.js';
import { metricsCsv } from '../models/metrics/metricsExport.js';
import type { Clock } from '../models/ports/clock.js';
import type { IncidentStore } from '../models/ports/incidentStore.js';
import { importIncidents, readImportFile } from '../models/metrics/importIncidents.js';
import { SEVERITIES } from '../models/incident/severity.js';
import { signedIn, type SignedInDeps } from './signedIn.js';
import type { Access } from '../models/access/access.js';
import { hiddenPrivateTypes } from '../models/metrics/privateInMetrics.js';
import { overdueForViewer, teamsByComponent } from '../models/metrics/followUpFigures.js';
import { personOf } from './api.js';
import { typeById, type IncidentTypes } from '../models/incident/incidentTypes.js';
import { typeList } from '../models/incident/typedDeclaration.js';
import type { TenantProfiles } from '../models/incident/tenantProfile.js';

export interface MetricsApiDeps extends SignedInDeps {
  /** The access policy: importing is the `importIncidents` rule (admins by default). */
  readonly access: Pick<Access, 'mayDo' | 'seesEveryIncident' | 'canSee'>;
  readonly metrics: MetricsStore;
  readonly store: IncidentStore;
  readonly clock: Clock;
  /** Each tenant's incident types: `?type=` is checked against them, and old incidents count as the default type. */
  readonly profiles?: Pick<TenantProfiles, 'for'>;
  /** The on-call contact directory (component → owning team), for the follow-up figures by team. */
  readonly directory?: (tenantId: string) => Promise<readonly { readonly component: string; readonly team: string }[] | undefined>;
}

const DAY = 86_400_000;
const list = (max: number) => z.string().transform((text) => text.split(',').map((s) => s.trim()).filter(Boolean)).pipe(z.array(z.string().max(80)).max(max));
const queryString = z
  .object({
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
    tz: z.string().max(64).optional(),
    severity: list(SEVERITIES.length).optional(),
    component: list(50).optional(),
    type: list(30).optional(),
  })
  .strict();

/** Turns the query string into a MetricsQuery (default: the last 12 months, UTC), or the problems. */
export function parseMetricsQuery(raw: unknown, tenantId: string, now: Date, types?: IncidentTypes): { query: MetricsQuery } | { problems: { path: string; message: string }[] } {
  const fields = queryString.safeParse(raw ?? {});
  if (!fields.success) return { problems: fields.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
  const f = fields.data;
  const parsed = metricsQuerySchema.safeParse({
    from: f.from ?? new Date(now.getTime() - 365 * DAY),
    to: f.to ?? now,
    timeZone: f.tz ?? 'UTC',
    severities: f.severity?.map((s) => s.toUpperCase()),
    components: f.component,
    types: f.type?.map((t) => t.toLowerCase()),
  });
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => ({ path: i.path.join('.') || 'query', message: i.message })) };
  const unknown = types ? (parsed.data.types ?? []).filter((t) => !typeById(types, t)) : [];
  if (types && unknown.length > 0) return { problems: [{ path: 'type', message: `unknown type ${unknown.map((t) => `"${t}"`).join(', ')}; the types are ${typeList(types)}` }] };
  return { query: { tenantId, ...parsed.data, ...(types ? { defaultType: types.defaultId } : {}) } };
}

export function mountMetricsApi(server: Server, deps: MetricsApiDeps): void {
  const handle = (format: 'json' | 'csv') =>
    signedIn(deps, { log: 'metrics request failed', answer: 'The metrics could not be computed right now; try again in a moment.' }, async (req, res, identity) => {
      const parsed = parseMetricsQuery(req.query, identity.tenantId, deps.clock.now(), deps.profiles?.for(identity.tenantId).types);
      if ('problems' in parsed) return void res.send(400, { error: `The metrics query is not valid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems: parsed.problems });
      const hidden = await hiddenPrivateTypes(deps.profiles?.for(identity.tenantId).types, () => deps.access.seesEveryIncident(personOf(identity), identity.tenantId));
      const teamOf = deps.directory && teamsByComponent(await deps.directory(identity.tenantId));
      const figures = await deps.metrics.metrics({ ...parsed.query, ...(hidden ? { hiddenPrivateTypes: hidden } : {}), ...(teamOf ? { teamOf } : {}) }, deps.clock.now());
      // The overdue items name their incidents, with titles only for those the reader may see.
      const overdue = await overdueForViewer(figures.followUp.overdue, (id) => deps.store.findById(id), (incident) => deps.access.canSee(incident, personOf(identity)));
      const report = { ...figures, followUp: { ...figures.followUp, overdue } };
      res.setHeader('Cache-Control', 'no-store');
      if (format === 'json') return void res.send(200, report);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="incident-metrics-${report.query.from.slice(0, 10)}-${report.query.to.slice(0, 10)}.csv"`);
      res.writeHead(200);
      res.end(metricsCsv(report));
    });
  const importBody = z.object({ format: z.enum(['csv', 'json']), content: z.string().min(1, 'the file is empty') }).strict();
  const importFailure = {
    log: 'import failed',
    answer: 'The import stopped on our side; what was imported stays, and sending the file again finishes it without duplicates.',
  };
  server.post('/api/incidents/import', signedIn(deps, importFailure, async (req, res, identity) => {
    const denied = await deps.access.mayDo('importIncidents', personOf(identity), identity.tenantId);
    if (denied) return void res.send(403, { error: `${denied} Nothing was imported.` });
    const body = importBody.safeParse(req.body);
    if (!body.success) return void res.send(400, { error: 'Send {"format": "csv" | "json", "content": "<the file>"}.', problems: body.error.issues.map((i) => ({ row: 0, field: i.path.join('.'), message: i.message })) });
    const file = readImportFile(body.data.format, body.data.content);
    const result = 'problems' in file ? file : await importIncidents(deps.store, identity.tenantId, file.rows, deps.profiles?.for(identity.tenantId).types);
    if ('problems' in result) return void res.send(400, { error: `Nothing was imported; fix these ${result.problems.length} problem(s) and send the file again.`, problems: result.problems });
    res.send(200, { ...result, message: `Imported ${result.imported} incident(s)${result.alreadyThere ? `; ${result.alreadyThere} were already there` : ''}.` });
  }));
  server.get('/api/metrics', handle('json'));
  server.get('/api/metrics.csv', handle('csv'));
}
