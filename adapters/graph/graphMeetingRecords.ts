/**
 * The MeetingRecords port over Microsoft Graph, as "List transcripts", "Get callTranscript" and
 * "List recordings" document them: by the organizer's online meeting
 * (/users/{organizer}/onlineMeetings/{id}/…), application permissions OnlineMeetingTranscript.Read.All
 * and OnlineMeetingRecording.Read.All, and the application access policy granted for the
 * organizer. They work only for meetings tied to a calendar event (why the bridge is one) and only
 * while the meeting has not expired. A transcript's content is WebVTT (`text/vtt`, the default),
 * speaker-attributed with `<v Name>` unless the tenant turned speaker attribution off (403).
 */
import { ResponseType, type Client } from '@microsoft/microsoft-graph-client';
import type { Listing, MeetingArtifact, MeetingRecords } from '../../models/ports/meetingRecords.js';
import { TransientError } from '../../models/support/errors.js';
import { translateHttpError } from '../httpErrors.js';
import { permissionHint, type GraphOperationName } from './permissions.js';
import { BridgeRecord, type BridgeRecordDeps } from '../../models/record/bridge.js';
import type { Workspace } from '../../models/ports/workspace.js';

interface GraphArtifact {
  readonly id: string;
  readonly createdDateTime?: string;
  readonly endDateTime?: string;
  readonly recordingContentUrl?: string;
  readonly transcriptContentUrl?: string;
}

const POLICY = 'and the Teams application access policy granted for the meeting organizer (Grant-CsApplicationAccessPolicy)';

/** What a 403 means, in the admin's words: Graph's own inner codes first, then the missing permission or policy. */
function refusal(operation: GraphOperationName, error: unknown): string {
  const message = String((error as { message?: string }).message ?? '');
  const inner = String((error as { body?: unknown }).body ?? '');
  if (/GraphAccessToTranscriptsDisabled/i.test(`${message} ${inner}`)) return 'the tenant turned off Graph access to transcripts (Teams admin center meeting settings)';
  if (/SpeakerAttributionNotAllowed/i.test(`${message} ${inner}`)) return 'the tenant turned off speaker attribution for transcripts';
  return `${permissionHint(operation)} ${POLICY} (Graph said: ${message.slice(0, 200) || 'Forbidden'})`;
}

export class GraphMeetingRecords implements MeetingRecords {
  constructor(private readonly graph: Client, private readonly organizerId: string | undefined) {}

  private meeting(onlineMeetingId: string): string {
    return `/users/${encodeURIComponent(this.organizerId ?? '')}/onlineMeetings/${encodeURIComponent(onlineMeetingId)}`;
  }

  private async ask<T>(operation: GraphOperationName, what: string, call: () => Promise<T>): Promise<Listing<T>> {
    if (!this.organizerId) return { refused: 'no meeting organizer is configured (MEETING_ORGANIZER_ID)' };
    try {
      return { found: await call() };
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      // Before Teams has made it, Graph answers 404: not an error, a "later".
      if (status === 404) return { notYet: `${what}: not there yet` };
      if (status === 403 || status === 401) return { refused: refusal(operation, error) };
      const translated = translateHttpError(error, what);
      if (translated instanceof TransientError) throw translated;
      return { refused: translated.message };
    }
  }

  async transcripts(onlineMeetingId: string): Promise<Listing<readonly MeetingArtifact[]>> {
    return this.ask('listTranscripts', 'listing the meeting transcripts', async () => {
      const page = (await this.graph.api(`${this.meeting(onlineMeetingId)}/transcripts`).get()) as { value?: GraphArtifact[] };
      return (page.value ?? []).map(toArtifact);
    });
  }

  async transcriptContent(onlineMeetingId: string, transcriptId: string): Promise<Listing<string>> {
    return this.ask('getTranscriptContent', 'fetching the meeting transcript', async () => {
      const body = await this.graph.api(`${this.meeting(onlineMeetingId)}/transcripts/${encodeURIComponent(transcriptId)}/content`).header('Accept', 'text/vtt').responseType(ResponseType.TEXT).get();
      return String(body ?? '');
    });
  }

  async recordings(onlineMeetingId: string): Promise<Listing<readonly MeetingArtifact[]>> {
    return this.ask('listRecordings', 'listing the meeting recordings', async () => {
      const page = (await this.graph.api(`${this.meeting(onlineMeetingId)}/recordings`).get()) as { value?: GraphArtifact[] };
      return (page.value ?? []).map(toArtifact);
    });
  }
}

function toArtifact(item: GraphArtifact): MeetingArtifact {
  const url = item.recordingContentUrl;
  return { id: item.id, ...(item.createdDateTime ? { createdAt: new Date(item.createdDateTime) } : {}), ...(item.endDateTime ? { endedAt: new Date(item.endDateTime) } : {}), ...(url ? { contentUrl: url } : {}) };
}

/** The bridge's record over Graph: meeting records by the organizer, and the online meeting found by the join link when provisioning could not. */
export function graphBridgeRecord(graph: Client, organizerId: string | undefined, deps: Omit<BridgeRecordDeps, 'records' | 'resolveMeeting'> & { readonly workspace: Pick<Workspace, 'findOnlineMeeting'> }): BridgeRecord {
  const { workspace, ...rest } = deps;
  return new BridgeRecord({
    ...rest,
    records: new GraphMeetingRecords(graph, organizerId),
    resolveMeeting: async (incident) => {
      const found = incident.meeting && (await workspace.findOnlineMeeting(incident.meeting.joinUrl));
      if (!found) return { notYet: 'Graph does not list the online meeting behind the calendar event yet' };
      return 'refused' in found ? { refused: found.refused } : { found: found.onlineMeetingId };
    },
  });
}
