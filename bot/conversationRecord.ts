/**
 * Teams' channel messages, edits and deletes as the conversation record wants them
 * (models/record/chatEntries.ts). Shapes from Microsoft Learn, "Messages in bot conversations"
 * (the message activity; "Receive edit message activity": `messageUpdate` with channelData
 * eventType `editMessage`; "undelete": `messageUpdate` / `undeleteMessage`; "soft delete":
 * `messageDelete` / `softDeleteMessage`, each naming the message by its `id`), and "Deep link to a
 * chat or channel message" for the link back.
 */
import type { Activity } from 'botbuilder';
import type { HeardMessage, MessageChange } from '../models/record/chatEntries.js';
import { recordText } from '../models/support/messageText.js';

/** A channel's id, and the thread's root message when the conversation id names one (`;messageid=`). */
function place(activity: Partial<Activity>): { conversationId: string; root?: string } {
  const [conversationId, ...rest] = (activity.conversation?.id ?? '').split(';');
  const root = rest.find((part) => part.startsWith('messageid='))?.slice('messageid='.length);
  return { conversationId: conversationId!, root };
}

/** Teams' link to a message: opens it in its channel (or chat), in its thread. */
export function messageLink(tenantId: string, conversationId: string, messageId: string, root?: string): string {
  const query = new URLSearchParams({ tenantId, ...(root && root !== messageId ? { parentMessageId: root } : {}) });
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(conversationId)}/${encodeURIComponent(messageId)}?${query.toString()}`;
}

/** The message's HTML when Teams sent it (a text/html attachment), else its text, which keeps the mentions' markup. */
function bodyOf(activity: Partial<Activity>): string {
  const html = (activity.attachments ?? []).find((a) => a.contentType === 'text/html' && typeof a.content === 'string');
  return (html?.content as string | undefined) ?? activity.text ?? '';
}

/** About what Teams lets one message hold: a pasted log is kept whole. */
const CHAT_TEXT_MAX = 30_000;

const files = (activity: Partial<Activity>) => (activity.attachments ?? []).map((a) => ({ contentType: a.contentType, contentUrl: a.contentUrl, name: a.name }));

const timeOf = (activity: Partial<Activity>, fallback: Date) => {
  const at = activity.timestamp ? new Date(activity.timestamp) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : fallback;
};

/** A person's message in a channel or group chat; undefined for what is not one (no id, no author, the bot's own). */
export function heardMessage(activity: Partial<Activity>, tenantId: string, now: Date): HeardMessage | undefined {
  if (!activity.id || !activity.from?.id || activity.from.id === activity.recipient?.id) return undefined;
  const { conversationId, root } = place(activity);
  if (!conversationId) return undefined;
  return {
    tenantId,
    conversationId,
    messageId: activity.id,
    replyToId: root && root !== activity.id ? root : undefined,
    author: { id: activity.from.id, name: activity.from.name || activity.from.id, ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}) },
    at: timeOf(activity, now),
    text: recordText(bodyOf(activity), 'html', files(activity), CHAT_TEXT_MAX),
    link: messageLink(tenantId, conversationId, activity.id, root),
  };
}

/** An edit, delete or undelete of a message; `kind` from the activity's eventType. */
export function messageChange(activity: Partial<Activity>, tenantId: string, kind: MessageChange['kind'], now: Date): MessageChange | undefined {
  if (!activity.id) return undefined;
  const { conversationId } = place(activity);
  if (!conversationId) return undefined;
  return { tenantId, conversationId, messageId: activity.id, kind, at: timeOf(activity, now), ...(kind === 'deleted' ? {} : { text: recordText(bodyOf(activity), 'html', files(activity), CHAT_TEXT_MAX) }) };
}
