/**
 * The Graph stand-in's meeting transcripts and recordings, as Microsoft Learn documents them
 * ("List transcripts", "Get callTranscript", "List recordings"):
 * - application permission (checked by graphPermissions.ts) and an application access policy for
 *   the organizer in the path: 403 "No application access policy…" without one;
 * - only for meetings a calendar event holds: a meeting made with the onlineMeetings API alone is
 *   not supported (this stand-in answers 400 for it: the pages name no status);
 * - the list holds what Teams has finished; a transcript not made yet is 404, as is its content;
 * - content is WebVTT, `text/vtt` by default (Accept or `$format`); the speaker-unattributed
 *   format is not served here (400).
 */
import type { Request, Response } from 'restify';
import type { FakeMeeting, FakeMeetingRecord, TeamsWorld } from '../world/teamsWorld.js';
import type { Handler } from './http.js';
import { graphError } from './graphStandIn.js';

interface Routes {
  get(path: string, handler: Handler): unknown;
}

export function mountTranscriptRoutes(route: Routes, deps: { readonly world: TeamsWorld; readonly url: () => string }): void {
  const { world } = deps;

  /** The meeting the path names, or the answer Graph would give instead. */
  const meetingFor = (req: Request, res: Response): FakeMeeting | undefined => {
    const user = decodeURIComponent(req.params.user);
    if (!world.meetingOrganizers.has(user)) return void res.send(403, graphError(403, 'Forbidden', `Application is not allowed to perform operations on the user '${user}', neither is allowed access through RSC permission evaluation. No application access policy found for this app.`));
    const meeting = world.onlineMeeting(decodeURIComponent(req.params.meeting));
    if (!meeting || meeting.organizerId !== user) return void res.send(404, graphError(404, 'NotFound', 'The online meeting was not found.'));
    if (meeting.via !== 'calendarEvent') return void res.send(400, graphError(400, 'BadRequest', 'Transcripts and recordings are not supported for meetings created with the onlineMeetings API that are not associated with a calendar event.'));
    return meeting;
  };
  const base = (req: Request) => `${deps.url()}/v1.0/users/${req.params.user}/onlineMeetings/${req.params.meeting}`;
  const json = (req: Request, meeting: FakeMeeting, record: FakeMeetingRecord, kind: 'transcripts' | 'recordings') => ({
    id: record.id,
    meetingId: meeting.onlineMeetingId ?? meeting.id,
    callId: `call-${meeting.id}`,
    contentCorrelationId: `correlation-${meeting.id}-${record.createdDateTime}`,
    [kind === 'transcripts' ? 'transcriptContentUrl' : 'recordingContentUrl']: `${base(req)}/${kind}/${record.id}/content`,
    createdDateTime: record.createdDateTime,
    endDateTime: record.endDateTime,
    meetingOrganizer: { application: null, device: null, user: { '@odata.type': '#microsoft.graph.teamworkUserIdentity', id: meeting.organizerId, displayName: null, userIdentityType: 'aadUser', tenantId: null } },
  });
  const ready = (records: FakeMeetingRecord[] | undefined) => (records ?? []).filter((r) => r.ready);

  for (const kind of ['transcripts', 'recordings'] as const) {
    route.get(`/v1.0/users/:user/onlineMeetings/:meeting/${kind}`, async (req, res) => {
      const meeting = meetingFor(req, res);
      if (!meeting) return;
      res.send(200, { '@odata.context': `${deps.url()}/v1.0/$metadata#users('${req.params.user}')/onlineMeetings('${req.params.meeting}')/${kind}`, value: ready(meeting[kind]).map((r) => json(req, meeting, r, kind)) });
    });
    route.get(`/v1.0/users/:user/onlineMeetings/:meeting/${kind}/:id`, async (req, res) => {
      const meeting = meetingFor(req, res);
      const record = meeting && ready(meeting[kind]).find((r) => r.id === req.params.id);
      if (!meeting) return;
      if (!record) return void res.send(404, graphError(404, 'NotFound', `The ${kind === 'transcripts' ? 'transcript' : 'recording'} was not found.`));
      res.send(200, json(req, meeting, record, kind));
    });
  }

  route.get('/v1.0/users/:user/onlineMeetings/:meeting/transcripts/:id/content', async (req, res) => {
    const meeting = meetingFor(req, res);
    if (!meeting) return;
    const record = ready(meeting.transcripts).find((r) => r.id === req.params.id);
    if (!record?.vtt) return void res.send(404, graphError(404, 'NotFound', 'The transcript was not found.'));
    const format = String((req.query as Record<string, string> | undefined)?.$format ?? req.headers.accept ?? 'text/vtt');
    if (!/text\/vtt|\*\/\*/.test(format)) return void res.send(400, graphError(400, 'BadRequest', `Invalid format '${format}'. This stand-in serves text/vtt only.`));
    res.setHeader('Content-Type', 'text/vtt');
    res.writeHead(200);
    res.end(record.vtt);
  });
}
