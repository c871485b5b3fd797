import {
  TeamsActivityHandler,
  TeamsInfo,
  TurnContext,
  CardFactory,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
  type Activity,
  type MessagingExtensionAction,
  type MessagingExtensionActionResponse,
  type TaskModuleRequest,
  type TaskModuleResponse,
} from 'botbuilder';
import { isStoreUnavailable, STORE_UNAVAILABLE_MESSAGE } from '../models/ports/storeUnavailable.js';
import type { ConversationAddress, Incident } from '../models/incident/incident.js';
import { helpCard, welcomeOpening } from './cards/help.js';
import { md } from '../models/support/markdown.js';
import { INPUT_BOUND } from '../models/actions/limits.js';
import type { IncidentDesk } from './incidentDesk.js';
import type { ConversationStore } from '../models/ports/conversationStore.js';
import type { Logger } from '../models/ports/logger.js';
import { dispatch, type Command } from './commands.js';
import type { BotTurn, OutgoingMessage } from './turn.js';
import { runVerb, type VerbTable } from './verbs.js';
import type { AttendanceChange } from '../models/record/meetingAttendance.js';
import type { MeetingLifecycleEvent } from '../models/record/bridge.js';
import type { DialogAnswer, MessageActionRequest, MessageExtension } from './messageExtension.js';
import { admittedTenant } from './activityGate.js';
import type { IncidentDialogs } from './dialogs.js';
import type { ChannelConversation } from '../models/record/chatEntries.js';
import { heardMessage, messageChange } from './conversationRecord.js';

export interface IncidentBotDeps {
  readonly commands: readonly Command[];
  readonly verbs: VerbTable;
  readonly conversations: ConversationStore;
  readonly log: Logger;
  readonly desk: IncidentDesk;
  readonly messageExtension: MessageExtension;
  /** The dialogs the incident card opens for typing (Teams task modules). */
  readonly dialogs: IncidentDialogs;
  /** Meeting join/leave events from the incident's bridge. */
  readonly attendance: (change: AttendanceChange) => Promise<number>;
  /** The bridge's start and end (with what follows the end: its transcript and recording). */
  readonly bridge: (event: MeetingLifecycleEvent) => Promise<boolean>;
  /** Teams said this person joined or left the team: what was remembered of their membership is dropped. */
  readonly membershipChanged: (aadObjectId: string) => void;
  /** The incident channels' conversations, kept as chat entries where the tenant and type say so. */
  readonly conversation: ChannelConversation;
  readonly now: () => Date;
}

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';

/** A Universal Actions error the person sees (HTTP 200; the outcome is in the body). */
function cardError(statusCode: 400 | 401 | 412 | 500, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } as never };
}

function toActivity(message: OutgoingMessage): Partial<Activity> {
  return {
    type: 'message',
    text: message.text?.toString(),
    textFormat: 'markdown',
    attachments: message.card ? [CardFactory.adaptiveCard(message.card)] : undefined,
  };
}

/** The channel (or chat) an activity came from, without the thread suffix (`;messageid=…`). */
function conversationRoot(activity: Activity): string {
  return (activity.conversation?.id ?? '').split(';')[0]!;
}

/** Teams' id for the activity: the idempotency key for what it declares, changes or records. */
function activityKey(activity: Activity): string {
  return activity.id ?? `${activity.conversation?.id}:${activity.timestamp ?? ''}`;
}

function toTaskResponse(answer: DialogAnswer): MessagingExtensionActionResponse {
  if ('message' in answer) return { task: { type: 'message', value: answer.message } };
  return { task: { type: 'continue', value: { title: answer.dialog.title, width: 'medium', height: 'medium', card: CardFactory.adaptiveCard(answer.dialog.card) } } };
}

/**
 * The Teams bot: translates activities into command and verb calls. All botbuilder types stop
 * here; handlers see a BotTurn.
 */
