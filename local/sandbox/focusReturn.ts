/**
 * Where focus was, so it can go back after the page redraws a message (a poll re-inserts the
 * posts, and a card someone else changed is drawn anew): the element itself while it is in the
 * page, else the button of the same name in the same message.
 */
export interface FocusMark {
  readonly element: HTMLElement;
  readonly messageId?: string;
}

export function markFocus(element: Element | null | undefined): FocusMark | undefined {
  if (!(element instanceof HTMLElement)) return undefined;
  return { element, messageId: element.closest('[id^="m-"]')?.id };
}

export function returnFocus(mark: FocusMark | undefined): void {
  if (!mark) return;
  if (mark.element.isConnected) return mark.element.focus();
  const message = mark.messageId ? document.getElementById(mark.messageId) : null;
  [...(message?.querySelectorAll<HTMLElement>('button') ?? [])].find((b) => b.textContent === mark.element.textContent)?.focus();
}
