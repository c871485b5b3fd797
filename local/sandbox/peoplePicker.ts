/**
 * Teams' people picker in the sandbox's card renderer. In Teams, an Input.ChoiceSet whose
 * `choices.data` is `{ type: 'Data.Query', dataset: 'graph.microsoft.com/users' }` searches the
 * organisation's directory as the person types (`…/users?scope=currentContext`: the members of
 * the conversation the card is in); the card's static `choices` are offered alongside, matched by
 * their title; what is submitted is the picked person's Entra object id (with `isMultiSelect`,
 * the ids joined by commas), and `value` pre-selects people by those ids (Microsoft Learn,
 * "People Picker in Adaptive Cards"). The adaptivecards renderer's own typeahead would submit the
 * typed name, so such choice sets are drawn by this element instead: a combobox with a list of
 * people (arrow keys, Enter to pick, Escape to close).
 */
import type { Person } from './clientTypes.js';

declare const AdaptiveCards: any;

/** Who a people query may offer, for the card it is in. */
export type Directory = (scope: 'organization' | 'conversation', card: object) => readonly Person[];

const DATASETS: Record<string, 'organization' | 'conversation'> = {
  'graph.microsoft.com/users': 'organization',
  'graph.microsoft.com/users?scope=currentContext': 'conversation',
};
const MAX_SHOWN = 6;

interface Profile {
  readonly value: string;
  readonly name: string;
  readonly email?: string;
}