export class IncidentBot extends TeamsActivityHandler {
  constructor(private readonly deps: IncidentBotDeps) {
    super();
    this.onTurn(async (context, next) => {
      await this.rememberServiceUrl(context);
      await next();
    });
    this.onMessage(async (context, next) => {
      // The manifest's RSC ChannelMessage.Read.Group brings every channel message here (and
      // ChatMessage.Read.Chat every group chat message, a private incident's): only those that
      // @mention the bot are meant for it. The others are people talking to each other in the war
      // room: kept on the record of the incident whose conversation it is, where kept. (A command's
      // record is what it does, on the timeline.)
      const type = context.activity.conversation?.conversationType;
      if ((type === 'channel' || type === 'groupChat') && !mentionsMe(context.activity)) {
        const heard = heardMessage(context.activity, this.tenantId(context), this.deps.now());
        if (heard) await this.keep(context, () => this.deps.conversation.heard(heard));
        return void (await next());
      }
      const text = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text ?? '';
      const turn = this.turn(context);
      if (text.length > INPUT_BOUND) {
        await turn.reply({ text: md`That is too long for a command (${String(text.length)} characters; at most ${String(INPUT_BOUND)}). Nothing was done.` });
        return void (await next());
      }
      await dispatch(this.deps.commands, turn, text.trim(), () => this.incidentIn(turn));
      await next();
    });
    // Edits, deletes and undeletes of messages kept on the record (Teams sends them for the messages the bot received).
    this.onTeamsMessageEditEvent(async (context, next) => this.changed(context, 'edited', next));
    this.onTeamsMessageSoftDeleteEvent(async (context, next) => this.changed(context, 'deleted', next));
    this.onTeamsMessageUndeleteEvent(async (context, next) => this.changed(context, 'undeleted', next));
    // People joining or leaving the incident's meeting: recorded on its timeline.
    this.onTeamsMeetingParticipantsJoinEvent(async (meeting, context, next) => {
      await this.recordAttendance(context, meeting.members, true);
      await next();
    });
    this.onTeamsMeetingParticipantsLeaveEvent(async (meeting, context, next) => {
      await this.recordAttendance(context, meeting.members, false);
      await next();
    });
    // The bridge starting and ending: on the timeline, and its transcript fetched after the end.
    this.onTeamsMeetingStartEvent(async (meeting, context, next) => {
      await this.deps.bridge({ tenantId: this.tenantId(context), chatId: conversationRoot(context.activity), eventId: activityKey(context.activity), started: true, at: meeting.startTime });
      await next();
    });
    this.onTeamsMeetingEndEvent(async (meeting, context, next) => {
      await this.deps.bridge({ tenantId: this.tenantId(context), chatId: conversationRoot(context.activity), eventId: activityKey(context.activity), started: false, at: meeting.endTime });
      await next();
    });
    // Microsoft's guidance: introduce the bot where it is installed for a person, never message a
    // team when members are added; in an incident channel, greet each person who joins it, once.
    this.onMembersRemoved(async (context, next) => {
      for (const member of context.activity.membersRemoved ?? []) if (typeof member.aadObjectId === 'string') this.deps.membershipChanged(member.aadObjectId);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      for (const member of context.activity.membersAdded ?? []) if (typeof member.aadObjectId === 'string') this.deps.membershipChanged(member.aadObjectId);
      const added = context.activity.membersAdded ?? [];
      const turn = this.turn(context);
      if (turn.personal && added.some((m) => m.id === context.activity.recipient?.id)) {
        await turn.reply({ card: helpCard(this.deps.commands, md`Hi! I run incidents in Teams. Here is what I can do:`) });
      } else if (eventTypeOf(context.activity) === 'channelMemberAdded') {
        await this.greetInIncidentChannel(turn, added.filter((m) => m.id !== context.activity.recipient?.id));
      }
      await next();
    });
  }

  private async changed(context: TurnContext, kind: 'edited' | 'deleted' | 'undeleted', next: () => Promise<void>): Promise<void> {
    const change = messageChange(context.activity, this.tenantId(context), kind, this.deps.now());
    if (change) await this.keep(context, () => this.deps.conversation.changed(change));
    await next();
  }

