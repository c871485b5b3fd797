/**
 * The modal dialog (Teams' task module) the sandbox shows a bot's card in: the app's name and the
 * dialog's title above, the card below, a close button. While it is open the rest of the page is
 * inert (focus stays in the dialog: Tab and Shift+Tab cycle through it), Escape or the close
 * button dismisses it, and focus goes back to what opened it. Sizes follow Microsoft Learn's
 * "Invoke and dismiss dialogs": a number is pixels; small, medium and large are 20, 50 and 60 %
 * of the window's width and 20, 50 and 66 % of its height (never smaller than a usable form).
 */
import { markFocus, returnFocus, type FocusMark } from './focusReturn.js';

export type DialogSize = number | 'small' | 'medium' | 'large' | undefined;

const WIDTHS = { small: 20, medium: 50, large: 60 } as const;
const HEIGHTS = { small: 20, medium: 50, large: 66 } as const;
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function size(value: DialogSize, percents: Record<'small' | 'medium' | 'large', number>, unit: 'vw' | 'vh', minimum: number): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return `${Math.max(minimum, value)}px`;
  if (typeof value === 'string' && value in percents) return `max(${minimum}px, ${percents[value]}${unit})`;
  return undefined;
}

export interface DialogContent {
  readonly title: string;
  readonly width?: DialogSize;
  readonly height?: DialogSize;
  readonly body: HTMLElement;
}

export class TaskDialog {
  private backdrop?: HTMLDivElement;
  /** The button that opened the dialog (focus goes back to it, or to its copy in a redrawn card). */
  private opener?: FocusMark;
  private inerted: HTMLElement[] = [];

  constructor(
    /** The app's name, shown above the dialog's title as Teams does. */
    private readonly appName: () => string,
    /** Called when the person dismisses the dialog (Escape, the close button). */
    private readonly onDismiss: () => void = () => undefined,
  ) {}

  get isOpen(): boolean {
    return this.backdrop !== undefined;
  }

  /** Opens the dialog with this content, or replaces what an open one shows (the next step). */
  show(content: DialogContent): void {
    const dialog = this.frame();
    dialog.style.width = size(content.width ?? 'medium', WIDTHS, 'vw', 360) ?? '';
    dialog.style.height = size(content.height, HEIGHTS, 'vh', 240) ?? '';
    dialog.querySelector('#dialog-title')!.textContent = content.title;
    const body = dialog.querySelector('.dialog-body')!;
    body.replaceChildren(content.body);
    body.scrollTop = 0;
    // The first field to fill, else the first button (never the card's own focusable frame).
    const visible = (selector: string) => [...body.querySelectorAll<HTMLElement>(selector)].find((e) => e.offsetParent !== null);
    (visible('input, select, textarea') ?? visible('button, a[href]') ?? dialog.querySelector<HTMLElement>('.dialog-close'))!.focus();
  }

  /** A short message from the app in the dialog (Teams' `task.type: 'message'`), with a button that closes it. */
  message(text: string, title?: string): void {
    const body = document.createElement('div');
    body.className = 'dialog-message';
    const p = document.createElement('p');
    p.setAttribute('role', 'status');
    p.textContent = text;
    const ok = document.createElement('button');
    ok.type = 'button';
    ok.className = 'primary';
    ok.textContent = 'Close';
    ok.addEventListener('click', () => this.dismiss());
    body.append(p, ok);
    this.show({ title: title ?? this.backdrop?.querySelector('#dialog-title')?.textContent ?? this.appName(), height: undefined, width: 'small', body });
  }

  /** Busy while the app answers: buttons inside cannot be pressed twice. */
  busy(on: boolean): void {
    this.backdrop?.querySelector('.dialog')?.setAttribute('aria-busy', String(on));
    for (const button of this.backdrop?.querySelectorAll<HTMLButtonElement>('.dialog-body button') ?? []) button.disabled = on;
  }

  close(): void {
    if (!this.backdrop) return;
    this.backdrop.remove();
    this.backdrop = undefined;
    for (const element of this.inerted) element.inert = false;
    this.inerted = [];
    document.removeEventListener('keydown', this.onKey);
    returnFocus(this.opener);
    this.opener = undefined;
  }

  private dismiss(): void {
    this.close();
    this.onDismiss();
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    const dialog = this.backdrop?.querySelector<HTMLElement>('.dialog');
    if (!dialog) return;
    if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault();
      this.dismiss();
    } else if (e.key === 'Tab') {
      const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null);
      if (focusable.length === 0) return;
      const [first, last] = [focusable[0]!, focusable[focusable.length - 1]!];
      const inside = dialog.contains(document.activeElement);
      if (e.shiftKey && (document.activeElement === first || !inside)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (document.activeElement === last || !inside)) {
        e.preventDefault();
        first.focus();
      }
    }
  };

  /** The dialog's frame, created when it opens. */
  private frame(): HTMLElement {
    if (this.backdrop) return this.backdrop.querySelector<HTMLElement>('.dialog')!;
    this.opener = markFocus(document.activeElement);
    const backdrop = document.createElement('div');
    backdrop.className = 'dialog-backdrop';
    const dialog = document.createElement('div');
    dialog.className = 'dialog';
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', 'dialog-title');
    const header = document.createElement('header');
    header.className = 'dialog-header';
    const heading = document.createElement('div');
    const app = document.createElement('span');
    app.className = 'dialog-app';
    app.textContent = this.appName();
    const title = document.createElement('h2');
    title.id = 'dialog-title';
    heading.append(app, title);
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'dialog-close';
    close.setAttribute('aria-label', 'Close');
    close.textContent = '×';
    close.addEventListener('click', () => this.dismiss());
    header.append(heading, close);
    const body = document.createElement('div');
    body.className = 'dialog-body';
    dialog.append(header, body);
    backdrop.append(dialog);
    // Everything else on the page is out of reach (pointer, keyboard, screen readers) while it is open.
    this.inerted = [...document.body.children].filter((e): e is HTMLElement => e instanceof HTMLElement && !e.inert && e.id !== 'toasts');
    for (const element of this.inerted) element.inert = true;
    document.body.append(backdrop);
    // Bubbling, so a control inside that handles Escape itself (a list closing) keeps it.
    document.addEventListener('keydown', this.onKey);
    this.backdrop = backdrop;
    return dialog;
  }
}
