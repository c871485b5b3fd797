/**
 * The timeline: newest or oldest first, filtered by kind (the key messages people added from
 * Teams among them), a page at a time (the server pages, the page renders what it has and fetches
 * more as you scroll), live while open, exportable, and a box to add a note. The channel
 * conversation is on the record too, hidden by default: "with the channel conversation" shows
 * its messages among the events, by time, and puts them in the Markdown and JSON exports.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, actionKey, type Api } from './api.js';
import { shortTime, utc } from './format.js';
import { eventsQuery, FIRST_VIEW, shows, type Filter, type Order } from './timelineQuery.js';
import type { ChatJson, ChatPage, EventJson, EventKind, EventsPage, Snapshot } from './types.js';

interface Props {
  readonly api: Api;
  readonly label: string;
  readonly kinds: readonly EventKind[];
  /** Events the live poll brought in (the App polls; this view decides what to show). */
  readonly arrived: readonly EventJson[];
  readonly onChange: (snapshot: Snapshot) => void;
  readonly readOnly: boolean;
  /**
   * The first page of the opening view, fetched while the overview loaded (saves a round trip):
   * already in hand (shown by the first render) or still on its way.
   */
  readonly firstPage?: EventsPage | Promise<EventsPage>;
}

type Row = EventJson | ChatJson;
/** How often the shown conversation is asked again (the timeline's own poll does not carry it). */
const CHAT_POLL_MS = 5_000;

function compare(order: Order) {
  return (a: Row, b: Row) => {
    const byTime = a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    return order === 'asc' ? byTime : -byTime;
  };
}

