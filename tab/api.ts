/**
 * The incident tab's HTTP API, thin over the use cases: authenticate (Teams SSO), validate the
 * input, call models/, shape the answer.
 * Every route is scoped to one incident the viewer may see; anything else is a 404.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Access } from '../models/access/access.js';
import { z } from 'zod';
import type { Request, Response, Server } from 'restify';
import type { ActionRequest, ActionResult, IncidentActions } from '../models/actions/incidentActions.js';
import type { ActionInput, ActionName } from '../models/actions/actionTable.js';
import { INPUT_BOUND, TEXT_LIMITS } from '../models/actions/limits.js';
import type { IncidentTab } from '../models/record/incidentTab.js';
import { incidentLabel, ROLES, type Incident, type Person } from '../models/incident/incident.js';
import { requestContext } from '../http/requestContext.js';
import { answeredUnavailable } from './signedIn.js';
import type { Logger } from '../models/ports/logger.js';
import type { Postmortems } from '../models/postmortem/postmortems.js';
import type { ActionItemTracking } from '../models/followThrough/actionItemTracking.js';
import { EVENT_KINDS, type EventKind } from '../models/incident/timeline.js';
import { STATUSES, type Status } from '../models/incident/lifecycle.js';
import { SEVERITIES } from '../models/incident/severity.js';
import { EXPORT_FORMATS, EXPORT_TYPES, exportTimeline } from '../models/record/timelineExport.js';
import { fieldFacts } from '../models/incident/extraFields.js';
import { TabAuthError, type TabAuthenticator, type TabIdentity } from './auth.js';
import { chatJson, checklistJson, decodeCursor, encodeCursor, eventJson, incidentView, postmortemJson } from './views.js';
import type { TabView } from '../bot/tabLinks.js';
import { DOCX_TYPE, postmortemDocx } from '../adapters/documents/postmortemDocx.js';
import { postmortemMarkdown } from '../models/postmortem/postmortemMarkdown.js';
import type { ReviewScheduler } from '../models/followThrough/scheduleReview.js';
import type { RecordSearch } from '../models/record/recordSearch.js';
import { answerSearch, searchQuery } from './searchApi.js';
import type { Workspace } from '../models/ports/workspace.js';
import type { TranscriptStore } from '../models/ports/transcriptStore.js';
import { transcriptStatus } from '../models/record/bridgeDecisions.js';

export interface TabApiDeps {
  readonly authenticate: TabAuthenticator;
  readonly tab: IncidentTab;
  readonly actions: Pick<IncidentActions, 'run'>;
  readonly postmortems: Postmortems;
  readonly reviews: Pick<ReviewScheduler, 'schedule'>;
  /** A link that opens the incident's tab on one view (in Teams, a deep link to the channel tab). */
  readonly tabLink: (incident: Incident, view: TabView) => string;
  readonly log: Logger;
  /** The access policy, for what is not an incident action (writing the post-mortem). */
  readonly access: Pick<Access, 'mayDo'>;
  /** Where each action item is in the tracker (TRACKER), or that it is not there yet. */
  readonly tracking?: Pick<ActionItemTracking, 'trackedItems'>;
  /** One search over the incident's timeline, key messages, channel conversation and transcript. */
  readonly search: RecordSearch;
  /** The incidents team, whose members the form's owner picker offers (they can be nudged). */
  readonly roster?: Pick<Workspace, 'teamMembers'>;
  /** The bridge's stored transcripts (models/mongo/transcriptStore.ts). */
  readonly transcripts?: Pick<TranscriptStore, 'pageTranscript'>;
}

