/**
 * "Add to timeline" on a Teams message: the message becomes a `key_message` event of the incident
 * whose conversation it is in (its channel and the channel's threads, a private incident's group
 * chat, or the bridge's meeting chat), with who wrote it, when, its words (images and files as
 * links), a link back and, optionally, why it matters. One entry per message: the event's id comes
 * from the message, so a second add (or Teams retrying the submit) finds the first, and may only
 * give or replace its note, credited to whoever wrote the note.
 */
import { incidentLabel, type Incident, type Person } from '../incident/incident.js';
import { timelineEvent, type TimelineEvent } from '../incident/timeline.js';
import type { Decision } from '../actions/decisions.js';
import type { ActionResult } from '../actions/actionRequest.js';
import type { IncidentLookup } from '../ports/incidentLookup.js';
import type { KeyMessageStore } from '../ports/recordStore.js';
import type { Clock } from '../ports/clock.js';
import { TEXT_LIMITS } from '../actions/limits.js';
import { utcMinute } from '../support/utcMinute.js';

/** The message as Teams described it (messagePayload), already made text. */
export interface KeyMessage {
  /** Teams' message id, unique in its conversation. */
  readonly id: string;
  /** The channel or chat it is in (a thread's id without `;messageid=`). */
  readonly conversationId: string;
  /** The thread's root, when the message is a reply in a channel thread. */
  readonly replyToId?: string;
  readonly author: string;
  /** The author's Entra object id, when a person wrote it. */
  readonly authorId?: string;
  readonly writtenAt?: Date;
  readonly text: string;
  readonly link?: string;
}

export const KEY_MESSAGE_NOTE_MAX = TEXT_LIMITS.note;

/** The request key (and so the event id) of a message's entry: the same message, the same entry, whoever adds it. */
export const keyMessageKey = (message: Pick<KeyMessage, 'conversationId' | 'id'>) => `key-message:${message.conversationId}:${message.id}`;

/** The decision the action table applies: the event, or why not. */
export function keyMessageDecision(incident: Incident, input: { message: KeyMessage; note?: string }, actor: Person, now: Date): Decision {
  if (incident.status === 'archived') return { refuse: `${incidentLabel(incident)} is archived; its timeline is read-only.` };
  const note = input.note?.trim();
  if (note && note.length > KEY_MESSAGE_NOTE_MAX) return { refuse: `The note is limited to ${KEY_MESSAGE_NOTE_MAX} characters (this one has ${note.length}).` };
  const { message } = input;
  return {
    patch: {},
    event: {
      kind: 'key_message',
      // On the timeline where it was said, not where someone marked it (never later than now: a clock ahead in Teams' stamp).
      ...(message.writtenAt && message.writtenAt.getTime() < now.getTime() ? { at: message.writtenAt } : {}),
      // People's words where the timeline keeps them (`text`, `author.name`, `note`: what the record search reads);
      // where the message is, and its link back, under `message` (eventLink).
      payload: {
        text: message.text,
        author: { name: message.author, ...(message.authorId ? { id: message.authorId } : {}) },
        writtenAt: message.writtenAt,
        addedAt: now,
        ...(note ? { note, noteBy: { id: actor.id, name: actor.name } } : {}),
        message: { id: message.id, conversationId: message.conversationId, replyToId: message.replyToId, link: message.link },
      },
    },
    message: `${actor.name} added ${message.author}'s message to the ${incidentLabel(incident)} timeline.`,
  };
}

export type KeyMessageOutcome =
  | { readonly outcome: 'outside' }
  | { readonly outcome: 'added' | 'already' | 'noted'; readonly incident: Incident; readonly event?: TimelineEvent; readonly message: string }
  | { readonly outcome: 'refused'; readonly incident?: Incident; readonly message: string };

export interface KeyMessageDeps {
  readonly incidents: Pick<IncidentLookup, 'findByChannel' | 'findByMeetingChat'>;
  readonly store: KeyMessageStore;
  readonly clock: Clock;
  /** Why this person may not add to this incident's timeline (the access policy), or undefined. */
  readonly refusal: (incident: Incident, actor: Person, input: { message: KeyMessage; note?: string }) => Promise<string | undefined>;
  readonly run: (request: { incidentId: string; key: string; actor: Person }, input: { message: KeyMessage; note?: string }) => Promise<ActionResult>;
}