export function Timeline({ api, label, kinds, arrived, onChange, readOnly, firstPage }: Props) {
  const [order, setOrder] = useState<Order>(FIRST_VIEW.order);
  const [filter, setFilter] = useState<Filter>(FIRST_VIEW.filter);
  const inHand = firstPage instanceof Promise ? undefined : firstPage;
  const [events, setEvents] = useState<EventJson[]>(() => [...(inHand?.events ?? [])]);
  const [next, setNext] = useState<string | undefined>(inHand?.next);
  const [total, setTotal] = useState(inHand?.total ?? 0);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const [withChat, setWithChat] = useState(false);
  const [chat, setChat] = useState<{ entries: ChatJson[]; next?: string; total: number; kept: boolean } | undefined>();
  const sentinel = useRef<HTMLDivElement>(null);
  const generation = useRef(0);
  const prefetched = useRef(firstPage instanceof Promise ? firstPage : undefined);
  /** The opening view's rows were in hand at the first render: its first load is already done. */
  const openedWithRows = useRef(inHand !== undefined);

  const load = async (after?: string) => {
    const mine = ++generation.current;
    setLoading(true);
    // The prefetched page answers the very first load only, and only for the opening view.
    const early = !after && order === FIRST_VIEW.order && filter === FIRST_VIEW.filter ? prefetched.current : undefined;
    prefetched.current = undefined;
    try {
      const page = await (early ?? api.get<EventsPage>(eventsQuery(order, filter, after)));
      if (mine !== generation.current) return; // the filter or order changed meanwhile
      setEvents((shown) => (after ? [...shown, ...page.events] : page.events));
      setNext(page.next);
      setTotal(page.total);
      setProblem(undefined);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    if (openedWithRows.current) openedWithRows.current = false;
    else void load();
  }, [order, filter]);

  const loadChat = async (after?: string) => {
    try {
      const page = await api.get<ChatPage>(`/chat?order=${order}&limit=200${after ? `&after=${encodeURIComponent(after)}` : ''}`);
      setChat((shown) => ({ kept: page.kept, total: page.total, next: page.next, entries: after && shown ? [...shown.entries, ...page.entries] : page.entries }));
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  useEffect(() => {
    if (withChat) void loadChat();
    else setChat(undefined);
  }, [withChat, order]);
  // While shown, the conversation stays live: the newest messages (and edits and deletes of
  // recent ones) are fetched again and take their place, once each.
  useEffect(() => {
    if (!withChat) return undefined;
    const timer = setInterval(() => {
      void api
        .get<ChatPage>('/chat?order=desc&limit=50')
        .then((page) =>
          setChat((shown) => {
            if (!shown) return shown;
            const fresh = new Map(page.entries.map((e) => [e.id, e]));
            const kept = shown.entries.map((e) => fresh.get(e.id) ?? e);
            const known = new Set(kept.map((e) => e.id));
            const added = page.entries.filter((e) => !known.has(e.id));
            return { ...shown, kept: page.kept, total: page.total, entries: [...kept, ...added] };
          }),
        )
        .catch(() => undefined);
    }, CHAT_POLL_MS);
    return () => clearInterval(timer);
  }, [withChat]);
  const rows: Row[] = chat ? [...events, ...chat.entries].sort(compare(order)) : events;

  // Live events join the list where they belong, once; in oldest-first order they wait for
  // their page if older pages are still to come. An event already shown that comes again was
  // updated in place (the folded alert entry's count): its new text replaces the old.
  useEffect(() => {
    const fresh = arrived.filter((e) => shows(filter, e.kind as EventKind));
    if (fresh.length === 0) return;
    setEvents((shown) => {
      const latest = new Map(fresh.map((e) => [e.id, e]));
      const updated = shown.map((e) => latest.get(e.id) ?? e);
      const known = new Set(shown.map((e) => e.id));
      const added = fresh.filter((e) => !known.has(e.id));
      if (added.length === 0 || (order === 'asc' && next)) return updated.some((e, n) => e !== shown[n]) ? updated.sort(compare(order)) : shown;
      setTotal((t) => t + added.length);
      return [...updated, ...added].sort(compare(order));
    });
  }, [arrived]);

  // Scrolling near the end fetches the next page: the DOM only holds what was looked at.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !next) return undefined;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loading) void load(next);
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [next, loading]);

  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading" class="visually-hidden">Timeline</h2>
      {!readOnly && <NoteForm api={api} onAdded={onChange} />}
      <div class="toolbar" role="toolbar" aria-label="Timeline options">
        <label>
          Show{' '}
          <select value={filter} onChange={(e) => setFilter((e.currentTarget as HTMLSelectElement).value as Filter)} data-testid="kind-filter">
            <option value="story">The story (no provisioning steps)</option>
            <option value="key_message">Key messages</option>
            <option value="all">Every event</option>
            {kinds.map((k) => (
              <option value={k}>Only: {k.replace(/_/g, ' ')}</option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={withChat} onChange={(e) => setWithChat((e.currentTarget as HTMLInputElement).checked)} data-testid="with-chat" /> With the channel conversation
        </label>
        <label>
          Order{' '}
          <select value={order} onChange={(e) => setOrder((e.currentTarget as HTMLSelectElement).value as Order)}>
            <option value="desc">Newest first</option>
            <option value="asc">Oldest first</option>
          </select>
        </label>
        <span class="spacer" />
        <span class="muted">Export</span>
        {(['md', 'csv', 'json'] as const).map((format) => (
          <button type="button" class="secondary" onClick={() => void api.download(`/export/${format}${withChat && format !== 'csv' ? '?chat=true' : ''}`, `${label}-timeline.${format}`).catch((e: Error) => setProblem(e.message))}>
            {{ md: 'Markdown', csv: 'CSV', json: 'JSON' }[format]}
          </button>
        ))}
      </div>
      {problem && <p role="alert" class="error">{problem}</p>}
      <p class="muted" aria-live="polite" data-testid="timeline-count">
        Showing {events.length} of {total} {total === 1 ? 'event' : 'events'}
        {chat && (chat.kept || chat.total > 0 ? ` and ${chat.entries.length} of ${chat.total} messages of the channel conversation` : ' (this incident\'s channel conversation is not kept on the record)')}
      </p>
      <ol class="timeline" data-testid="timeline">
        {rows.map((e) => (
          <li key={e.id} class={`event kind-${e.kind}${'deleted' in e && e.deleted ? ' deleted' : ''}`} data-kind={e.kind}>
            <time dateTime={e.at} title={utc(e.at)}>{shortTime(e.at)}</time>
            <span class="actor">{e.actor}</span>
            <span class="what">
              {'deleted' in e && e.deleted ? '(deleted)' : e.text}
              {'edited' in e && e.edited && <span class="muted"> (edited)</span>}
              {e.link && (
                <>
                  {' '}
                  <a href={e.link} target="_blank" rel="noopener noreferrer">Open the message</a>
                </>
              )}
            </span>
          </li>
        ))}
      </ol>
      <div ref={sentinel} />
      {chat?.next && (
        <button type="button" class="secondary" onClick={() => void loadChat(chat.next)}>
          Load more of the conversation
        </button>
      )}
      {next && (
        <button type="button" class="secondary" disabled={loading} onClick={() => void load(next)}>
          {loading ? 'Loading…' : 'Load more events'}
        </button>
      )}
    </section>
  );
}

function NoteForm({ api, onAdded }: { api: Api; onAdded: (snapshot: Snapshot) => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const key = useRef(actionKey());
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!text.trim()) return setProblem('Write something first.');
    setBusy(true);
    try {
      onAdded(await api.send<Snapshot>('POST', '/notes', { text, key: key.current }));
      setText('');
      setProblem(undefined);
      key.current = actionKey();
    } catch (error) {
      // The text stays in the box; the same key makes a retry safe if the first one did land.
      setProblem(error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="note" onSubmit={submit}>
      <label for="note-text">Add a note to the timeline</label>
      <div class="row">
        <textarea id="note-text" rows={2} maxLength={2000} value={text} onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} placeholder="What did you see, try or decide?" />
        <button type="submit" disabled={busy}>{busy ? 'Adding…' : 'Add note'}</button>
      </div>
      {problem && <p role="alert" class="error">{problem}</p>}
    </form>
  );
}
