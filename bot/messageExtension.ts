import { convert } from 'html-to-text';
import { z } from 'zod';
import { LIMITS, type DeclareInput } from '../models/warRoom/declareIncident.js';
import { HTTPS_LINK, incidentLabel, type Incident, type QuotedMessage } from '../models/incident/incident.js';
import { adaptiveCard, text, type CardElement } from './cards/common.js';
import { declareInputFromForm } from './declareCommand.js';
import { md, mdLink } from '../models/support/markdown.js';
import type { DeclareFlow } from './declareFlow.js';
import type { BotTurn } from './turn.js';
import { ADD_TO_TIMELINE, type KeyMessageFlow } from './keyMessageFlow.js';
import type { Person } from '../models/incident/incident.js';

/** The manifest's message-action command: "Declare incident" in a message's "…" menu. */
export const DECLARE_FROM_MESSAGE = 'declareIncident';

/** A Teams message as the message extension receives it (messagePayload), in our words. */
export interface TeamsMessage {
  readonly id?: string;
  readonly conversationId: string;
  readonly link?: string;
  readonly author?: string;
  /** The author's Entra object id (a person), absent for an app's message. */
  readonly authorId?: string;
  readonly content?: string;
  readonly contentType?: string;
  /** The thread's root message, for a reply in a channel thread. */
  readonly replyToId?: string;
  /** When it was written (ISO 8601). */
  readonly createdDateTime?: string;
  /** Files and cards sent with it (a file: `contentType: "reference"`, `contentUrl`, `name`). */
  readonly attachments?: readonly { readonly contentType?: string; readonly contentUrl?: string; readonly name?: string }[];
}

export interface MessageActionRequest {
  readonly commandId: string;
  readonly message?: TeamsMessage;
  /** The dialog's submitted values (submitAction only). */
  readonly data?: unknown;
}

/** What the dialog does next: show a card (the form, or the outcome), or close with a short message. */
export type DialogAnswer = { readonly dialog: { readonly title: string; readonly card: CardElement } } | { readonly message: string };

const EXCERPT = 200;
const httpsLink = z.string().max(2000).regex(HTTPS_LINK, 'is not an https link');
const quoteSchema = z.object({ id: z.string().min(1).max(400), link: httpsLink.optional(), author: z.string().max(200).optional(), excerpt: z.string().max(EXCERPT + 1) });
const submitSchema = z
  .object({
    title: z.string().max(10_000).optional(),
    severity: z.string().max(100).optional(),
    component: z.string().max(10_000).optional(),
    description: z.string().max(10_000).optional(),
    type: z.string().max(100).optional(),
    private: z.enum(['true', 'false']).optional().transform((value) => value === 'true' || undefined),
    quote: quoteSchema.optional(),
  })
  // The extra fields' inputs (`field-<id>`, named by the tenant's types) and the type they were shown for.
  .catchall(z.string().max(10_000));

/** Teams sends the message as HTML; the form and the timeline want its text. */
export function messageText(message: TeamsMessage): string {
  const raw = message.content ?? '';
  const textOnly = message.contentType === 'text' ? raw : convert(raw, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }] });
  return textOnly.replace(/\r/g, '').replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

function shorten(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}

/** The message as the incident keeps it: one incident per message, a link back, a recognisable excerpt. */
export function quoteOf(message: TeamsMessage): QuotedMessage | undefined {
  if (!message.id) return undefined;
  const link = message.link && httpsLink.safeParse(message.link).success ? message.link : undefined;
  return {
    id: `${message.conversationId.split(';')[0]}:${message.id}`,
    link,
    author: message.author?.slice(0, 200) || undefined,
    excerpt: shorten(messageText(message).replace(/\s+/g, ' '), EXCERPT),
  };
}

/** The form, pre-filled: the message's first line as the title, the whole text (and who wrote it) as details. */
export function prefill(message: TeamsMessage): DeclareInput {
  const body = messageText(message);
  const firstLine = body.split('\n').find((line) => line.trim()) ?? '';
  const byline = `From a message${message.author ? ` by ${message.author}` : ''}${message.link ? `: ${message.link}` : ''}`;
  return {
    title: shorten(firstLine.trim(), LIMITS.title),
    description: shorten(`${body}\n\n${byline}`, LIMITS.description),
  };
}

function unknownAction(request: MessageActionRequest): DialogAnswer {
  return { message: `I don't know the action "${request.commandId.slice(0, 40)}". Nothing was changed.` };
}

export function outcomeCard(incident: Incident, created: boolean, severityLabel: string): CardElement {
  const label = `${incidentLabel(incident)} (${incident.severity} ${severityLabel})`;
  const headline = created ? md`🚨 ${label} declared: ${incident.title}` : md`This message was already declared as ${label}: ${incident.title}`;
  const where = incident.channel
    ? md`The war room is ${mdLink(incident.channel.name, incident.channel.webUrl)}.`
    : md`Its channel, meeting, tab and card are opening in the incidents team now; the message is linked on its timeline.`;
  return adaptiveCard(
    [text(headline, { weight: 'Bolder', wrap: true }), text(where)],
    incident.channel ? [{ type: 'Action.OpenUrl', title: 'Go to the incident channel', url: incident.channel.webUrl }] : [],
  );
}

/**
 * The app's message actions. "Declare incident" on any Teams message: fetchTask opens the declare
 * form pre-filled from the message; submitAction declares (or shows the form again with what to
 * fix, values kept). "Add to timeline": keyMessageFlow.ts.
 */
export class MessageExtension {
  constructor(
    private readonly declare: DeclareFlow,
    private readonly keyMessages: KeyMessageFlow,
  ) {}

  async fetchTask(tenantId: string, actor: Person, request: MessageActionRequest): Promise<DialogAnswer> {
    if (request.commandId === ADD_TO_TIMELINE) return this.keyMessages.fetchTask(tenantId, actor, request.message);
    if (request.commandId !== DECLARE_FROM_MESSAGE) return unknownAction(request);
    const quote = request.message && quoteOf(request.message);
    if (!request.message || !quote) return { message: 'Use "Declare incident" from the … menu of a message, or type `declare` to the bot.' };
    return { dialog: { title: 'Declare an incident', card: this.declare.formCard(tenantId, prefill(request.message), [], { in: 'dialog', extra: { quote } }) } };
  }

  async submitAction(turn: BotTurn, request: MessageActionRequest): Promise<DialogAnswer> {
    if (request.commandId === ADD_TO_TIMELINE) return this.keyMessages.submitAction(turn, request.message, request.data);
    if (request.commandId !== DECLARE_FROM_MESSAGE) return unknownAction(request);
    const parsed = submitSchema.safeParse(request.data ?? {});
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ');
      return { message: `That form had data I cannot accept (${problems}); nothing was declared.` };
    }
    const { quote: carried, ...values } = parsed.data;
    const { input, shownType } = declareInputFromForm(values);
    // Teams sends the message again with the submit; the form's copy covers clients that do not.
    const quote = (request.message && quoteOf(request.message)) ?? carried;
    if (!quote) return { message: 'I could not tell which message this was declared from; nothing was declared. Try again from the message.' };
    const result = await this.declare.fromMessage(turn, input, quote, shownType);
    if ('problems' in result) return { dialog: { title: 'Declare an incident', card: this.declare.formCard(turn.tenantId, input, result.problems, { in: 'dialog', extra: { quote } }) } };
    return { dialog: { title: incidentLabel(result.incident), card: outcomeCard(result.incident, result.created, this.declare.severityLabel(result.incident)) } };
  }
}