/** The incident whose conversation this is: its channel, its private group chat, or its bridge's meeting chat. */
export async function incidentOfConversation(deps: Pick<KeyMessageDeps, 'incidents'>, tenantId: string, conversationId: string): Promise<Incident | undefined> {
  return (await deps.incidents.findByChannel(tenantId, conversationId)) ?? (await deps.incidents.findByMeetingChat(tenantId, conversationId));
}

export async function addKeyMessage(deps: KeyMessageDeps, tenantId: string, actor: Person, message: KeyMessage, note?: string): Promise<KeyMessageOutcome> {
  const incident = await incidentOfConversation(deps, tenantId, message.conversationId);
  if (!incident) return { outcome: 'outside' };
  const key = keyMessageKey(message);
  const eventId = timelineEvent(incident.id, 'key_message', key, { at: new Date(0), actor: { kind: 'user', id: actor.id, name: actor.name } }).id;
  const cleanNote = note?.trim() || undefined;
  const existing = await deps.store.findEvent(incident.id, eventId);
  if (existing) return already(deps, incident, existing, actor, cleanNote);
  const result = await deps.run({ incidentId: incident.id, key, actor }, { message, note: cleanNote });
  if (result.outcome === 'applied') {
    return { outcome: 'added', incident: result.incident ?? incident, message: result.message };
  }
  if (result.outcome === 'duplicate') {
    // Applied a moment ago (a retried submit): the entry is the first one's, perhaps still on its way to the timeline.
    const event = await deps.store.findEvent(incident.id, eventId);
    return event ? already(deps, incident, event, actor, cleanNote) : { outcome: 'already', incident, message: `This message is already on the ${incidentLabel(incident)} timeline.` };
  }
  return { outcome: 'refused', incident: result.incident, message: result.message };
}

/** The message as a key_message event keeps it. */
export function keptMessage(event: TimelineEvent): KeyMessage {
  const p = event.payload as { text?: string; author?: { name?: string; id?: string }; writtenAt?: Date | string; message?: { id?: string; conversationId?: string; replyToId?: string; link?: string } };
  return {
    id: p.message?.id ?? '',
    conversationId: p.message?.conversationId ?? '',
    replyToId: p.message?.replyToId,
    author: p.author?.name ?? 'someone',
    authorId: p.author?.id,
    writtenAt: p.writtenAt ? new Date(p.writtenAt) : undefined,
    text: p.text ?? '',
    link: p.message?.link,
  };
}

async function already(deps: KeyMessageDeps, incident: Incident, event: TimelineEvent, actor: Person, note: string | undefined): Promise<KeyMessageOutcome> {
  const by = event.actor.name;
  const addedAt = event.payload.addedAt ? new Date(event.payload.addedAt as string | Date) : event.at;
  const first = `This message is already on the ${incidentLabel(incident)} timeline (added by ${by}, ${utcMinute(addedAt)})`;
  const current = typeof event.payload.note === 'string' ? event.payload.note : undefined;
  if (!note || note === current) return { outcome: 'already', incident, event, message: `${first}.` };
  const denied = await deps.refusal(incident, actor, { message: keptMessage(event), note });
  if (denied) return { outcome: 'refused', incident, message: denied };
  if (incident.status === 'archived') return { outcome: 'refused', incident, message: `${incidentLabel(incident)} is archived; its timeline is read-only.` };
  if (note.length > KEY_MESSAGE_NOTE_MAX) return { outcome: 'refused', incident, message: `The note is limited to ${KEY_MESSAGE_NOTE_MAX} characters (this one has ${note.length}).` };
  await deps.store.setKeyMessageNote(incident.id, event.id, { text: note, by: { kind: 'user', id: actor.id, name: actor.name }, at: deps.clock.now() });
  return { outcome: 'noted', incident, event, message: `${first}; ${current ? 'its note is now yours' : 'your note is on it now'}.` };
}
