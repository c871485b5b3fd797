/**
 * The bridge's transcript beside the timeline: what was said, by whom and when. Choosing a
 * timeline event brings the transcript to that minute, and choosing a line brings the timeline
 * there, so the story and the call read together; a two-hour call is read a window at a time
 * from the minute chosen. The plain status says whether it exists yet and, if not, what is
 * missing. Finding words is the tab's one search box (its hits open here at their moment).
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
type EventRow = EventsPage['events'][number];

const WINDOW = 200;
/** Each list opens a little before the minute chosen, so what led up to it shows too. */
const LEAD_MS = 2 * 60_000;
const minute = (iso: string) => Math.floor(new Date(iso).getTime() / 60_000);
const windowStart = (iso: string) => new Date(minute(iso) * 60_000 - LEAD_MS);
/** The timeline API's cursor for "events from this time on" (a time, and the lowest id). */
const eventsFrom = (at: Date) => `/events?order=asc&limit=${WINDOW}&after=${at.getTime() - 1}.${'0'.repeat(24)}`;

/** The index of the first item at or after `iso`'s minute (the last one when all are earlier). */
function firstFrom<T extends { at: string }>(items: readonly T[], iso: string): number {
  const wanted = minute(iso);
  const found = items.findIndex((item) => minute(item.at) >= wanted);
  return found < 0 ? items.length - 1 : found;
}

export function Transcript({ api, incident, moment }: { api: Api; incident: IncidentJson; moment?: string }) {
  const [answer, setAnswer] = useState<TranscriptAnswer | undefined>();
  const [events, setEvents] = useState<EventRow[]>([]);
  const [chosen, setChosen] = useState<{ event?: number; line?: number }>({});
  const [error, setError] = useState<string | undefined>();
  const lineList = useRef<HTMLOListElement>(null);
  const eventList = useRef<HTMLOListElement>(null);

  const linesFrom = (at?: Date) => api.get<TranscriptAnswer>(`/transcript?limit=${WINDOW}${at ? `&from=${encodeURIComponent(at.toISOString())}` : ''}`);
  const scrollTo = (list: HTMLOListElement | null, index: number) => {
    const item = list?.children[index] as HTMLElement | undefined;
    item?.scrollIntoView({ block: 'center' });
    item?.focus();
  };
  const fail = (e: Error) => setError(e.message);

  // Opened from a search hit: both lists at that moment; otherwise from the start.
  useEffect(() => {
    const from = moment ? windowStart(moment) : undefined;
    Promise.all([linesFrom(from), api.get<EventsPage>(from ? eventsFrom(from) : `/events?order=asc&limit=${WINDOW}`)])
      .then(([transcript, page]) => {
        setAnswer(transcript);
        setEvents(page.events);
        if (moment) setChosen({ line: transcript.lines.length ? firstFrom(transcript.lines, moment) : undefined, event: page.events.length ? firstFrom(page.events, moment) : undefined });
      })
      .catch(fail);
  }, [incident.transcript, moment]);
  useEffect(() => {
    if (chosen.line !== undefined) scrollTo(lineList.current, chosen.line);
    if (chosen.event !== undefined) scrollTo(eventList.current, chosen.event);
  }, [answer, events]);

  const chooseEvent = async (index: number) => {
    const event = events[index]!;
    try {
      const transcript = await linesFrom(windowStart(event.at));
      setAnswer(transcript);
      const line = transcript.lines.length ? firstFrom(transcript.lines, event.at) : undefined;
      setChosen({ event: index, line });
      if (line !== undefined) scrollTo(lineList.current, line);
    } catch (e) {
      fail(e as Error);
    }
  };
  const chooseLine = async (index: number) => {
    const line = answer!.lines[index]!;
    try {
      const page = await api.get<EventsPage>(eventsFrom(windowStart(line.at)));
      setEvents(page.events);
      const event = page.events.length ? firstFrom(page.events, line.at) : undefined;
      setChosen({ event, line: index });
      if (event !== undefined) scrollTo(eventList.current, event);
    } catch (e) {
      fail(e as Error);
    }
  };
  const later = async () => {
    const last = answer?.lines.at(-1);
    if (!last) return;
    try {
      const next = await linesFrom(new Date(new Date(last.at).getTime() + 1));
      setAnswer(next);
      setChosen({ event: chosen.event });
      lineList.current?.scrollTo({ top: 0 });
    } catch (e) {
      fail(e as Error);
    }
  };

  const lines = answer?.lines ?? [];
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
      <p class="muted">Choose a time on either side to read the other at that minute. The search box above finds what was said.</p>
      {error && <p role="alert" class="error">{error}</p>}
      <div class="side-by-side">
        <div>
          <h2>Timeline</h2>
          <ol class="timeline" ref={eventList} aria-label="Timeline (choose an event to see what was said then)">
            {events.map((e, i) => (
              <li tabIndex={-1} class={`event compact${chosen.event === i ? ' chosen' : ''}`} data-testid="side-event">
                <button type="button" class="link" onClick={() => void chooseEvent(i)} title={utc(e.at)}>
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
          <h2>What was said</h2>
          {lines.length === 0 ? (
            <p class="muted">Nothing yet: the transcript appears here once Teams has made it.</p>
          ) : (
            <>
              <ol class="timeline" ref={lineList} aria-label="Transcript lines" data-testid="transcript-lines">
                {lines.map((l, i) => (
                  <li tabIndex={-1} class={`event compact${chosen.line === i ? ' chosen' : ''}`} data-testid="transcript-line">
                    <button type="button" class="link" onClick={() => void chooseLine(i)} title={utc(l.at)}>
                      <time dateTime={l.at}>{shortTime(l.at)}</time>
                    </button>
                    <span class="what">
                      <strong>{l.speaker ?? 'Unknown speaker'}</strong> {l.text}
                    </span>
                  </li>
                ))}
              </ol>
              {lines.length >= WINDOW && (
                <button type="button" class="secondary" onClick={() => void later()}>
                  Later lines
                </button>
              )}
            </>
          )}
        </div>
      </div>
    </section>
  );
}
