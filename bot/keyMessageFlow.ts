/**
 * "Add to timeline" from a message's "…" menu: fetchTask shows the message as it will be kept
 * and asks why it matters; submitAction records it (models/record/keyMessages.ts). The message
 * comes from Teams' messagePayload (Microsoft Learn, "Respond to the dialog submit action" and
 * the MessageActionsPayload reference): id, replyToId, createdDateTime, from, body, attachments,
 * linkToMessage.
 */
import { z } from 'zod';
import { HTTPS_LINK, type Person } from '../models/incident/incident.js';
import { addKeyMessage, incidentOfConversation, keyMessageKey, KEY_MESSAGE_NOTE_MAX, type KeyMessage, type KeyMessageDeps } from '../models/record/keyMessages.js';
import { timelineEvent } from '../models/incident/timeline.js';
import { recordText } from '../models/support/messageText.js';
import { keyMessageCard } from './cards/keyMessageCard.js';
import type { DialogAnswer, TeamsMessage } from './messageExtension.js';
import type { BotTurn } from './turn.js';

/** The manifest's message-action command: "Add to timeline" in a message's "…" menu. */
export const ADD_TO_TIMELINE = 'addToTimeline';

const TITLE = 'Add to timeline';
/** A key message's words on the timeline: enough for any message people quote; a longer one ends with "…". */
const KEY_MESSAGE_TEXT_MAX = 8000;
export const OUTSIDE =
  'This message is not in an incident\'s conversation (its channel and threads, its private chat, or its meeting chat), so there is no timeline to add it to; nothing was added. To start one from it, use "Declare incident".';
const submitSchema = z.object({ note: z.string().max(KEY_MESSAGE_NOTE_MAX * 2).optional() }).loose();

/** The message as the record keeps it; undefined without an id (nothing to find it again by). */
export function keyMessageOf(message: TeamsMessage): KeyMessage | undefined {
  if (!message.id) return undefined;
  const writtenAt = message.createdDateTime ? new Date(message.createdDateTime) : undefined;
  return {
    id: message.id,
    conversationId: message.conversationId.split(';')[0]!,
    replyToId: message.replyToId || undefined,
    author: message.author?.slice(0, 200) || 'someone',
    authorId: message.authorId,
    writtenAt: writtenAt && !Number.isNaN(writtenAt.getTime()) ? writtenAt : undefined,
    text: recordText(message.content, message.contentType, message.attachments, KEY_MESSAGE_TEXT_MAX),
    link: message.link && HTTPS_LINK.test(message.link) && message.link.length <= 2000 ? message.link : undefined,
  };
}

export class KeyMessageFlow {
  constructor(private readonly deps: KeyMessageDeps) {}

  async fetchTask(tenantId: string, actor: Person, teamsMessage: TeamsMessage | undefined): Promise<DialogAnswer> {
    const message = teamsMessage && keyMessageOf(teamsMessage);
    if (!message) return { message: 'Use "Add to timeline" from the … menu of a message in the incident\'s channel or meeting chat.' };
    const incident = await incidentOfConversation(this.deps, tenantId, message.conversationId);
    if (!incident) return { message: OUTSIDE };
    const denied = await this.deps.refusal(incident, actor, { message });
    if (denied) return { message: denied };
    const eventId = timelineEvent(incident.id, 'key_message', keyMessageKey(message), { at: new Date(0), actor: { kind: 'user', id: actor.id, name: actor.name } }).id;
    const existing = await this.deps.store.findEvent(incident.id, eventId);
    const before = existing && { by: existing.actor.name, at: existing.at, note: typeof existing.payload.note === 'string' ? existing.payload.note : undefined };
    return { dialog: { title: TITLE, card: keyMessageCard(incident, message, before) } };
  }

  async submitAction(turn: BotTurn, teamsMessage: TeamsMessage | undefined, data: unknown): Promise<DialogAnswer> {
    const parsed = submitSchema.safeParse(data ?? {});
    if (!parsed.success) return { message: `That form had data I cannot accept (${parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ')}); nothing was added.` };
    const message = teamsMessage && keyMessageOf(teamsMessage);
    if (!message) return { message: 'I could not tell which message to add; nothing was added. Try again from the message\'s … menu.' };
    const result = await addKeyMessage(this.deps, turn.tenantId, turn.actor, message, parsed.data.note);
    return { message: result.outcome === 'outside' ? OUTSIDE : result.message };
  }
}
