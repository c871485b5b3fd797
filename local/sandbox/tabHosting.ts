/**
 * The sandbox page's side of hosting the tab (browser side): one TeamsHost for the tab iframe
 * (`#tab`), told what is shown where; the app's personal tabs for the chat with the bot; a reload
 * when someone else is signed in; and the tab as the meeting's side panel shows it.
 */
import type { Conversation, Person, Tab } from './clientTypes.js';
import { hostInfo, sandboxTeamsHost } from './sandboxHost.js';
import type { TabPlace } from './teamsHost.js';

export interface TabHostingDeps {
  readonly me: () => Person | undefined;
  /** The conversation shown and the view in it ('posts', or a tab's id). */
  readonly shown: () => { readonly conversation?: Conversation; readonly view: string };
  /** The personal tabs arrived: draw again. */
  readonly changed: () => void;
}

export class TabHosting {
  /** The app's personal tabs (My incidents, metrics), beside each person's chat with the bot, as Teams shows a personal app. */
  personalTabs: Tab[] = [];
  private readonly info = hostInfo();
  private readonly host;

  constructor(private readonly deps: TabHostingDeps) {
    this.host = sandboxTeamsHost({ frame: () => this.frame(), person: deps.me, theme: () => (document.body.classList.contains('dark') ? 'dark' : 'default'), place: () => this.place() }, this.info);
  }

  start(): void {
    this.host.listen();
    void this.info.then((info) => {
      this.personalTabs = info.personalTabs;
      this.deps.changed();
    });
  }

  /** Someone else is signed in now: an open tab starts again as them, as Teams reloads it. */
  personChanged(): void {
    if (this.frame().getAttribute('src')) this.frame().contentWindow?.location.reload();
  }

  themeChanged(): void {
    this.host.themeChanged();
  }

  /** The tab as the meeting's side panel shows it, beside the call: hosted on its own, narrow. */
  sidePanelLink(tab: Tab, current: Conversation): HTMLElement {
    const query = new URLSearchParams({ frame: 'sidePanel', url: tab.url, entity: tab.entityId ?? tab.id, channel: current.id, channelName: current.name, as: this.deps.me()?.id ?? '' });
    const link = document.createElement('a');
    link.href = `/sandbox/tab?${query}`;
    link.textContent = 'Meeting side panel';
    link.addEventListener('click', (e) => {
      e.preventDefault();
      window.open(link.href, 'incident-side-panel', 'popup,width=340,height=820');
    });
    return link;
  }

  private frame(): HTMLIFrameElement {
    return document.getElementById('tab') as HTMLIFrameElement;
  }

  private place(): TabPlace | undefined {
    const { conversation, view } = this.deps.shown();
    const tab = conversation?.tabs.find((t) => t.id === view);
    if (!conversation || !tab) return undefined;
    return { entityId: tab.entityId ?? tab.id, frameContext: 'content', channel: conversation.kind === 'channel' ? { id: conversation.id, name: conversation.name } : undefined };
  }
}
