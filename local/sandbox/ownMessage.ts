/**
 * Edit and Delete on one's own message, as Teams offers them: Edit turns the message into a box
 * with Save and Cancel (Escape cancels, Ctrl+Enter saves); Delete removes it, leaving "This message
 * has been deleted." The sandbox page sends the change; the stand-in stores it and tells the bot.
 */
export interface OwnMessageHandlers {
  readonly edit: (text: string) => Promise<boolean>;
  readonly remove: () => Promise<boolean>;
}

function button(label: string, onClick: () => void, className = 'msg-own'): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  b.addEventListener('click', onClick);
  return b;
}

/** The Edit and Delete buttons for a message; `body` is the element showing its text, replaced while editing. */
export function ownMessageControls(text: string, body: () => HTMLElement | undefined, handlers: OwnMessageHandlers): HTMLElement[] {
  const edit = button('Edit', () => {
    const shown = body();
    if (!shown) return;
    const box = document.createElement('textarea');
    box.className = 'msg-edit';
    box.value = text.replace(/<at>([^<]*)<\/at>/g, '@$1');
    box.setAttribute('aria-label', 'Edit your message');
    const form = document.createElement('div');
    form.className = 'msg-edit-form';
    const restore = () => form.replaceWith(shown);
    const save = async () => {
      if (box.value.trim() && (await handlers.edit(box.value.trim()))) return;
      box.focus();
    };
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') restore();
      else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void save();
    });
    form.append(box, button('Save', () => void save(), 'primary'), button('Cancel', restore));
    shown.replaceWith(form);
    box.focus();
  });
  edit.setAttribute('aria-label', 'Edit this message');
  const remove = button('Delete', () => void handlers.remove());
  remove.setAttribute('aria-label', 'Delete this message');
  return [edit, remove];
}