  /** Keeping the conversation never stands in the way of a command: a failure is logged, the turn goes on. */
  private async keep(context: TurnContext, write: () => Promise<boolean>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message, activityId: context.activity.id }, 'could not keep a channel message on the record');
    }
  }

  /** Each person who joins an incident channel gets its help and next steps once (the join is on the timeline). */
  private async greetInIncidentChannel(turn: BotTurn, people: readonly { id: string; name?: string; aadObjectId?: string }[]): Promise<void> {
    const incident = await this.incidentIn(turn);
    if (!incident) return;
    for (const member of people) {
      const person = { id: member.id, name: member.name || member.id, aadObjectId: member.aadObjectId };
      if (!(await this.deps.desk.firstJoin(incident, person))) continue;
      await turn.reply({ card: helpCard(this.deps.commands, welcomeOpening(person.name, incident), incident) });
    }
  }

  /**
   * Universal Actions: Teams expects HTTP 200 for every `adaptiveCard/action` the bot processed,
   * with the outcome in the body's `statusCode` (200 card or message, 400, 401, 412, 500). The
   * base handler copies `statusCode` into the HTTP status, so this answers the invoke itself.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    return { status: 200, body: await this.universalAction(context) };
  }

  private async universalAction(context: TurnContext): Promise<AdaptiveCardInvokeResponse> {
    const action = (context.activity.value as Partial<AdaptiveCardInvokeValue> | undefined)?.action;
    if (!action || action.type !== 'Action.Execute' || typeof action.verb !== 'string') return cardError(400, 'BadRequest', 'Expected an Action.Execute with a verb.');
    let result;
    try {
      result = await runVerb(this.deps.verbs, this.turn(context), action.verb, action.data, context.activity.replyToId);
    } catch (error) {
      if (isStoreUnavailable(error)) return cardError(500, 'ServiceUnavailable', STORE_UNAVAILABLE_MESSAGE);
      this.deps.log.error({ err: (error as Error).message, verb: action.verb }, 'a card action failed');
      return cardError(500, 'InternalError', 'Something went wrong on our side; nothing you sent was lost. Try again in a moment.');
    }
    return 'card' in result
      ? { statusCode: 200, type: CARD, value: result.card as never }
      : { statusCode: 200, type: MESSAGE, value: result.message as never };
  }

  protected override async handleTeamsMessagingExtensionFetchTask(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    const turn = this.turn(context);
    return toTaskResponse(await this.dialogAnswer(context, () => this.deps.messageExtension.fetchTask(turn.tenantId, turn.actor, this.messageAction(context, action))));
  }

  protected override async handleTeamsMessagingExtensionSubmitAction(context: TurnContext, action: MessagingExtensionAction): Promise<MessagingExtensionActionResponse> {
    return toTaskResponse(await this.dialogAnswer(context, () => this.deps.messageExtension.submitAction(this.turn(context), this.messageAction(context, action))));
  }

  /** A card button opened a dialog (Action.Submit with msteams task/fetch): the form, with the record as it is now. */
  protected override async handleTeamsTaskModuleFetch(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    return toTaskResponse(await this.dialogAnswer(context, () => this.deps.dialogs.fetch(this.turn(context), request?.data)));
  }

  /** The dialog's button: runs the action as the person who pressed it; refused, the form again with their words. */
  protected override async handleTeamsTaskModuleSubmit(context: TurnContext, request: TaskModuleRequest): Promise<TaskModuleResponse> {
    return toTaskResponse(await this.dialogAnswer(context, () => this.deps.dialogs.submit(this.turn(context), request?.data)));
  }

  private async dialogAnswer(context: TurnContext, answer: () => Promise<DialogAnswer>): Promise<DialogAnswer> {
    try {
      return await answer();
    } catch (error) {
      if (isStoreUnavailable(error)) return { message: STORE_UNAVAILABLE_MESSAGE };
      this.deps.log.error({ err: (error as Error).message, invoke: context.activity.name }, 'a dialog failed');
      return { message: 'Something went wrong on our side; nothing was changed. Try again in a moment.' };
    }
  }

  private async recordAttendance(context: TurnContext, members: { user?: { id?: string; name?: string; aadObjectId?: string } }[] | undefined, joined: boolean): Promise<void> {
    const people = (Array.isArray(members) ? members : [])
      .map((m) => m?.user)
      .filter((u): u is { id: string; name?: string; aadObjectId?: string } => typeof u?.id === 'string' && u.id.length > 0)
      .map((u) => ({ id: u.id, name: u.name || u.id, aadObjectId: u.aadObjectId }));
    await this.deps.attendance({ tenantId: this.tenantId(context), chatId: conversationRoot(context.activity), eventId: activityKey(context.activity), joined, people });
  }

  private messageAction(context: TurnContext, action: MessagingExtensionAction): MessageActionRequest {
    const message = action?.messagePayload;
    return {
      commandId: typeof action?.commandId === 'string' ? action.commandId : '',
      data: action?.data,
      message: message && {
        id: typeof message.id === 'string' ? message.id : undefined,
        conversationId: context.activity.conversation?.id ?? '',
        link: message.linkToMessage,
        author: message.from?.user?.displayName ?? message.from?.application?.displayName,
        authorId: message.from?.user?.id ?? undefined,
        content: message.body?.content,
        contentType: message.body?.contentType,
        replyToId: message.replyToId ?? undefined,
        createdDateTime: message.createdDateTime,
        attachments: (message.attachments ?? []).map((a) => ({ contentType: a.contentType, contentUrl: a.contentUrl, name: a.name })),
      },
    };
  }

  private incidentIn(turn: BotTurn): Promise<Incident | undefined> {
    return this.deps.desk.incidentHere(turn);
  }

  private address(context: TurnContext): ConversationAddress {
    const a = context.activity;
    return {
      serviceUrl: a.serviceUrl,
      tenantId: this.tenantId(context),
      conversationId: a.conversation.id,
      activityId: a.id,
    };
  }

  /** The tenant the activity gate admitted the turn for (bot/activityGate.ts), never one read afresh from the activity. */
  private tenantId(context: TurnContext): string {
    return admittedTenant(context);
  }

  private turn(context: TurnContext): BotTurn {
    const from = context.activity.from ?? { id: 'unknown', name: 'Unknown user' };
    return {
      actor: { id: from.id, name: from.name || from.id, aadObjectId: from.aadObjectId },
      tenantId: this.tenantId(context),
      activityId: activityKey(context.activity),
      address: this.address(context),
      conversationRoot: conversationRoot(context.activity),
      personal: context.activity.conversation?.conversationType === 'personal',
      mentions: (context.activity.entities ?? [])
        .filter((e) => e.type === 'mention' && e.mentioned?.id && e.mentioned.id !== context.activity.recipient?.id)
        .map((e) => ({ id: e.mentioned.id as string, name: (e.mentioned.name as string | undefined) ?? e.mentioned.id })),
      reply: async (message) => (await context.sendActivity(toActivity(message)))?.id,
      resolveMember: async (id) => {
        try {
          const member = await TeamsInfo.getMember(context, id);
          return { id: member.id, name: member.name || member.id, aadObjectId: member.aadObjectId };
        } catch (error) {
          this.deps.log.warn({ err: (error as Error).message }, 'member lookup failed');
          return undefined;
        }
      },
    };
  }

  /** Real Teams uses regional service URLs: learn them so proactive posts go to the right one. */
  private async rememberServiceUrl(context: TurnContext): Promise<void> {
    if (!context.activity.serviceUrl || !context.activity.conversation?.id) return;
    try {
      await this.deps.conversations.remember(this.address(context));
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message }, 'could not remember the conversation service URL');
    }
  }
}

/** Teams' kind of conversation update (teamMemberAdded, channelMemberAdded, …). */
function eventTypeOf(activity: TurnContext['activity']): string | undefined {
  const type = (activity.channelData as { eventType?: unknown } | undefined)?.eventType;
  return typeof type === 'string' ? type : undefined;
}

/** Whether the activity @mentions its recipient (the bot). */
function mentionsMe(activity: TurnContext['activity']): boolean {
  const me = activity.recipient?.id;
  return (activity.entities ?? []).some((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === me);
}
