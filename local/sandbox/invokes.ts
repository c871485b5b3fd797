/**
 * Dialogs (task modules) and message actions, as the Teams client starts them: what the sandbox
 * page may ask for, and the invoke the Teams service then sends the bot. From Microsoft Learn:
 * "Use dialogs with bots" — an Action.Submit whose data has `msteams: { type: 'task/fetch' }`
 * sends `task/fetch`, an Action.Submit in the dialog sends `task/submit`, both with
 * `value: { data, context: { theme } }`; "Create and send dialogs" (message extensions) — a
 * message action sends `composeExtension/fetchTask`, its dialog's submit
 * `composeExtension/submitAction`, with `value: { commandId, commandContext: 'message', context,
 * messagePayload[, data] }`.
 */
import { z } from 'zod';
import type { TeamsWorld, FakeActivity } from '../world/teamsWorld.js';
import { messagePayloadOf } from '../world/messagePayload.js';
import { messageActionValue, taskModuleValue } from '../teamsActivities.js';
import type { MessageAction } from './messageActions.js';

const data = z.record(z.string(), z.unknown()).default({});
const common = {
  as: z.string().min(1).max(200),
  conversationId: z.string().min(1).max(500),
  /** The message: the card whose button opened the dialog, or the one whose "…" menu was used. */
  activityId: z.string().min(1).max(200),
  theme: z.enum(['default', 'dark', 'contrast']).default('default'),
};
const commandId = z.string().min(1).max(64);

/** The kinds of /sandbox/api/send that become dialog invokes. */
export const INVOKE_KINDS = [
  z.object({ kind: z.literal('taskFetch'), ...common, data }),
  z.object({ kind: z.literal('taskSubmit'), ...common, data }),
  z.object({ kind: z.literal('messageActionFetch'), ...common, commandId }),
  z.object({ kind: z.literal('messageActionSubmit'), ...common, commandId, data }),
] as const;

export type InvokeRequest = z.infer<(typeof INVOKE_KINDS)[number]>;

export interface Invoke {
  readonly name: string;
  readonly value: object;
  /** The card the dialog belongs to (invokes from a card carry it, like card actions do). */
  readonly replyToId?: string;
}

export type InvokeOutcome = { readonly invoke: Invoke } | { readonly refusal: { readonly status: number; readonly error: string } };

const refuse = (status: number, error: string): InvokeOutcome => ({ refusal: { status, error } });

/** The message in that conversation (a channel's threads count as the channel). */
function messageIn(world: TeamsWorld, conversationId: string, activityId: string): FakeActivity | undefined {
  const root = conversationId.split(';')[0]!;
  return world.activities.find((a) => a.id === activityId && a.conversationId.split(';')[0] === root);
}

export function invokeFor(request: InvokeRequest, world: TeamsWorld, app: { readonly bot: { readonly name: string }; readonly messageActions: readonly MessageAction[] }): InvokeOutcome {
  const message = messageIn(world, request.conversationId, request.activityId);
  if (!message) return refuse(404, `there is no message ${request.activityId} in ${request.conversationId}`);
  switch (request.kind) {
    case 'taskFetch': {
      // Teams sends task/fetch only for an Action.Submit that asks for it.
      const msteams = request.data.msteams as { type?: unknown } | undefined;
      if (msteams?.type !== 'task/fetch') return refuse(400, 'data.msteams.type: a dialog is fetched by an Action.Submit whose data has msteams: { type: "task/fetch" }');
      return { invoke: { name: 'task/fetch', value: taskModuleValue(request.data, request.theme), replyToId: message.id } };
    }
    case 'taskSubmit':
      return { invoke: { name: 'task/submit', value: taskModuleValue(request.data, request.theme), replyToId: message.id } };
    case 'messageActionFetch':
    case 'messageActionSubmit': {
      if (!app.messageActions.some((a) => a.id === request.commandId)) return refuse(400, `commandId: the app has no message action "${request.commandId}"`);
      const payload = messagePayloadOf(world, message, app.bot);
      const submitted = request.kind === 'messageActionSubmit' ? request.data : undefined;
      return { invoke: { name: submitted ? 'composeExtension/submitAction' : 'composeExtension/fetchTask', value: messageActionValue(request.commandId, payload, request.theme, submitted) } };
    }
  }
}
