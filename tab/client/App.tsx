/**
 * The incident tab: a header with what matters at a glance, then four views (timeline,
 * checklist, post-mortem, the bridge's transcript). One poll keeps everything live: new events for the timeline, and the
 * incident and checklist as they are now.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './api.js';
import { Actions } from './Actions.js';
import { Checklist } from './Checklist.js';
import type { Host } from './host.js';
import { Postmortem } from './Postmortem.js';
import { startView } from './startView.js';
import { Timeline } from './Timeline.js';
import { Search, SearchBox } from './Search.js';
import { Transcript } from './Transcript.js';
import type { EventJson, EventsPage, LiveAnswer, Overview, Snapshot } from './types.js';

const POLL_MS = 3_000;
const VIEWS = [
  { id: 'timeline', label: 'Timeline' },
  { id: 'checklist', label: 'Checklist' },
  { id: 'postmortem', label: 'Post-mortem' },
  { id: 'transcript', label: 'Transcript' },
] as const;
/** The views in the bar, and the search's results (shown while a search is open). */
type View = (typeof VIEWS)[number]['id'] | 'search';
const VIEW_IDS: readonly string[] = VIEWS.map((v) => v.id);

export function App({ api, host, overview, firstPage }: { api: Api; host: Host; overview: Overview; firstPage?: EventsPage | Promise<EventsPage> }) {
  const [snapshot, setSnapshot] = useState<Snapshot>(overview);
  const [arrived, setArrived] = useState<EventJson[]>([]);
  const [view, setView] = useState<View>(() => (startView(VIEW_IDS, host.subPageId) as View | undefined) ?? 'timeline');
  const [liveAt, setLiveAt] = useState<Date | undefined>();
  const [offline, setOffline] = useState(false);
  const cursor = useRef(overview.liveCursor);
  const [phrase, setPhrase] = useState('');
  /** A search hit's time, for the transcript view to open at. */
  const [moment, setMoment] = useState<string | undefined>();

  const pollNow = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      clearTimeout(timer);
      try {
        const live = await api.get<LiveAnswer>(`/live?since=${encodeURIComponent(cursor.current)}`);
        cursor.current = live.cursor;
        setSnapshot({ incident: live.incident, checklist: live.checklist });
        if (live.events.length > 0) setArrived(live.events);
        setLiveAt(new Date());
        setOffline(false);
      } catch {
        setOffline(true);
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    // After our own change, look again shortly: its event reaches the timeline right after the answer.
    pollNow.current = () => {
      clearTimeout(timer);
      timer = setTimeout(poll, 250);
    };
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  const changed = (next: Snapshot) => {
    setSnapshot(next);
    pollNow.current();
  };

  const { incident, checklist } = snapshot;
  const readOnly = incident.status === 'archived';
  const select = (id: View) => {
    setView(id);
    if (id !== 'search') history.replaceState(null, '', `#${id}`);
  };
  const search = (typed: string) => {
    setPhrase(typed);
    setView(typed ? 'search' : 'timeline');
  };
  const onTabKey = (event: KeyboardEvent) => {
    const at = VIEWS.findIndex((v) => v.id === view);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = VIEWS[(at + step + VIEWS.length) % VIEWS.length]!;
    select(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <div class={`app${host.frame === 'sidePanel' ? ' side-panel' : ''}`}>
      <header>
        <p class="identity" data-testid="identity">
          {`Signed in as ${overview.identity.name}`}
        </p>
        <h1>
          <span class={`badge ${incident.severity}`} title={incident.severityDefinition}>
            {incident.severity} {incident.severityLabel}
          </span>{' '}
          {incident.label}: {incident.title}
        </h1>
        <p class="facts">
          <span class={`status ${incident.status}`} data-testid="status">{incident.status}</span>
          {incident.type && <span data-testid="type">{incident.type.label}</span>}
          {incident.fields.map((f) => (
            <span data-testid="field">
              {f.label}: <strong>{f.value}</strong>
            </span>
          ))}
          {incident.roles.map((r) => (
            <span>
              {r.role}: <strong>{r.name}</strong>
            </span>
          ))}
          {incident.roles.length === 0 && <span class="muted">No roles assigned yet</span>}
          {incident.channel && (
            <a href={incident.channel.url} target="_blank" rel="noopener" onClick={(e) => (e.preventDefault(), host.openLink(incident.channel!.url))}>
              Open the channel
            </a>
          )}
          {incident.meetingUrl && (
            <a href={incident.meetingUrl} target="_blank" rel="noopener" onClick={(e) => (e.preventDefault(), host.openLink(incident.meetingUrl!))}>
              Join the bridge
            </a>
          )}
          <span class="muted live" aria-live="off">
            {offline ? 'Offline, retrying…' : liveAt ? `Live · ${liveAt.toLocaleTimeString()}` : 'Live'}
          </span>
        </p>
        {incident.topic && <p class="topic">{incident.topic}</p>}
        {!readOnly && incident.status !== 'closed' && <Actions api={api} incident={incident} onChange={changed} />}
      </header>
      <div class="bar">
        <nav role="tablist" aria-label="Incident views" onKeyDown={onTabKey}>
          {VIEWS.map((v) => (
            <button type="button" role="tab" id={`tab-${v.id}`} aria-selected={view === v.id} aria-controls={`panel-${v.id}`} tabIndex={view === v.id ? 0 : -1} onClick={() => (setMoment(undefined), select(v.id))}>
              {v.label}
              {v.id === 'checklist' && ` (${checklist.done}/${checklist.total})`}
            </button>
          ))}
        </nav>
        <SearchBox phrase={phrase} onSearch={search} />
      </div>
      <div role="tabpanel" id={`panel-${view}`} {...(view === 'search' ? { 'aria-label': 'Search results' } : { 'aria-labelledby': `tab-${view}` })}>
        {view === 'timeline' && <Timeline api={api} label={incident.label} kinds={overview.eventKinds} arrived={arrived} onChange={changed} readOnly={readOnly} firstPage={firstPage} />}
        {view === 'checklist' && <Checklist api={api} checklist={checklist} severity={incident.severity} onChange={changed} readOnly={readOnly} />}
        {view === 'search' && <Search api={api} host={host} phrase={phrase} onShowAt={incident.transcript ? (hit) => (setMoment(hit.at), select('transcript')) : undefined} />}
        {view === 'transcript' && <Transcript api={api} incident={incident} moment={moment} />}
        {view === 'postmortem' && <Postmortem api={api} label={incident.label} review={incident.review} status={incident.status} readOnly={readOnly} onPublished={() => pollNow.current()} />}
      </div>
    </div>
  );
}
