/**
 * Dialogs as Teams runs them with a bot (Microsoft Learn, "Use dialogs with bots" and, for
 * message actions, "Create and send dialogs" / "Respond to the dialog submit action"):
 *
 * - a card's Action.Submit with `msteams: { type: 'task/fetch' }` sends `task/fetch`; a message's
 *   "…" action sends `composeExtension/fetchTask`;
 * - the bot answers `{ task: { type: 'continue', value: { title, width, height, card } } }` (the
 *   card as an attachment, `contentType` Adaptive Card) to show a dialog, or `{ task: { type:
 *   'message', value: 'text' } }` to say something;
 * - an Action.Submit inside the dialog sends `task/submit` (or `composeExtension/submitAction`)
 *   with the dialog's inputs merged into the action's data; the answer is again a card (the next
 *   step, or the form with what to fix), a message, or nothing at all (the dialog closes).
 */
import type { Activity, MessageAction } from './clientTypes.js';
import type { CardView } from './cardView.js';
import type { DialogSize, TaskDialog } from './taskDialog.js';

const CARD = 'application/vnd.microsoft.card.adaptive';

/** What the bot's answer to a dialog invoke tells the client to do. */
export type TaskAnswer =
  | { readonly kind: 'continue'; readonly title: string; readonly width?: DialogSize; readonly height?: DialogSize; readonly card: object }
  | { readonly kind: 'message'; readonly text: string }
  | { readonly kind: 'close' }
  | { readonly kind: 'problem'; readonly text: string };

const isSize = (v: unknown): v is DialogSize => v === undefined || typeof v === 'number' || v === 'small' || v === 'medium' || v === 'large';

export function readTaskAnswer(body: unknown): TaskAnswer {
  if (body === undefined || body === null || body === '') return { kind: 'close' };
  const task = (body as { task?: { type?: unknown; value?: unknown } }).task;
  if (task === undefined) {
    if ((body as { composeExtension?: unknown }).composeExtension) return { kind: 'problem', text: 'The app answered with a message extension result (a card to insert); the sandbox shows dialogs only.' };
    return { kind: 'close' };
  }
  if (task.type === 'message') return typeof task.value === 'string' ? { kind: 'message', text: task.value } : { kind: 'problem', text: 'The app answered a message dialog without its text.' };
  if (task.type !== 'continue') return { kind: 'problem', text: `The app answered a dialog of type "${String(task.type)}"; Teams knows "continue" and "message".` };
  const value = (task.value ?? {}) as { title?: unknown; width?: unknown; height?: unknown; card?: { contentType?: unknown; content?: unknown }; url?: unknown };
  if (value.url !== undefined && value.card === undefined) return { kind: 'problem', text: 'The app answered with a web page dialog (url); the sandbox shows Adaptive Card dialogs only.' };
  // From a bot, the dialog's card is an attachment (Learn: "Adaptive Card or Adaptive Card bot card attachment").
  if (value.card?.contentType !== CARD || typeof value.card.content !== 'object' || value.card.content === null) {
    return { kind: 'problem', text: `The app answered a dialog without its card as an attachment (card.contentType must be ${CARD}); Teams would not show it.` };
  }
  if (!isSize(value.width) || !isSize(value.height)) return { kind: 'problem', text: 'The dialog\'s width and height are pixels or "small", "medium" or "large".' };
  return { kind: 'continue', title: typeof value.title === 'string' ? value.title : '', width: value.width, height: value.height, card: value.card.content };
}

type Send = (body: Record<string, unknown>) => Promise<{ status: number; body?: unknown } | undefined>;

/** What the dialog was opened from, and so what its Action.Submit sends. */
interface Origin {
  readonly activity: Activity;
  readonly submit: (data: Record<string, unknown>) => Record<string, unknown>;
}

export class DialogFlow {
  private origin?: Origin;

  constructor(
    private readonly dialog: TaskDialog,
    private readonly cards: CardView,
    private readonly send: Send,
    private readonly toast: (text: string, error?: boolean) => void,
  ) {}

  /** Teams' `context.theme` for the page's look. */
  private theme(): 'default' | 'dark' {
    return document.body.classList.contains('dark') ? 'dark' : 'default';
  }

  /** A card button asked for a dialog (`task/fetch`). */
  async fromCard(activity: Activity, data: Record<string, unknown>): Promise<void> {
    const where = { conversationId: activity.conversationId, activityId: activity.id };
    this.origin = { activity, submit: (submitted) => ({ kind: 'taskSubmit', ...where, data: submitted }) };
    await this.ask({ kind: 'taskFetch', ...where, data });
  }

  /** A message action from the "…" menu (`composeExtension/fetchTask`). */
  async fromMessage(activity: Activity, action: MessageAction): Promise<void> {
    const where = { conversationId: activity.conversationId, activityId: activity.id, commandId: action.id };
    this.origin = { activity, submit: (submitted) => ({ kind: 'messageActionSubmit', ...where, data: submitted }) };
    await this.ask({ kind: 'messageActionFetch', ...where });
  }

  /** The person closed the dialog: Teams tells the bot nothing. */
  dismissed(): void {
    this.origin = undefined;
  }

  private async ask(request: Record<string, unknown>): Promise<void> {
    this.dialog.busy(true);
    const answer = await this.send({ ...request, theme: this.theme() });
    this.dialog.busy(false);
    // No answer, or an HTTP error: the sender has said so already (Teams: "Unable to reach app").
    if (!answer || answer.status >= 400) return;
    this.show(readTaskAnswer(answer.body));
  }

  private show(answer: TaskAnswer): void {
    const origin = this.origin;
    if (answer.kind === 'close' || !origin) {
      this.dialog.close();
      this.origin = undefined;
    } else if (answer.kind === 'message') {
      this.dialog.message(answer.text);
      this.origin = undefined;
    } else if (answer.kind === 'problem') {
      this.toast(answer.text, true);
    } else {
      const body = this.cards.render(answer.card, origin.activity.conversationId, (action: any) => void this.onAction(action, origin));
      this.dialog.show({ title: answer.title, width: answer.width, height: answer.height, body });
    }
  }

  private async onAction(action: any, origin: Origin): Promise<void> {
    const type = action.getJsonTypeName();
    if (type === 'Action.OpenUrl') return void window.open(action.url, '_blank', 'noopener');
    if (type === 'Action.ShowCard' || type === 'Action.ToggleVisibility') return; // the renderer's own
    // Learn: a dialog's card goes back to the bot (task/submit) when an Action.Submit is pressed.
    if (type !== 'Action.Submit') return this.toast(`In a dialog the sandbox sends Action.Submit buttons (task/submit); this ${type} button was not sent.`, true);
    // The renderer hands over the action's data with the dialog's inputs merged in.
    await this.ask(origin.submit({ ...((action.data ?? {}) as Record<string, unknown>) }));
  }
}
