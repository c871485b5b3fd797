/**
 * The sandbox page in the browser: draws the local Teams (channels, threads, cards, a chat with
 * the bot, the incident tab) from /sandbox/api/state, and sends what a person does to
 * /sandbox/api/send, which hands it to the bot at /api/messages as Teams would.
 * Bundled by esbuild when the page is first served.
 */

declare const markdownit: any;

import type { Activity, Conversation, Meeting, Person, State } from './clientTypes.js';
import { automaticRefresh } from '../world/autoRefresh.js';
import { MentionPicker } from './mentionPicker.js';
import { markFocus, returnFocus } from './focusReturn.js';
import { CardView } from './cardView.js';
import { TaskDialog } from './taskDialog.js';
import { DialogFlow } from './dialogFlow.js';
import { messageMenuButton } from './messageMenu.js';
import { ownMessageControls } from './ownMessage.js';
import { TabHosting } from './tabHosting.js';

const CARD = 'application/vnd.microsoft.card.adaptive';
const POLL_MS = 600;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const md = markdownit({ html: false, linkify: false, breaks: true });
const channelOf = (conversationId: string) => conversationId.split(';')[0]!;
/** The person's one 1:1 conversation with the bot, as local Teams keeps it (the bot's messages to them land there too). */
const chatIdFor = (person: Person) => person.chatId;

/** What this page shows and remembers; one object, no module-level mutable variables. */
class Sandbox {
  private state?: State;
  private conversation = '19:general@thread.tacv2';
  private view = 'posts';
  private as = localStorage.getItem('sandbox.as') ?? '';
  private readonly seen = new Map<string, number>();
  /** Cards returned to this person by their own click, shown until the message itself changes. */
  private readonly overrides = new Map<string, { version: number; card: object }>();
  private readonly rendered = new Map<string, { key: string; element: HTMLElement }>();
  /** Automatic refreshes asked for (card version and viewer), each once. */
  private readonly refreshed = new Set<string>();
  private readonly picker = new MentionPicker(() => this.state?.people ?? []);
  private readonly cards = new CardView(() => this.state?.people ?? []);
  private readonly dialogs = new DialogFlow(new TaskDialog(() => this.state?.bot.name ?? '', () => this.dialogs.dismissed()), this.cards, (body) => this.send(body), (text, error) => this.toast(text, error));
  /** The sandbox is the tab's Teams host: context, sign-in as the person acted as, theme changes. */
  private readonly tabs = new TabHosting({
    me: () => this.me(),
    shown: () => ({ conversation: this.state && this.conversations().find((c) => c.id === this.conversation), view: this.view }),
    changed: () => this.render(),
  });

