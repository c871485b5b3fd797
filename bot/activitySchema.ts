/**
 * Every activity field the bot reads, checked once where activities come in (POST /api/messages),
 * before botbuilder or any handler sees them. Ids become Mongo filters, URL segments and log
 * fields: a `{"$gt": …}` object (or an array, which Mongoose turns into `$in`) as a tenant id once
 * matched another tenant's incident, so each is a bounded string here, and the bot runs only on an
 * activity that passed. A malformed activity is refused whole and changes nothing.
 */
import { z } from 'zod';
import { INPUT_BOUND } from '../models/actions/limits.js';

/** Teams ids (29:…, 19:…@thread.tacv2, a:…, GUIDs) are far shorter; the bound only stops abuse. */
const ID_MAX = 512;
/** Teams' own limit for a message is 100 KB: a message extension's copy of one is never longer. */
const MESSAGE_MAX = 100_000;

const id = z.string().min(1).max(ID_MAX);
const label = z.string().max(ID_MAX);
/**
 * An Entra tenant id is a GUID; local mode and hand-made activities use plain ids (local-tenant).
 * Letters, digits, `.`, `_` and `-` only, so no operator, no path and no markup fits in one.
 */
export const tenantIdSchema = z.string().max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a tenant id (a GUID)');
const account = z.object({ id, name: label.optional(), aadObjectId: id.optional() }).loose();
const entity = z
  .object({ type: z.string().max(128).optional() })
  .loose()
  .superRefine((value, ctx) => {
    // Only mentions are read (who is @mentioned, and the bot's own mention removed from the text).
    if (value.type !== 'mention') return;
    const mention = z.object({ text: z.string().max(INPUT_BOUND).optional(), mentioned: account }).loose().safeParse(value);
    for (const issue of mention.success ? [] : mention.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  });
/** An object, never an array, string or null: invokes carry their data in one. */
const object = z.record(z.string(), z.unknown());

/** Universal Actions (adaptiveCard/action): the verb and data the card sent. */
const cardActionValue = z.object({ action: z.object({ type: z.string().max(64), verb: z.string().max(200).optional(), id: label.optional() }).loose() }).loose();
/** Message extension invokes (composeExtension/*): the command and, for message actions, the message. */
const messageExtensionValue = z
  .object({
    commandId: z.string().max(200).optional(),
    commandContext: z.string().max(64).optional(),
    messagePayload: z
      .object({
        id: id.optional(),
        replyToId: id.nullish(),
        createdDateTime: z.string().max(64).nullish(),
        linkToMessage: z.string().max(2048).optional(),
        from: z.object({ user: z.object({ id: id.nullish(), displayName: label.optional() }).loose().nullish(), application: z.object({ displayName: label.optional() }).loose().nullish() }).loose().nullish(),
        body: z.object({ content: z.string().max(MESSAGE_MAX).optional(), contentType: z.string().max(64).optional() }).loose().optional(),
        attachments: z.array(z.object({ contentType: z.string().max(256).nullish(), contentUrl: z.string().max(2048).nullish(), name: z.string().max(ID_MAX).nullish() }).loose()).max(100).nullish(),
      })
      .loose()
      .optional(),
  })
  .loose();
/** Meeting participant events: who joined or left the bridge. */
const meetingEventValue = z.object({ members: z.array(z.object({ user: account.optional() }).loose()).max(1000).optional() }).loose();
/** Meeting start and end ("Get real-time Teams meeting events"): the meeting's Id, JoinUrl, Title, MeetingType and its StartTime or EndTime. */
const isoTime = z.string().max(64).refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date and time');
const meetingFields = { Id: z.string().max(2048), JoinUrl: z.string().max(4096), Title: z.string().max(1024), MeetingType: z.string().max(64) };
const meetingStartValue = z.object({ ...meetingFields, StartTime: isoTime }).loose();
const meetingEndValue = z.object({ ...meetingFields, EndTime: isoTime }).loose();

export const activitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: id.optional(),
    name: z.string().max(200).optional(),
    channelId: z.string().max(64).optional(),
    serviceUrl: z.string().max(2048).optional(),
    timestamp: z.string().max(64).optional(),
    replyToId: id.optional(),
    // A message is as long as Teams lets it be: people's messages (RSC brings them all) are kept
    // on the record whole; a command longer than INPUT_BOUND is answered so (incidentBot.ts).
    text: z.string().max(MESSAGE_MAX).optional(),
    from: account.optional(),
    recipient: account.optional(),
    conversation: z.object({ id: z.string().min(1).max(1024), tenantId: tenantIdSchema.optional(), conversationType: z.string().max(64).optional(), isGroup: z.boolean().optional() }).loose(),
    channelData: z
      .object({
        tenant: z.object({ id: tenantIdSchema }).loose().optional(),
        channel: z.object({ id }).loose().optional(),
        team: z.object({ id }).loose().optional(),
        eventType: z.string().max(64).optional(),
      })
      .loose()
      .optional(),
    entities: z.array(entity).max(256).optional(),
    membersAdded: z.array(account).max(1000).optional(),
    membersRemoved: z.array(account).max(1000).optional(),
    value: z.unknown().optional(),
  })
  .loose()
  .superRefine((activity, ctx) => {
    const check = (schema: z.ZodType, what: string) => {
      const parsed = schema.safeParse(activity.value);
      for (const issue of parsed.success ? [] : parsed.error.issues) ctx.addIssue({ code: 'custom', message: `${what}: ${issue.message}`, path: ['value', ...issue.path] });
    };
    if (activity.type === 'invoke') {
      if (activity.name === 'adaptiveCard/action') check(cardActionValue, 'a card action');
      else if (activity.name?.startsWith('composeExtension/')) check(messageExtensionValue.optional(), 'a message extension call');
      else if (activity.value !== undefined) check(object, 'an invoke');
    } else if (activity.type === 'event' && activity.name?.startsWith('application/vnd.microsoft.meetingParticipant')) {
      check(meetingEventValue, 'a meeting event');
    } else if (activity.type === 'event' && activity.name === 'application/vnd.microsoft.meetingStart') {
      check(meetingStartValue, 'a meeting start event');
    } else if (activity.type === 'event' && activity.name === 'application/vnd.microsoft.meetingEnd') {
      check(meetingEndValue, 'a meeting end event');
    }
  });

