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
