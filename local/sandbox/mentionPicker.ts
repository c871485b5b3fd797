/**
 * The message box's @mention picker: typing "@" and part of a name lists matching people (arrow
 * keys, Enter or Tab to pick, Escape to close); picked people become mentions of the message.
 */
import type { Person } from './clientTypes.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class MentionPicker {
  private mentions: { id: string; name: string }[] = [];
  private suggestion = { open: false, index: 0, matches: [] as Person[], start: 0 };

  constructor(private readonly people: () => readonly Person[]) {}

  update(): void {
    const box = $<HTMLTextAreaElement>('message');
    const before = box.value.slice(0, box.selectionStart);
    const match = /(^|\s)@([\p{L} .'-]{0,30})$/u.exec(before);
    const query = match?.[2]?.toLowerCase() ?? '';
    const matches = match ? (this.people()).filter((p) => p.name.toLowerCase().includes(query.trim())).slice(0, 6) : [];
    if (!match || matches.length === 0) return this.close();
    this.suggestion = { open: true, index: Math.min(this.suggestion.index, matches.length - 1), matches, start: before.length - query.length - 1 };
    this.draw();
  }

  private draw(): void {
    const list = $('suggestions');
    list.hidden = false;
    list.replaceChildren(
      ...this.suggestion.matches.map((p, i) => {
        const li = document.createElement('li');
        li.id = `suggestion-${i}`;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', String(i === this.suggestion.index));
        li.textContent = p.name;
        li.addEventListener('mousedown', (e) => {
          e.preventDefault();
          this.pick(p);
        });
        return li;
      }),
    );
    $('message').setAttribute('aria-activedescendant', `suggestion-${this.suggestion.index}`);
  }

  private close(): void {
    this.suggestion = { open: false, index: 0, matches: [], start: 0 };
    $('suggestions').hidden = true;
    $('message').removeAttribute('aria-activedescendant');
  }

  private pick(person: Person): void {
    const box = $<HTMLTextAreaElement>('message');
    const after = box.value.slice(box.selectionStart);
    const head = `${box.value.slice(0, this.suggestion.start)}@${person.name} `;
    box.value = head + after;
    box.selectionStart = box.selectionEnd = head.length;
    if (!this.mentions.some((m) => m.id === person.id)) this.mentions.push({ id: person.id, name: person.name });
    this.close();
    box.focus();
  }

  /** Arrow keys, Enter, Tab and Escape while the list is open; true when the key was the list's. */
  onKey(e: KeyboardEvent): boolean {
    if (!this.suggestion.open) return false;
    const count = this.suggestion.matches.length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      this.suggestion.index = (this.suggestion.index + (e.key === 'ArrowDown' ? 1 : count - 1)) % count;
      this.draw();
      return true;
    }
    if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      this.pick(this.suggestion.matches[this.suggestion.index]!);
      return true;
    }
    if (e.key === 'Escape') {
      this.close();
      return true;
    }
    return false;
  }

  /** The people picked since the last message, and a fresh start for the next. */
  take(): { id: string; name: string }[] {
    const picked = this.mentions;
    this.mentions = [];
    this.close();
    return picked;
  }
}
