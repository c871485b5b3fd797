/**
 * One search over the incident's record: its timeline, key messages, the channel's conversation
 * and the bridge's transcript, oldest first, each hit saying where it was found. The phrase is
 * marked in each hit; a hit from a Teams message links back to it.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Api } from './api.js';
import { shortTime, utc } from './format.js';
import type { Host } from './host.js';
import type { SearchAnswer, SearchHitJson } from './types.js';

const SOURCE_LABELS: Readonly<Record<SearchHitJson['source'], string>> = {
  timeline: 'Timeline',
  key_message: 'Key message',
  chat: 'Channel',
  transcript: 'Transcript',
};

/** How the summary line names each part: "2 in the timeline · 0 in key messages". */
const IN_PART: Readonly<Record<SearchHitJson['source'], string>> = {
  timeline: 'in the timeline',
  key_message: 'in key messages',
  chat: 'in the channel conversation',
  transcript: 'in the transcript',
};

/** The hit's text with each occurrence of the phrase marked (any run of spaces matching any other). */
function marked(text: string, phrase: string) {
  const pattern = new RegExp(`(${phrase.split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+')})`, 'gi');
  return text.split(pattern).map((part, n) => (n % 2 === 1 ? <mark>{part}</mark> : part));
}

export function Search({ api, host, phrase, onShowAt }: { api: Api; host: Host; phrase: string; onShowAt?: (hit: SearchHitJson) => void }) {
  const [answer, setAnswer] = useState<SearchAnswer | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  useEffect(() => {
    let current = true;
    setAnswer(undefined);
    setProblem(undefined);
    api
      .get<SearchAnswer>(`/search?q=${encodeURIComponent(phrase)}`)
      .then((found) => current && setAnswer(found))
      .catch((error: Error) => current && setProblem(error instanceof ApiError ? error.message : String(error)));
    return () => {
      current = false;
    };
  }, [phrase]);

  if (problem) return <p role="alert" class="error">{problem}</p>;
  if (!answer) return <p class="muted" aria-live="polite">Searching…</p>;
  const parts = (Object.keys(SOURCE_LABELS) as SearchHitJson['source'][]).filter((s) => !answer.missing.includes(s));
  return (
    <section class="search-results" aria-label={`Search results for ${answer.phrase}`}>
      <p class="muted" aria-live="polite" data-testid="search-summary">
        {answer.hits.length === 0 ? `Nothing in this incident's record says “${answer.phrase}”.` : `“${answer.phrase}”: `}
        {answer.hits.length > 0 && parts.map((s) => `${answer.counts[s]}${answer.more.includes(s) ? '+' : ''} ${IN_PART[s]}`).join(' · ')}
      </p>
      {answer.more.length > 0 && <p class="muted">Only the first {Math.max(...answer.more.map((s) => answer.counts[s]))} of some parts are shown: search for something narrower.</p>}
      <ol class="timeline" data-testid="search-hits">
        {answer.hits.map((hit) => (
          <li key={`${hit.source}:${hit.ref}`} class={`event hit source-${hit.source}`} data-source={hit.source}>
            <time dateTime={hit.at} title={utc(hit.at)}>{shortTime(hit.at)}</time>
            <span class="actor">
              <span class={`source source-${hit.source}`}>{SOURCE_LABELS[hit.source]}</span> {hit.who}
            </span>
            <span class="what">
              {marked(hit.text, answer.phrase)}
              {hit.link && (
                <>
                  {' '}
                  <a href={hit.link} target="_blank" rel="noopener noreferrer" onClick={(e) => (e.preventDefault(), host.openLink(hit.link!))}>
                    Open the message
                  </a>
                </>
              )}
              {onShowAt && (
                <>
                  {' '}
                  <button type="button" class="link" onClick={() => onShowAt(hit)}>
                    Beside the transcript
                  </button>
                </>
              )}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The search box: always in the tab's bar; what was typed stays there while the results show. */
export function SearchBox({ phrase, onSearch }: { phrase: string; onSearch: (phrase: string) => void }) {
  const [typed, setTyped] = useState(phrase);
  return (
    <form
      role="search"
      class="search-box"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(typed.replace(/\s+/g, ' ').trim());
      }}
    >
      <label for="record-search" class="visually-hidden">
        Search this incident
      </label>
      <input id="record-search" type="search" maxLength={200} value={typed} placeholder="Search timeline, messages, transcript" onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)} />
      <button type="submit" class="secondary">Search</button>
    </form>
  );
}
