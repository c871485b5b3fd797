/**
 * The bridge's transcript: what was said, by whom and when, beside the timeline. Choosing a
 * timeline event scrolls the transcript to that minute (and choosing a line, the timeline), so the
 * story and the call can be read together. The plain status says whether it exists yet and, if
 * not, what is missing. Search finds lines by words or speaker.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from './api.js';
import { shortTime, utc } from './format.js';
import type { EventsPage, IncidentJson } from './types.js';

interface Line {
  readonly at: string;
  readonly speaker: string | null;
  readonly text: string;
  readonly transcriptId: string;
}
interface TranscriptAnswer {
  readonly status: string;
  readonly lines: Line[];
  readonly recordings: { id: string; createdAt: string; url?: string }[];
}

const minute = (iso: string) => Math.floor(new Date(iso).getTime() / 60_000);

/** The index of the first item at or after `iso`'s minute (the last one when all are earlier). */
function firstFrom<T extends { at: string }>(items: readonly T[], iso: string): number {
  const wanted = minute(iso);
  const found = items.findIndex((item) => minute(item.at) >= wanted);
  return found < 0 ? items.length - 1 : found;
}

export function Transcript({ api, incident }: { api: Api; incident: IncidentJson }) {
  const [answer, setAnswer] = useState<TranscriptAnswer | undefined>();
  const [events, setEvents] = useState<EventsPage['events']>([]);
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<Line[] | undefined>();
  const [chosen, setChosen] = useState<{ event?: number; line?: number }>({});
  const [error, setError] = useState<string | undefined>();
  const lineList = useRef<HTMLOListElement>(null);
  const eventList = useRef<HTMLOListElement>(null);

  useEffect(() => {
    Promise.all([api.get<TranscriptAnswer>('/transcript?limit=500'), api.get<EventsPage>('/events?order=asc&limit=200')])
      .then(([transcript, page]) => (setAnswer(transcript), setEvents(page.events)))
      .catch((e: Error) => setError(e.message));
  }, [incident.transcript]);

  const search = async (event: Event) => {
    event.preventDefault();
    if (!query.trim()) return setHits(undefined);
    try {
      setHits((await api.get<TranscriptAnswer>(`/transcript?q=${encodeURIComponent(query.trim())}&limit=200`)).lines);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const scrollTo = (list: HTMLOListElement | null, index: number) => {
    const item = list?.children[index] as HTMLElement | undefined;
    item?.scrollIntoView({ block: 'center' });
    item?.focus();
  };
  const chooseEvent = (index: number) => {
    const lines = answer?.lines ?? [];
    if (!lines.length) return setChosen({ event: index });
    const line = firstFrom(lines, events[index]!.at);
    setChosen({ event: index, line });
    scrollTo(lineList.current, line);
  };
  const chooseLine = (index: number) => {
    if (!events.length) return setChosen({ line: index });
    const event = firstFrom(events, answer!.lines[index]!.at);
    setChosen({ event, line: index });
    scrollTo(eventList.current, event);
  };

  const lines = hits ?? answer?.lines ?? [];
  return (
    <section class="transcript" aria-label="Bridge transcript">
      <p class="transcript-status" data-testid="transcript-status">
        <strong>Transcript:</strong> {answer?.status ?? incident.transcript ?? 'no bridge'}
        {(answer?.recordings ?? []).filter((r) => r.url).map((r) => (
          <>
            {' · '}
            <a href={r.url} target="_blank" rel="noopener">Recording ({shortTime(r.createdAt)})</a>
          </>
        ))}
      </p>
      {error && <p role="alert" class="error">{error}</p>}
      <form class="toolbar" role="search" onSubmit={search}>
        <input type="search" aria-label="Search the transcript" placeholder="Search what was said, or who said it" value={query} onInput={(e) => setQuery((e.target as HTMLInputElement).value)} />
        <button type="submit">Search</button>
        {hits && (
          <button type="button" onClick={() => (setHits(undefined), setQuery(''))}>
            Show all ({hits.length} found)
          </button>
        )}
      </form>
      <div class="side-by-side">
        <div>
          <h2>Timeline</h2>
          <ol class="timeline" ref={eventList} aria-label="Timeline (choose an event to see what was said then)">
            {events.map((e, i) => (
              <li tabIndex={-1} class={`event compact${chosen.event === i ? ' chosen' : ''}`} data-testid="side-event">
                <button type="button" class="link" onClick={() => chooseEvent(i)} title={utc(e.at)}>
                  <time dateTime={e.at}>{shortTime(e.at)}</time>
                </button>
                <span class="what">
                  <strong>{e.actor}</strong> {e.text}
                </span>
              </li>
            ))}
          </ol>
        </div>
        <div>
          <h2>{hits ? `Lines with “${query}”` : 'What was said'}</h2>
          {lines.length === 0 ? (
            <p class="muted">{hits ? 'No line says that.' : 'Nothing yet: the transcript appears here once Teams has made it.'}</p>
          ) : (
            <ol class="timeline" ref={lineList} aria-label="Transcript lines" data-testid="transcript-lines">
              {lines.map((l, i) => (
                <li tabIndex={-1} class={`event compact${chosen.line === i && !hits ? ' chosen' : ''}`} data-testid="transcript-line">
                  <button type="button" class="link" onClick={() => !hits && chooseLine(i)} title={utc(l.at)}>
                    <time dateTime={l.at}>{shortTime(l.at)}</time>
                  </button>
                  <span class="what">
                    <strong>{l.speaker ?? 'Unknown speaker'}</strong> {l.text}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
    </section>
  );
}
