/** The API's JSON shapes, taken from the server's own view functions (types only, nothing bundled). */
import type { checklistJson, chatJson, eventJson, incidentView, postmortemJson } from '../views.js';
import type { EventKind } from '../../models/incident/timeline.js';
import type { myIncidentJson } from '../myIncidentsApi.js';
import type { searchJson } from '../searchApi.js';

export type IncidentJson = ReturnType<typeof incidentView>;
export type ChecklistJson = ReturnType<typeof checklistJson>;
export type EventJson = ReturnType<typeof eventJson>;
/** A message of the channel conversation, shown among the events when asked for. */
export type ChatJson = ReturnType<typeof chatJson>;
export interface ChatPage {
  readonly kept: boolean;
  readonly entries: ChatJson[];
  readonly next?: string;
  readonly total: number;
}
export type PostmortemJson = ReturnType<typeof postmortemJson>;
export type { EventKind };
export type SearchAnswer = ReturnType<typeof searchJson>;
export type SearchHitJson = SearchAnswer['hits'][number];

export interface Snapshot {
  readonly incident: IncidentJson;
  readonly checklist: ChecklistJson;
}

export interface Overview extends Snapshot {
  readonly identity: { name: string };
  readonly liveCursor: string;
  readonly eventKinds: readonly EventKind[];
}

export interface EventsPage {
  readonly events: EventJson[];
  readonly next?: string;
  readonly total: number;
}

export interface LiveAnswer extends Snapshot {
  readonly events: EventJson[];
  readonly cursor: string;
}

export type MyIncidentJson = ReturnType<typeof myIncidentJson>;