/** Word starts, as the directory search matches: "meg", "bow" and "megan.b" all find Megan Bowen. */
function matches(profile: Profile, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return false;
  const name = profile.name.toLowerCase();
  return name.startsWith(q) || name.split(/[\s.'-]+/).some((word) => word.startsWith(q)) || Boolean(profile.email?.toLowerCase().startsWith(q));
}

const uniqueId = (what: string) => `people-picker-${what}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * Element registry for rendering cards: the renderer's defaults, with Input.ChoiceSet drawn as a
 * people picker when it asks for a people dataset (and as usual otherwise).
 */
export function peoplePickerRegistry(directory: Directory): unknown {
  const Base = AdaptiveCards.ChoiceSetInput;

  class PeoplePicker extends Base {
    private scope?: 'organization' | 'conversation';
    private selected: Profile[] = [];
    private highlighted = -1;
    private shown: Profile[] = [];
    private wrapper?: HTMLDivElement;
    private input?: HTMLInputElement;
    private list?: HTMLUListElement;
    private status?: HTMLDivElement;

    internalParse(source: Record<string, unknown>, context: unknown): void {
      super.internalParse(source, context);
      const query = source['choices.data'] as { type?: unknown; dataset?: unknown } | undefined;
      this.scope = query?.type === 'Data.Query' && typeof query.dataset === 'string' ? DATASETS[query.dataset] : undefined;
    }

    isDynamicTypeahead(): boolean {
      return this.scope ? false : super.isDynamicTypeahead();
    }

    /** The card's static choices, then the people the dataset covers (one entry per id). */
    private profiles(): Profile[] {
      const people = directory(this.scope!, this.getRootElement());
      const byValue = new Map<string, Profile>();
      for (const choice of this.choices as { title?: string; value?: string }[]) {
        if (!choice.value || !choice.title) continue;
        const person = people.find((p) => p.aadObjectId === choice.value);
        byValue.set(choice.value, { value: choice.value, name: choice.title, email: person?.email });
      }
      for (const p of people) if (!byValue.has(p.aadObjectId)) byValue.set(p.aadObjectId, { value: p.aadObjectId, name: p.name, email: p.email });
      return [...byValue.values()];
    }

    internalRender(): HTMLElement | undefined {
      if (!this.scope) return super.internalRender();
      const listId = uniqueId('list');
      const wrapper = document.createElement('div');
      wrapper.className = 'people-picker';
      const chips = document.createElement('div');
      chips.className = 'pp-chips';
      const input = document.createElement('input');
      input.type = 'text';
      input.className = 'ac-input ac-textInput pp-input';
      input.autocomplete = 'off';
      input.setAttribute('role', 'combobox');
      input.setAttribute('aria-autocomplete', 'list');
      input.setAttribute('aria-expanded', 'false');
      input.setAttribute('aria-controls', listId);
      input.placeholder = this.placeholder ?? (this.isMultiSelect ? 'Add people' : 'Search for a person');
      const list = document.createElement('ul');
      list.className = 'pp-options';
      list.id = listId;
      list.setAttribute('role', 'listbox');
      list.setAttribute('aria-label', 'People');
      list.hidden = true;
      const status = document.createElement('div');
      status.className = 'pp-status';
      status.setAttribute('role', 'status');
      status.setAttribute('aria-live', 'polite');
      wrapper.append(chips, input, list, status);
      this.wrapper = wrapper;
      this.input = input;
      this.list = list;
      this.status = status;
      input.addEventListener('input', () => {
        if (!this.isMultiSelect && this.selected.length > 0) this.setSelected([]);
        this.search();
      });
      input.addEventListener('keydown', (e) => this.onKey(e));
      input.addEventListener('blur', () => setTimeout(() => !wrapper.contains(document.activeElement) && this.closeList(), 0));
      // Pre-selection: `value` holds Entra ids (comma-separated when several may be picked).
      const all = this.profiles();
      const ids = (this.defaultValue ?? '').split(',').map((v: string) => v.trim()).filter(Boolean);
      this.setSelected(ids.map((id: string) => all.find((p) => p.value === id) ?? { value: id, name: id }), false);
      return wrapper;
    }

    private search(): void {
      const query = this.input!.value;
      const taken = new Set(this.selected.map((p) => p.value));
      const found = this.profiles().filter((p) => !taken.has(p.value) && matches(p, query));
      this.shown = found.slice(0, MAX_SHOWN);
      this.highlighted = this.shown.length > 0 ? 0 : -1;
      this.status!.textContent = query.trim() && found.length === 0 ? `No one in the directory matches "${query.trim()}".` : '';
      this.drawList();
    }

    private drawList(): void {
      const list = this.list!;
      const input = this.input!;
      list.replaceChildren(
        ...this.shown.map((p, i) => {
          const li = document.createElement('li');
          li.id = `${list.id}-${i}`;
          li.setAttribute('role', 'option');
          li.setAttribute('aria-selected', String(i === this.highlighted));
          const name = document.createElement('span');
          name.className = 'pp-name';
          name.textContent = p.name;
          li.append(name);
          if (p.email) {
            const email = document.createElement('span');
            email.className = 'pp-email';
            email.textContent = p.email;
            li.append(email);
          }
          li.addEventListener('mousedown', (e) => {
            e.preventDefault();
            this.pick(p);
          });
          return li;
        }),
      );
      list.hidden = this.shown.length === 0;
      input.setAttribute('aria-expanded', String(!list.hidden));
      if (this.highlighted >= 0) input.setAttribute('aria-activedescendant', `${list.id}-${this.highlighted}`);
      else input.removeAttribute('aria-activedescendant');
    }

    private closeList(): void {
      this.shown = [];
      this.highlighted = -1;
      this.drawList();
    }

    private onKey(e: KeyboardEvent): void {
      const open = this.shown.length > 0;
      if (open && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        this.highlighted = (this.highlighted + (e.key === 'ArrowDown' ? 1 : this.shown.length - 1)) % this.shown.length;
        this.drawList();
      } else if (open && e.key === 'Enter') {
        e.preventDefault();
        this.pick(this.shown[this.highlighted]!);
      } else if (open && e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation(); // closes the list, not the dialog the card may be in
        this.closeList();
      } else if (e.key === 'Backspace' && this.isMultiSelect && !this.input!.value && this.selected.length > 0) {
        this.setSelected(this.selected.slice(0, -1));
      }
    }

    private pick(profile: Profile): void {
      this.setSelected(this.isMultiSelect ? [...this.selected, profile] : [profile]);
      this.closeList();
      this.input!.focus();
    }

    private setSelected(profiles: Profile[], changed = true): void {
      this.selected = this.isMultiSelect ? profiles : profiles.slice(0, 1);
      const input = this.input!;
      const chips = this.wrapper!.querySelector('.pp-chips')!;
      if (this.isMultiSelect) {
        input.value = '';
        chips.replaceChildren(
          ...this.selected.map((p) => {
            const chip = document.createElement('span');
            chip.className = 'pp-chip';
            chip.textContent = p.name;
            const remove = document.createElement('button');
            remove.type = 'button';
            remove.textContent = '×';
            remove.setAttribute('aria-label', `Remove ${p.name}`);
            remove.addEventListener('click', () => this.setSelected(this.selected.filter((s) => s.value !== p.value)));
            chip.append(remove);
            return chip;
          }),
        );
      } else if (this.selected[0]) {
        input.value = this.selected[0].name;
      }
      if (changed) this.valueChanged();
    }

    updateInputControlAriaLabelledBy(): void {
      super.updateInputControlAriaLabelledBy();
      const labelledBy = this.scope ? this.renderedInputControlElement?.getAttribute('aria-labelledby') : undefined;
      if (labelledBy) this.input?.setAttribute('aria-labelledby', labelledBy);
    }

    focus(): void {
      if (this.scope) this.input?.focus();
      else super.focus();
    }

    isSet(): boolean {
      return this.scope ? this.selected.length > 0 : super.isSet();
    }

    isValid(): boolean {
      return this.scope ? true : super.isValid();
    }

    /** What Teams submits: the Entra object id, or the ids joined by commas. */
    get value(): string | undefined {
      if (!this.scope) return super.value;
      return this.selected.length > 0 ? this.selected.map((p) => p.value).join(',') : undefined;
    }
  }

  const registry = new AdaptiveCards.CardObjectRegistry();
  AdaptiveCards.GlobalRegistry.populateWithDefaultElements(registry);
  registry.register('Input.ChoiceSet', PeoplePicker);
  return registry;
}
