/**
 * What the incident tab reads: one incident (only for viewers of its tenant), its SOP checklist
 * with who ticked what, and its timeline in pages, live, or whole for export. Every query is
 * scoped to the incident asked for, so one incident's tab never shows another's events.
 */
import type { TenantProfiles } from '../incident/tenantProfile.js';
import type { Incident, Person } from '../incident/incident.js';
import type { EventCursor, EventPageQuery, TimelineReader } from '../ports/timelineStore.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import type { TimelineEvent } from '../incident/timeline.js';
import type { IncidentType } from '../incident/incidentTypes.js';
import type { Access } from '../access/access.js';
import type { ChatEntryStore } from '../ports/recordStore.js';
import { keepsConversation, type ChatEntry, type ChatEntryCursor } from './chatEntries.js';

export interface Viewer {
  readonly tenantId: string;
  /** The viewer's Entra object id and name: a private incident opens only for its members and incident admins. */
  readonly userId?: string;
  readonly name?: string;
}

export interface ChecklistView {
  readonly items: readonly { id: string; phase: string; text: string; done?: { by: Person; at: Date } }[];
  readonly done: number;
  readonly total: number;
}

export interface TimelinePage {
  readonly events: readonly TimelineEvent[];
  /** Where the next page starts; absent on the last page. */
  readonly next?: EventCursor;
  readonly total: number;
}

/** Replicas' clocks differ a little: live refresh looks back this far and the tab drops repeats. */
export const LIVE_OVERLAP_MS = 5_000;

export class IncidentTab {
  constructor(private readonly deps: { readonly store: IncidentStore & TimelineReader; readonly profiles: TenantProfiles; readonly access?: Pick<Access, 'canSee'>; readonly chat?: ChatEntryStore }) {}

  /**
   * Where live refresh starts: now, by the wall clock the store stamps `recordedAt` with (not the
   * injected domain clock, which tests may run in virtual time).
   */
  liveStart(): Date {
    return new Date();
  }

  /** The incident, if it exists and the viewer may see it; otherwise undefined (never a hint that it exists). */
  async open(incidentId: string, viewer: Viewer): Promise<Incident | undefined> {
    const incident = await this.deps.store.findById(incidentId);
    if (!incident) return undefined;
    if (incident.tenantId !== viewer.tenantId) return undefined;
    if (!incident.private) return incident;
    // Every route of the tab (the incident, its timeline, exports, the post-mortem) opens it here: a private one answers 404 to anyone who may not see it.
    if (!viewer.userId || !this.deps.access) return undefined;
    const person = { id: `aad:${viewer.userId}`, aadObjectId: viewer.userId, name: viewer.name ?? '' };
    return (await this.deps.access.canSee(incident, person)) ? incident : undefined;
  }

  /** The incident's severity in its tenant's words. */
  severity(incident: Incident) {
    return this.deps.profiles.severityOf(incident);
  }

  /** The incident's type in its tenant (the default type for incidents from before types). */
  type(incident: Incident): IncidentType {
    return this.deps.profiles.typeOf(incident);
  }

  /** The types the incident may be (its tenant's), for the tab's type picker. */
  typeChoices(incident: Incident): { id: string; label: string }[] {
    return this.deps.profiles.for(incident.tenantId).types.list.map((t) => ({ id: t.id, label: t.label }));
  }

  checklist(incident: Incident): ChecklistView {
    const ticks = incident.checklist ?? {};
    const items: ChecklistView['items'] = this.deps.profiles.checklistOf(incident).map((item) => {
      const tick = ticks[item.id];
      return tick ? { ...item, done: { by: tick.by, at: new Date(tick.at) } } : { ...item };
    });
    return { items, done: items.filter((i) => i.done).length, total: items.length };
  }

  async timelinePage(incident: Incident, query: EventPageQuery): Promise<TimelinePage> {
    // One more than asked tells whether a next page exists without a second query.
    const [found, total] = await Promise.all([
      this.deps.store.pageEvents(incident.id, { ...query, limit: query.limit + 1 }),
      this.deps.store.countEvents(incident.id, query),
    ]);
    const events = found.slice(0, query.limit);
    const last = events.at(-1);
    return { events, total, next: found.length > query.limit && last ? { at: last.at, id: last.id } : undefined };
  }

  /** What was recorded since the tab's last look (with a small overlap), and the cursor for the next look. */
  async live(incident: Incident, since: Date, limit = 500): Promise<{ events: readonly TimelineEvent[]; cursor: Date }> {
    const { events, latest } = await this.deps.store.eventsRecordedSince(incident.id, new Date(since.getTime() - LIVE_OVERLAP_MS), limit);
    return { events, cursor: latest && latest > since ? latest : since };
  }

  /** The whole timeline, oldest first, as the store's cursor reads it (exports write it as it comes). */
  exportEvents(incident: Incident): AsyncIterable<TimelineEvent> {
    return this.deps.store.streamEvents(incident.id);
  }

  /** Whether this incident's channel conversation is kept (its tenant's and type's setting). */
  keepsConversation(incident: Incident): boolean {
    return keepsConversation(this.deps.profiles, incident);
  }

  /** A page of the channel conversation, by the time each message was written. */
  async chatPage(incident: Incident, query: { order: 'asc' | 'desc'; after?: ChatEntryCursor; limit: number }): Promise<{ entries: readonly ChatEntry[]; next?: ChatEntryCursor; total: number }> {
    if (!this.deps.chat) return { entries: [], total: 0 };
    const [found, total] = await Promise.all([this.deps.chat.pageChatEntries(incident.id, { ...query, limit: query.limit + 1 }), this.deps.chat.countChatEntries(incident.id)]);
    const entries = found.slice(0, query.limit);
    const last = entries.at(-1);
    return { entries, total, next: found.length > query.limit && last ? { at: last.at, id: last.id } : undefined };
  }

  /** The whole conversation, oldest first (exports that include it). */
  exportChat(incident: Incident): AsyncIterable<ChatEntry> | undefined {
    return this.deps.chat?.streamChatEntries(incident.id);
  }
}