export type CheckedActivity = z.infer<typeof activitySchema>;

/** How a refused activity is answered: an HTTP status and body. */
export interface Refusal {
  readonly status: number;
  readonly body: object;
}

/**
 * Universal Actions answer with HTTP 200 and the outcome in the body (Teams shows the message on
 * the card); everything else with the HTTP status itself.
 */
export function refusalFor(activity: { type?: unknown; name?: unknown }, httpStatus: 400 | 403, message: string, problems?: readonly string[]): Refusal {
  if (activity.type === 'invoke' && activity.name === 'adaptiveCard/action') {
    return { status: 200, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: httpStatus === 403 ? 'Forbidden' : 'BadRequest', message } } };
  }
  return { status: httpStatus, body: { message, ...(problems ? { problems } : {}) } };
}

/** The activity as the bot may read it, or how to refuse it (nothing of it is stored or acted on). */
export function checkActivity(body: unknown): { readonly activity: CheckedActivity } | { readonly refusal: Refusal } {
  const parsed = activitySchema.safeParse(body);
  if (parsed.success) return { activity: parsed.data };
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).slice(0, 5);
  const shape = typeof body === 'object' && body !== null ? (body as { type?: unknown; name?: unknown }) : {};
  return { refusal: refusalFor(shape, 400, `This activity is malformed; nothing was done (${problems.join('; ')}).`, problems) };
}

/** Every tenant the activity names (Teams puts the same one in both places). */
export function tenantsNamed(activity: Pick<CheckedActivity, 'conversation' | 'channelData'>): string[] {
  return [activity.conversation.tenantId, activity.channelData?.tenant?.id].filter((t): t is string => t !== undefined);
}
