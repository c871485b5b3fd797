/**
 * A message's "…" menu with the app's message actions, as Teams offers them on every message
 * ("More actions" → the app's commands): a button that opens a menu (arrow keys move, Enter or
 * Space picks, Escape closes and returns to the button). The menu is drawn over the page, not
 * inside the message, so a redraw of the conversation does not close it under the pointer.
 */
import type { MessageAction } from './clientTypes.js';

export function messageMenuButton(appName: string, actions: readonly MessageAction[], onPick: (action: MessageAction) => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'msg-more';
  button.textContent = '…';
  button.setAttribute('aria-label', 'More options');
  button.setAttribute('aria-haspopup', 'menu');
  button.setAttribute('aria-expanded', 'false');
  button.addEventListener('click', () => openMenu(button, appName, actions, onPick));
  return button;
}

function openMenu(button: HTMLButtonElement, appName: string, actions: readonly MessageAction[], onPick: (action: MessageAction) => void): void {
  document.querySelector('.msg-menu')?.remove();
  const menu = document.createElement('ul');
  menu.className = 'msg-menu';
  menu.setAttribute('role', 'menu');
  menu.setAttribute('aria-label', `More actions (${appName})`);
  const items = actions.map((action) => {
    const item = document.createElement('li');
    item.setAttribute('role', 'menuitem');
    item.tabIndex = -1;
    item.title = action.description;
    const title = document.createElement('span');
    title.textContent = action.title;
    const app = document.createElement('small');
    app.textContent = appName;
    item.append(title, app);
    item.addEventListener('click', () => pick(action));
    return item;
  });
  menu.append(...items);
  const close = (refocus: boolean) => {
    menu.remove();
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('mousedown', outside, true);
    if (refocus && button.isConnected) button.focus();
  };
  const pick = (action: MessageAction) => {
    close(true);
    onPick(action);
  };
  const outside = (e: MouseEvent) => {
    if (!menu.contains(e.target as Node) && e.target !== button) close(false);
  };
  menu.addEventListener('keydown', (e) => {
    const index = items.indexOf(document.activeElement as HTMLLIElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(index + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (index >= 0) pick(actions[index]!);
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      close(true);
    }
  });
  const place = button.getBoundingClientRect();
  menu.style.top = `${place.bottom + 4}px`;
  menu.style.left = `${Math.max(8, place.right - 240)}px`;
  document.body.append(menu);
  document.addEventListener('mousedown', outside, true);
  button.setAttribute('aria-expanded', 'true');
  items[0]?.focus();
}
