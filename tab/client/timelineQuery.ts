/** How the timeline asks for a page: shared by the boot code (which prefetches the first page) and the view. */
import type { EventKind } from './types.js';

/** Provisioning plumbing: useful to admins, noise to responders reading the story. */
export const PLUMBING: readonly EventKind[] = ['channel_created', 'meeting_created', 'tab_added', 'card_posted', 'broadcast_posted', 'reporter_notified'];
export const PAGE = 200;
/** The opening page: a tall screen's worth of rows (the rest come as one scrolls), so the first rows cost a quarter to send and draw. */
export const FIRST_PAGE = 50;

export type Filter = 'all' | 'story' | EventKind;
export type Order = 'asc' | 'desc';

/** The page's query string; "story" excludes the plumbing rather than listing every other kind. */
export function eventsQuery(order: Order, filter: Filter, after?: string, limit = PAGE): string {
  const kinds = filter === 'all' ? '' : filter === 'story' ? `&exclude=${PLUMBING.join(',')}` : `&kinds=${filter}`;
  return `/events?order=${order}&limit=${limit}${kinds}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
}

/** Whether an event belongs in a view with this filter (for events the live poll brings in). */
export function shows(filter: Filter, kind: EventKind): boolean {
  return filter === 'all' ? true : filter === 'story' ? !PLUMBING.includes(kind) : filter === kind;
}

/** The view the tab opens with, so its first page can be fetched alongside the overview. */
export const FIRST_VIEW = { order: 'desc' as Order, filter: 'story' as Filter };
