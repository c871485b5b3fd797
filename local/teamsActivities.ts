/**
 * Teams-shaped activities, built the way the Teams service sends them to a bot: the sandbox,
 * the tests and the benches all talk to /api/messages through these, so there is one idea of
 * what Teams sends.
 */
import { LOCAL_BOT } from './defaults.js';

export interface Addressee {
  readonly id: string;
  readonly name: string;
}

/** Where activities come from: the connector to answer through and the tenant they belong to. */
export interface TeamsPlace {
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly bot?: Addressee;
}

export type ActivityFields = Record<string, unknown>;

/** The mention entity Teams adds when someone @mentions a person or the bot. */
export function mentionOf(who: Addressee) {
  return { type: 'mention', text: `<at>${who.name}</at>`, mentioned: { id: who.id, name: who.name } };
}

/** A channel message addressed to the bot: in a channel it only acts on messages that @mention it. */
export function toBot(text: string, bot: Addressee = LOCAL_BOT) {
  return { text: `<at>${bot.name}</at> ${text}`, entities: [mentionOf(bot)] };
}

/** The value of an `adaptiveCard/action` invoke for a card button (Universal Actions). */
export function cardAction(verb: string, data: Record<string, unknown>, trigger: 'manual' | 'automatic' = 'manual') {
  return { action: { type: 'Action.Execute', verb, data }, trigger };
}

/** The Teams client's theme, as invokes that open dialogs report it (`value.context.theme`). */
export type TeamsTheme = 'default' | 'dark' | 'contrast';

/**
 * The value of a `task/fetch` or `task/submit` invoke (a dialog from a card): the Action.Submit's
 * `data` (with `msteams: { type: 'task/fetch' }` for the fetch; the dialog's inputs merged in for
 * the submit) and the client's context.
 */
export function taskModuleValue(data: Record<string, unknown>, theme: TeamsTheme = 'default') {
  return { data, context: { theme } };
}

/**
 * The value of a message action's invoke: `composeExtension/fetchTask` when it is chosen from a
 * message's "…" menu, `composeExtension/submitAction` (with the dialog's `data`) when its dialog
 * is submitted; both carry the message (`messagePayload`).
 */
export function messageActionValue(commandId: string, messagePayload: object, theme: TeamsTheme = 'default', data?: Record<string, unknown>) {
  return { commandId, commandContext: 'message', context: { theme }, messagePayload, ...(data ? { data } : {}) };
}

/** An activity in the General channel of the incidents team unless `fields` say otherwise. */
export function teamsActivity(place: TeamsPlace, fields: ActivityFields): ActivityFields {
  const general = '19:general@thread.tacv2';
  return {
    channelId: 'msteams',
    serviceUrl: place.serviceUrl,
    recipient: place.bot ?? LOCAL_BOT,
    conversation: { id: general, tenantId: place.tenantId, conversationType: 'channel', isGroup: true },
    channelData: { tenant: { id: place.tenantId }, channel: { id: general } },
    timestamp: new Date().toISOString(),
    ...fields,
  };
}

/**
 * A person's message in a channel as Teams sends it to a bot holding ChannelMessage.Read.Group:
 * every message, not only those that @mention it (Microsoft Learn, "Receive all conversation
 * messages with RSC"). A new post starts a thread (`;messageid=` its own id); a reply names its root.
 */
export function channelMessage(place: TeamsPlace, channelId: string, fields: { id: string; from: Addressee & { aadObjectId?: string }; text: string; replyToId?: string; timestamp?: string }): ActivityFields {
  return teamsActivity(place, {
    type: 'message',
    id: fields.id,
    from: fields.from,
    text: fields.text,
    textFormat: 'plain',
    ...(fields.timestamp ? { timestamp: fields.timestamp } : {}),
    ...(fields.replyToId ? { replyToId: fields.replyToId } : {}),
    conversation: { id: `${channelId};messageid=${fields.replyToId ?? fields.id}`, tenantId: place.tenantId, conversationType: 'channel', isGroup: true },
    channelData: { tenant: { id: place.tenantId }, channel: { id: channelId } },
  });
}

/**
 * What Teams sends a bot when a message it received is edited, soft-deleted or restored
 * (Microsoft Learn, "Messages in bot conversations"): `messageUpdate` with channelData eventType
 * `editMessage` or `undeleteMessage` (and the message's text), `messageDelete` with
 * `softDeleteMessage`; `id` is the message's.
 */
export function messageEvent(place: TeamsPlace, channelId: string, event: 'editMessage' | 'softDeleteMessage' | 'undeleteMessage', fields: { id: string; from: Addressee & { aadObjectId?: string }; text?: string; root?: string; timestamp?: string }): ActivityFields {
  return teamsActivity(place, {
    type: event === 'softDeleteMessage' ? 'messageDelete' : 'messageUpdate',
    id: fields.id,
    from: fields.from,
    ...(event === 'softDeleteMessage' ? {} : { text: fields.text ?? '', textFormat: 'plain' }),
    ...(fields.timestamp ? { timestamp: fields.timestamp } : {}),
    conversation: { id: `${channelId};messageid=${fields.root ?? fields.id}`, tenantId: place.tenantId, conversationType: 'channel', isGroup: true },
    channelData: { tenant: { id: place.tenantId }, channel: { id: channelId }, eventType: event },
  });
}