/** A page of the transcript from a time on (the side-by-side view jumps to a minute); finding words is the record search's (…/search). */
const transcriptQuery = z
  .object({
    from: z.string().max(40).refine((v) => !Number.isNaN(Date.parse(v)), 'from must be a date and time (ISO 8601)').optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

/** A client-made id per action, so a retried request (flaky Wi-Fi at 3 a.m.) is applied once. */
const key = z.string().regex(/^[A-Za-z0-9_-]{8,80}$/, 'key must be 8–80 letters, digits, - or _ (one per action, reused on retry)');
const kinds = z
  .string()
  .transform((text) => text.split(',').filter(Boolean))
  .pipe(z.array(z.enum(EVENT_KINDS, { message: `unknown event kind; known kinds: ${EVENT_KINDS.join(', ')}` })).max(EVENT_KINDS.length));

const eventsQuery = z
  .object({
    order: z.enum(['asc', 'desc']).default('desc'),
    kinds: kinds.optional(),
    exclude: kinds.optional(),
    after: z.string().transform((text, ctx) => decodeCursor(text) ?? (ctx.addIssue({ code: 'custom', message: 'after is not a cursor this API gave out' }), z.NEVER)).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();
const chatQuery = z
  .object({
    order: z.enum(['asc', 'desc']).default('desc'),
    after: z.string().transform((text, ctx) => decodeCursor(text) ?? (ctx.addIssue({ code: 'custom', message: 'after is not a cursor this API gave out' }), z.NEVER)).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();
/** `chat=true`: the export also holds the channel conversation, in time order among the events. */
const exportQuery = z.object({ chat: z.enum(['true', 'false']).default('false') }).strict();
const liveQuery = z.object({ since: z.iso.datetime({ message: 'since must be an ISO date-time (the cursor from the last answer)' }) }).strict();
const text = z.string().trim().max(INPUT_BOUND);
const noteBody = z.object({ text: text.min(1, 'a note needs some text'), key }).strict();
const tickBody = z.object({ done: z.boolean(), key }).strict();
const saveBody = z.object({ baseVersion: z.number().int().min(0), key, content: z.unknown() }).strict();
const reviewBody = z.object({ key }).strict();
const postmortemFormat = z.object({ format: z.enum(['docx', 'md'], { message: 'the post-mortem exports as docx (Word) or md (Markdown)' }) });
const postmortemExportQuery = z.object({ version: z.coerce.number().int().min(1, 'version is a saved version number (1 or more)').optional() }).strict();
/** keepFlaggedWording: the publisher was shown the blameless check's warnings and publishes as it is. */
const publishBody = z.object({ version: z.number().int().min(1), key, keepFlaggedWording: z.boolean().optional() }).strict();
const versionParams = z.object({ version: z.coerce.number().int().min(1).max(1_000_000) });
const exportFormat = z.enum(EXPORT_FORMATS);
/** The incident card's buttons, for people in the tab (e.g. the meeting side panel during the call). */
const actionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('acknowledge'), key }).strict(),
  z.object({ action: z.literal('takeRole'), role: z.enum(ROLES), key }).strict(),
  z.object({ action: z.literal('status'), to: z.enum(STATUSES.filter((s) => s !== 'archived') as [Status, ...Status[]]), key }).strict(),
  z.object({ action: z.literal('severity'), to: z.enum(SEVERITIES), reason: text.max(TEXT_LIMITS.severityReason).optional(), key }).strict(),
  z.object({ action: z.literal('update'), text: text.min(1, 'an update needs some text'), key }).strict(),
  z.object({ action: z.literal('escalate'), note: text.optional(), key }).strict(),
  z.object({ action: z.literal('follow'), key }).strict(),
  z.object({ action: z.literal('type'), to: text.max(100), key }).strict(),
], { error: 'action must be one of acknowledge, takeRole, status, severity, update, escalate, follow, type' });

type ActionBody = z.infer<typeof actionBody>;

class BadRequest extends Error {
  constructor(readonly problems: { path: string; message: string }[]) {
    super(`The request is not valid: ${problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ')}`);
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw new BadRequest(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
}

/** The person behind a tab sign-in: known by Entra object id (the same person as their Teams id, see samePerson). */
export function personOf(identity: TabIdentity): Person {
  return { id: `aad:${identity.userId}`, name: identity.name, aadObjectId: identity.userId };
}

function json(res: Response, status: number, body: unknown) {
  res.setHeader('Cache-Control', 'no-store');
  res.send(status, body);
}

/**
 * Writes an export as it is produced (chunked), each chunk only once the client took the last
 * (backpressure), so memory holds a chunk, not the file. Headers are gone by then: a failure
 * part-way is logged and the response cut off, so the download shows as failed, never as whole.
 */
async function streamRest(res: Response, first: IteratorResult<string>, rest: AsyncGenerator<string>, log: Logger): Promise<void> {
  async function* all() {
    if (!first.done) yield first.value;
    yield* rest;
  }
  try {
    await pipeline(Readable.from(all()), res);
  } catch (error) {
    // The client going away closes the cursor (the generators are returned) and is not our failure.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') log.error({ err: (error as Error).message }, 'timeline export failed part-way');
    res.destroy();
  }
}

type Handler = (context: { req: Request; res: Response; identity: TabIdentity; incident: Incident }) => Promise<void>;

export function mountTabApi(server: Server, deps: TabApiDeps): void {
  /** Authenticates, finds the incident the viewer may see, and turns failures into clear answers. */
  const route = (handler: Handler) => async (req: Request, res: Response) => {
    try {
      const identity = await deps.authenticate(req.headers.authorization);
      const incident = await deps.tab.open(String(req.params.id), identity);
      if (!incident) return json(res, 404, { error: 'No such incident here: the link may be wrong, or it belongs to another tenant.' });
      requestContext.tagIncident(incidentLabel(incident));
      await handler({ req, res, identity, incident });
    } catch (error) {
      if (error instanceof TabAuthError) return json(res, error.status, { error: error.message });
      if (error instanceof BadRequest) return json(res, 400, { error: error.message, problems: error.problems });
      if (answeredUnavailable(res, error, deps.log)) return;
      deps.log.error({ err: (error as Error).message, path: req.path() }, 'tab API request failed');
      json(res, 500, { error: 'Something went wrong on our side; nothing you sent was lost. Try again in a moment.' });
    }
  };
  const run = <N extends ActionName>(name: N, request: ActionRequest, input: ActionInput<N>) => deps.actions.run(name, request, input);
  /** The tab's buttons, each one action of the action table. */
  const tabActions: { [A in ActionBody['action']]: (body: Extract<ActionBody, { action: A }>, request: ActionRequest) => Promise<ActionResult> } = {
    acknowledge: (_body, request) => run('acknowledge', request, {}),
    takeRole: (body, request) => run('assignRole', request, { role: body.role, person: request.actor }),
    status: (body, request) => run('changeStatus', request, { to: body.to }),
    severity: (body, request) => run('changeSeverity', request, { to: body.to, reason: body.reason }),
    update: (body, request) => run('postUpdate', request, { text: body.text }),
    escalate: (body, request) => run('escalate', request, { note: body.note }),
    follow: (_body, request) => run('follow', request, {}),
    type: (body, request) => run('changeType', request, { to: body.to }),
  };
  const base = '/tab/api/incidents/:id';
  const snapshot = (incident: Incident) => ({ incident: incidentView(incident, deps.tab.severity(incident), deps.tab.type(incident), deps.tab.typeChoices(incident)), checklist: checklistJson(deps.tab.checklist(incident)) });
  /** An action's answer: the new state, or why nothing changed (409 for refusals, with the message). */
  const acted = (res: Response, result: ActionResult, status = 200) => {
    if (result.outcome === 'applied' || result.outcome === 'duplicate') {
      return json(res, status, { message: result.message, duplicate: result.outcome === 'duplicate', ...snapshot(result.incident!) });
    }
    if (result.outcome === 'not_found') return json(res, 404, { error: result.message });
    json(res, 409, { error: result.message, ...(result.incident ? snapshot(result.incident) : {}) });
  };

  server.get(base, route(async ({ res, identity, incident }) => {
    json(res, 200, { identity: { name: identity.name }, ...snapshot(incident), liveCursor: deps.tab.liveStart().toISOString(), eventKinds: EVENT_KINDS });
  }));

  server.get(`${base}/events`, route(async ({ req, res, incident }) => {
    const query = parse(eventsQuery, req.query);
    const page = await deps.tab.timelinePage(incident, {
      order: query.order,
      kinds: query.kinds as EventKind[] | undefined,
      excludeKinds: query.exclude as EventKind[] | undefined,
      after: query.after,
      limit: query.limit,
    });
    json(res, 200, { events: page.events.map(eventJson), next: encodeCursor(page.next), total: page.total });
  }));

  server.get(`${base}/transcript`, route(async ({ req, res, incident }) => {
    const query = parse(transcriptQuery, req.query);
    const store = deps.transcripts;
    const lines = !store ? [] : await store.pageTranscript(incident.id, { from: query.from ? new Date(query.from) : undefined, limit: query.limit });
    json(res, 200, {
      status: transcriptStatus(incident) ?? 'no bridge',
      transcripts: (incident.bridge?.transcripts ?? []).map((t) => ({ id: t.id, createdAt: new Date(t.createdAt).toISOString(), lines: t.lines ?? 0 })),
      recordings: (incident.bridge?.recordings ?? []).map((r) => ({ id: r.id, createdAt: new Date(r.createdAt).toISOString(), url: r.url })),
      lines: lines.map((l) => ({ at: l.at.toISOString(), speaker: l.speaker ?? null, text: l.text, transcriptId: l.transcriptId })),
    });
  }));

  server.get(`${base}/live`, route(async ({ req, res, incident }) => {
    const { since } = parse(liveQuery, req.query);
    const live = await deps.tab.live(incident, new Date(since));
    json(res, 200, { events: live.events.map(eventJson), cursor: live.cursor.toISOString(), ...snapshot(incident) });
  }));

  server.get(`${base}/chat`, route(async ({ req, res, incident }) => {
    const query = parse(chatQuery, req.query);
    const page = await deps.tab.chatPage(incident, query);
    json(res, 200, { kept: deps.tab.keepsConversation(incident), entries: page.entries.map(chatJson), next: encodeCursor(page.next), total: page.total });
  }));

  server.get(`${base}/search`, route(async ({ req, res, incident }) => {
    const answer = await answerSearch(deps.search, incident, parse(searchQuery, req.query));
    json(res, answer.status, answer.body);
  }));

  server.post(`${base}/notes`, route(async ({ req, res, identity, incident }) => {
    const body = parse(noteBody, req.body);
    acted(res, await run('addNote', { incidentId: incident.id, key: `tab:${body.key}`, actor: personOf(identity) }, { text: body.text }), 201);
  }));

  server.post(`${base}/actions`, route(async ({ req, res, identity, incident }) => {
    const body = parse(actionBody, req.body);
    const request = { incidentId: incident.id, key: `tab:${body.key}`, actor: personOf(identity) };
    const handler = tabActions[body.action] as (body: ActionBody, request: ActionRequest) => Promise<ActionResult>;
    acted(res, await handler(body, request));
  }));

  server.put(`${base}/checklist/:item`, route(async ({ req, res, identity, incident }) => {
    const body = parse(tickBody, req.body);
    acted(res, await run('tickChecklist', { incidentId: incident.id, key: `tab:${body.key}`, actor: personOf(identity) }, { itemId: String(req.params.item), done: body.done }));
  }));

  server.get(`${base}/export/:format`, route(async ({ req, res, incident }) => {
    const format = parse(exportFormat, req.params.format);
    const withChat = parse(exportQuery, req.query).chat === 'true';
    const type = deps.tab.type(incident);
    const chunks = exportTimeline(format, incident, deps.tab.exportEvents(incident), { id: type.id, label: type.label, fields: fieldFacts(type.fields, incident.fields) }, withChat ? deps.tab.exportChat(incident) : undefined);
    // The first chunk is read before answering, so an unreachable database is still a 503.
    const first = await chunks.next();
    res.setHeader('Content-Type', `${EXPORT_TYPES[format]}; charset=utf-8`);
    res.setHeader('Content-Disposition', `attachment; filename="${incidentLabel(incident)}-timeline.${format}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.writeHead(200);
    await streamRest(res, first, chunks, deps.log);
  }));

  server.get(`${base}/postmortem`, route(async ({ res, incident }) => {
    const view = await deps.postmortems.view(incident);
    const tracking = await deps.tracking?.trackedItems(incident, view.content.actionItems.map((a) => a.id!));
    // Without the roster the form still works: owners are typed, and cannot be nudged.
    const people = await deps.roster?.teamMembers().catch((error: Error) => void deps.log.warn({ err: error.message }, 'the owner picker has no people: listing the incidents team failed'));
    json(res, 200, { ...postmortemJson(view), ...(tracking ? { tracking } : {}), people: people ?? [] });
  }));

  server.get(`${base}/postmortem/versions`, route(async ({ res, incident }) => {
    const versions = await deps.postmortems.history(incident);
    json(res, 200, { versions: versions.map((v) => ({ version: v.version, savedAt: v.savedAt.toISOString(), savedBy: v.savedBy.name, published: v.published })) });
  }));

  server.get(`${base}/postmortem/versions/:version`, route(async ({ req, res, incident }) => {
    const { version } = parse(versionParams, req.params);
    const found = await deps.postmortems.version(incident, version);
    if (!found) return json(res, 404, { error: `There is no saved version ${version} of this post-mortem.` });
    json(res, 200, postmortemJson(found));
  }));

  // The review meeting in the person's Outlook calendar (asked again: moved to the next free hour).
  server.post(`${base}/postmortem/review`, route(async ({ req, res, identity, incident }) => {
    const body = parse(reviewBody, req.body);
    const result = await deps.reviews.schedule(incident, personOf(identity), `review:${body.key}`);
    const status = { scheduled: 200, moved: 200, refused: 409, failed: 502 }[result.outcome];
    json(res, status, { outcome: result.outcome, message: result.message, ...(status === 200 ? {} : { error: result.message }), ...(result.incident ? snapshot(result.incident) : {}) });
  }));

  // The post-mortem as a file: Word or Markdown, the latest (or ?version=N), for leaving the app with it.
  server.get(`${base}/postmortem/export/:format`, route(async ({ req, res, incident }) => {
    const { format } = parse(postmortemFormat, req.params);
    const { version } = parse(postmortemExportQuery, req.query ?? {});
    const document = await deps.postmortems.document(incident, { tab: deps.tabLink(incident, 'postmortem'), channel: incident.channel?.webUrl }, version);
    if (!document) return json(res, 404, { error: `There is no saved version ${version} of this post-mortem.` });
    const body = format === 'docx' ? await postmortemDocx(document, 'incident-room') : Buffer.from(postmortemMarkdown(document));
    res.setHeader('Content-Type', format === 'docx' ? DOCX_TYPE : 'text/markdown; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${document.fileName}.${format}"`);
    res.setHeader('Cache-Control', 'no-store');
    res.writeHead(200);
    res.end(body);
  }));

  server.put(`${base}/postmortem`, route(async ({ req, res, identity, incident }) => {
    const body = parse(saveBody, req.body);
    const denied = await deps.access.mayDo('writePostmortem', personOf(identity), incident.tenantId, undefined, incident);
    if (denied) return json(res, 403, { error: `${denied} Nothing was saved; copy your text before leaving the page.` });
    const result = await deps.postmortems.save(incident, { by: personOf(identity), baseVersion: body.baseVersion, key: body.key, content: body.content });
    switch (result.outcome) {
      case 'invalid':
        return json(res, 400, { error: 'The post-mortem was not saved; fix these fields (nothing already saved was changed).', problems: result.problems });
      case 'refused':
        return json(res, 409, { error: result.message });
      case 'conflict':
        return json(res, 409, { error: result.message, conflict: true, changed: result.changed, theirs: postmortemJson(result.theirs), merge: result.merge });
      default: {
        const tracking = await deps.tracking?.trackedItems(incident, result.view.content.actionItems.map((a) => a.id!));
        return json(res, 200, { duplicate: result.outcome === 'duplicate', ...postmortemJson(result.view), ...(tracking ? { tracking } : {}) });
      }
    }
  }));

  server.post(`${base}/postmortem/publish`, route(async ({ req, res, identity, incident }) => {
    const body = parse(publishBody, req.body);
    const result = await deps.postmortems.publish(incident, { by: personOf(identity), version: body.version, key: body.key, tabUrl: deps.tabLink(incident, 'postmortem'), keepFlaggedWording: body.keepFlaggedWording });
    const refused = result.outcome === 'refused' || result.outcome === 'needsConfirmation';
    json(res, refused ? 409 : 200, { ...result, needsConfirmation: result.outcome === 'needsConfirmation' || undefined, error: refused ? result.message : undefined });
  }));
}