  start(): void {
    this.tabs.start();
    this.applyTheme(localStorage.getItem('sandbox.theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
    $('theme').addEventListener('click', () => this.applyTheme(document.body.classList.contains('dark') ? 'light' : 'dark'));
    $<HTMLSelectElement>('as').addEventListener('change', (e) => {
      this.as = (e.target as HTMLSelectElement).value;
      localStorage.setItem('sandbox.as', this.as);
      this.tabs.personChanged();
      this.render();
    });
    $('send').addEventListener('submit', (e) => {
      e.preventDefault();
      void this.sendMessage();
    });
    const box = $<HTMLTextAreaElement>('message');
    box.addEventListener('input', () => this.picker.update());
    box.addEventListener('keydown', (e) => {
      if (this.picker.onKey(e)) return;
      if (e.key === 'Enter' && !e.shiftKey) {
        e.preventDefault();
        void this.sendMessage();
      }
    });
    void this.poll();
  }

  private applyTheme(theme: string): void {
    document.body.classList.toggle('dark', theme === 'dark');
    localStorage.setItem('sandbox.theme', theme);
    const button = $('theme');
    button.setAttribute('aria-pressed', String(theme === 'dark'));
    button.textContent = theme === 'dark' ? 'Light theme' : 'Dark theme';
    this.rendered.clear(); // cards are drawn with the theme's host config
    this.tabs.themeChanged();
    if (this.state) this.render();
  }

  private async poll(): Promise<void> {
    for (;;) {
      try {
        const response = await fetch(`/sandbox/api/state?since=${encodeURIComponent(this.state?.fingerprint ?? '')}`);
        const body = (await response.json()) as State & { unchanged?: boolean };
        if (!body.unchanged) {
          this.state = body;
          this.render();
        }
        this.connection(undefined);
      } catch (error) {
        this.connection(`Lost touch with the app (${(error as Error).message}); retrying…`);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  private me(): Person | undefined {
    const people = this.state?.people ?? [];
    return people.find((p) => p.id === this.as) ?? people[0];
  }

  private conversations(): Conversation[] {
    const state = this.state!;
    const channels: Conversation[] = state.channels.map((c) => ({ id: c.id, name: c.name, description: c.description, kind: 'channel', tabs: c.tabs }));
    const me = this.me();
    const chat: Conversation[] = me ? [{ id: chatIdFor(me), name: state.bot.name, description: `Personal chat between ${me.name} and the bot`, kind: 'chat', tabs: this.tabs.personalTabs }] : [];
    // A private incident's group chat: only its members see it, as in Teams.
    const groups: Conversation[] = me
      ? state.groupChats.filter((g) => g.memberIds.includes(me.aadObjectId)).map((g) => ({ id: g.id, name: `🔒 ${g.topic}`, description: `Group chat: ${g.memberIds.length} member${g.memberIds.length === 1 ? '' : 's'} (a private incident)`, kind: 'chat', tabs: g.tabs }))
      : [];
    return [...channels, ...chat, ...groups];
  }

  private render(): void {
    const state = this.state;
    if (!state) return;
    const select = $<HTMLSelectElement>('as');
    if (select.options.length !== state.people.length) {
      select.replaceChildren(...state.people.map((p) => new Option(p.name, p.id)));
    }
    this.as = this.me()?.id ?? '';
    select.value = this.as;
    const conversations = this.conversations();
    if (!conversations.some((c) => c.id === this.conversation)) this.conversation = conversations[0]!.id;
    this.renderNav(conversations);
    const current = conversations.find((c) => c.id === this.conversation)!;
    this.renderHeader(current);
    const tab = current.tabs.find((t) => t.id === this.view);
    const frame = $<HTMLIFrameElement>('tab');
    $('posts').hidden = Boolean(tab);
    $('composer').hidden = Boolean(tab);
    frame.hidden = !tab;
    if (tab && frame.getAttribute('src') !== tab.url) frame.setAttribute('src', tab.url);
    if (!tab) this.renderPosts(current);
    $('hint').textContent =
      current.kind === 'channel'
        ? `Posting in #${current.name} as ${this.me()?.name ?? '…'}; with "to the bot" ticked a message @mentions ${state.bot.name} for you (a command); unticked it is for the people here, and kept on the incident's record. Type @ to mention someone.`
        : `Chatting with ${state.bot.name} as ${this.me()?.name ?? '…'}. Try "help" or "list".`;
  }

  private renderNav(conversations: Conversation[]): void {
    const button = (c: Conversation) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.setAttribute('role', 'listitem');
      b.textContent = c.kind === 'channel' ? `# ${c.name}` : c.name;
      b.dataset.conversation = c.id;
      b.setAttribute('aria-current', String(c.id === this.conversation));
      const count = this.activitiesIn(c.id).length;
      if (c.id === this.conversation) this.seen.set(c.id, count);
      else if (count > (this.seen.get(c.id) ?? 0)) b.classList.add('unread');
      b.addEventListener('click', () => {
        this.conversation = c.id;
        this.view = 'posts';
        this.render();
        $('message').focus();
      });
      return b;
    };
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.conversation : undefined;
    $('channels').replaceChildren(...conversations.filter((c) => c.kind === 'channel').map(button));
    $('chats').replaceChildren(...conversations.filter((c) => c.kind === 'chat').map(button));
    if (focused) document.querySelector<HTMLElement>(`nav [data-conversation="${CSS.escape(focused)}"]`)?.focus();
  }

  private renderHeader(current: Conversation): void {
    $('title').textContent = current.kind === 'channel' ? `# ${current.name}` : current.name;
    $('description').textContent = current.description;
    const views = $('views');
    const tabButton = (id: string, label: string) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.setAttribute('role', 'tab');
      b.setAttribute('aria-selected', String(this.view === id));
      b.textContent = label;
      b.addEventListener('click', () => {
        this.view = id;
        this.render();
      });
      return b;
    };
    const items: HTMLElement[] = [tabButton('posts', 'Posts'), ...current.tabs.map((t) => tabButton(t.id, `${t.name} tab`))];
    const meeting = this.meetingFor(current);
    if (meeting) {
      const link = document.createElement('a');
      link.href = `${meeting.joinUrl}?as=${encodeURIComponent(this.me()?.id ?? '')}`;
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = 'Join the meeting';
      const tab = current.tabs[0];
      if (tab) items.push(this.tabs.sidePanelLink(tab, current));
      const bridge = document.createElement('span');
      bridge.className = 'bridge';
      bridge.textContent = meeting.joined.length > 0 ? `On the bridge: ${meeting.joined.join(', ')}` : 'Nobody on the bridge yet';
      items.push(link, bridge);
    }
    views.replaceChildren(...items);
  }

  /** The incident's meeting: the one whose join link the channel's incident card carries. */
  private meetingFor(current: Conversation): Meeting | undefined {
    if (current.kind !== 'channel') return undefined;
    const cards = JSON.stringify(this.activitiesIn(current.id).map((a) => a.cards));
    return this.state!.meetings.find((m) => cards.includes(m.joinUrl));
  }

  private activitiesIn(conversationId: string): Activity[] {
    return (this.state?.activities ?? []).filter((a) => channelOf(a.conversationId) === conversationId);
  }

  private renderPosts(current: Conversation): void {
    const posts = $('posts');
    const nearBottom = posts.scrollHeight - posts.scrollTop - posts.clientHeight < 80;
    const activities = this.activitiesIn(current.id);
    const roots = current.kind === 'channel' ? activities.filter((a) => !a.replyToId || !activities.some((r) => r.id === a.replyToId)) : activities;
    const threads = roots.map((root) => {
      const replies = current.kind === 'channel' ? activities.filter((a) => a.replyToId === root.id && a.id !== root.id) : [];
      const thread = document.createElement('article');
      thread.className = 'thread';
      thread.append(this.message(root, false), ...replies.map((r) => this.message(r, true)));
      return thread;
    });
    // Re-inserting the posts takes focus away from a button in them (a card, or a dialog's opener): give it back.
    const focus = posts.contains(document.activeElement) ? markFocus(document.activeElement) : undefined;
    if (threads.length === 0) {
      const empty = document.createElement('p');
      empty.className = 'empty';
      empty.textContent = current.kind === 'channel' ? 'No posts yet.' : 'Say "help" to the bot.';
      posts.replaceChildren(empty);
    } else {
      posts.replaceChildren(...threads);
    }
    returnFocus(focus);
    if (nearBottom) posts.scrollTop = posts.scrollHeight;
  }

  /**
   * One message, re-created only when it changed, so a half-filled form on a card or an opened
   * "Show card" survives the next poll.
   */
  private message(activity: Activity, reply: boolean): HTMLElement {
    const override = this.overrides.get(activity.id);
    if (override && override.version !== activity.version) this.overrides.delete(activity.id);
    const key = `${activity.version}:${this.overrides.has(activity.id) ? 'o' : ''}:${reply}`;
    const cached = this.rendered.get(activity.id);
    if (cached?.key === key) return cached.element;
    const element = document.createElement('div');
    element.className = reply ? 'msg reply' : 'msg';
    element.id = `m-${activity.id}`;
    const meta = document.createElement('div');
    meta.className = 'meta';
    const who = document.createElement('b');
    who.textContent = activity.from?.name ?? this.state!.bot.name;
    const when = new Date(activity.createdAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    meta.append(who, ` · ${when}${activity.updatedAt ? ' · edited' : ''}`);
    const actions = this.state!.messageActions ?? [];
    if (actions.length > 0 && !activity.deletedAt) meta.append(messageMenuButton(this.state!.bot.name, actions, (picked) => void this.dialogs.fromMessage(activity, picked)));
    const change = async (body: Record<string, unknown>) => Boolean(await this.send({ ...body, conversationId: activity.conversationId, activityId: activity.id }));
    if (activity.from?.id === this.me()?.id && activity.text && !activity.deletedAt) meta.append(...ownMessageControls(activity.text, () => element.querySelector<HTMLElement>('.text') ?? undefined, { edit: (text) => change({ kind: 'edit', text }), remove: () => change({ kind: 'delete' }) }));
    element.append(meta);
    if (activity.deletedAt) element.append(Object.assign(document.createElement('div'), { className: 'text deleted', textContent: 'This message has been deleted.' }));
    if (activity.text) {
      const text = document.createElement('div');
      text.className = 'text';
      text.innerHTML = md.render(activity.text.replace(/<at>([^<]*)<\/at>/g, '**@$1**'));
      element.append(text);
    }
    const cards = this.overrides.get(activity.id)?.card ? [this.overrides.get(activity.id)!.card] : activity.cards;
    if (!this.overrides.has(activity.id)) this.refreshAutomatically(activity);
    for (const card of cards) element.append(this.card(card, activity));
    this.rendered.set(activity.id, { key, element });
    return element;
  }

  private card(json: object, activity: Activity): HTMLElement {
    return this.cards.render(json, activity.conversationId, (action: any) => void this.onCardAction(action, activity));
  }

  /** Teams refreshes a card by itself only for some viewers (autoRefresh.ts); the rest see it as posted. */
  private refreshAutomatically(activity: Activity): void {
    const me = this.me();
    const members = activity.conversationId.startsWith('19:') ? this.state!.people.length : 2;
    const refresh = me && activity.cards.map((card) => automaticRefresh(card, me.id, members)).find(Boolean);
    if (!refresh || this.refreshed.has(`${activity.id}:${activity.version}:${me.id}`)) return;
    this.refreshed.add(`${activity.id}:${activity.version}:${me.id}`);
    void this.send({ kind: 'action', conversationId: activity.conversationId, activityId: activity.id, verb: refresh.verb, data: refresh.data, trigger: 'automatic' }).then((answer) => {
      const body = answer?.body as { type?: string; value?: object } | undefined;
      if (body?.type === CARD && body.value) this.overrides.set(activity.id, { version: activity.version, card: body.value });
      this.render();
    });
  }

  private async onCardAction(action: any, activity: Activity): Promise<void> {
    const type = action.getJsonTypeName();
    if (type === 'Action.OpenUrl') {
      window.open(action.url, '_blank', 'noopener');
      return;
    }
    if (type !== 'Action.Execute' && type !== 'Action.Submit') return;
    const data = (action.data ?? {}) as Record<string, unknown>;
    if (type === 'Action.Submit' && (data.msteams as { type?: unknown } | undefined)?.type === 'task/fetch') return this.dialogs.fromCard(activity, data);
    const verb = type === 'Action.Execute' ? String(action.verb ?? '') : String(data.verb ?? '');
    const answer = await this.send({ kind: 'action', conversationId: activity.conversationId, activityId: activity.id, verb, data });
    const body = answer?.body as { statusCode?: number; type?: string; value?: any } | undefined;
    if (!body) return;
    if (body.type === CARD) {
      this.overrides.set(activity.id, { version: activity.version, card: body.value });
      this.render();
    } else if (body.type === 'application/vnd.microsoft.activity.message') {
      this.toast(String(body.value));
    } else if ((body.statusCode ?? 200) >= 400) {
      this.toast(String(body.value?.message ?? `The bot answered ${body.statusCode}`), true);
    }
  }

  private async sendMessage(): Promise<void> {
    const box = $<HTMLTextAreaElement>('message');
    let text = box.value.trim();
    if (!text) return;
    const mentions = this.picker.take().filter((m) => text.includes(`@${m.name}`));
    for (const m of mentions) text = text.split(`@${m.name}`).join(`<at>${m.name}</at>`);
    box.value = '';
    const toBot = $<HTMLInputElement>('to-bot').checked;
    const answer = await this.send({ kind: 'message', conversationId: this.conversation, text, mentions, toBot });
    if (!answer) box.value = text.replace(/<at>([^<]*)<\/at>/g, '@$1');
  }

  private async send(body: Record<string, unknown>): Promise<{ status: number; body?: unknown } | undefined> {
    try {
      const response = await fetch('/sandbox/api/send', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ ...body, as: this.me()?.id }) });
      const answer = (await response.json()) as { status?: number; body?: unknown; error?: string };
      if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
      if ((answer.status ?? 200) >= 400) this.toast(`The bot answered HTTP ${answer.status}: ${JSON.stringify(answer.body)}`, true);
      void this.refreshSoon();
      return { status: answer.status ?? 200, body: answer.body };
    } catch (error) {
      this.toast(`Not sent: ${(error as Error).message}`, true);
      return undefined;
    }
  }

  private async refreshSoon(): Promise<void> {
    const response = await fetch('/sandbox/api/state');
    this.state = (await response.json()) as State;
    this.render();
  }

  // @mention completion: type @ and part of a name; arrows choose, Enter or Tab picks, Escape closes.
  /** One line that says the app cannot be reached, and goes away by itself once it answers again (never a pile of toasts). */
  private connection(problem: string | undefined): void {
    const line = $('connection');
    if (problem) {
      line.textContent = problem;
      line.className = 'connection lost';
      line.hidden = false;
    } else if (!line.hidden && line.classList.contains('lost')) {
      line.textContent = 'Back in touch with the app.';
      line.className = 'connection back';
      setTimeout(() => {
        if (line.classList.contains('back')) line.hidden = true;
      }, 3000);
    }
  }

  private toast(text: string, error = false): void {
    // The same message twice is shown once.
    if ([...$('toasts').children].some((t) => t.textContent === text)) return;
    const toast = document.createElement('div');
    toast.className = error ? 'toast error' : 'toast';
    toast.textContent = text;
    $('toasts').append(toast);
    setTimeout(() => toast.remove(), 6000);
  }
}

new Sandbox().start();
