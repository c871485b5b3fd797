/**
 * The post-mortem form: pre-filled from the record and timeline, saved as numbered versions.
 * Saving names the version it was based on; if someone saved in between, the server refuses and
 * this form keeps your text and shows theirs, so nobody's words are silently overwritten.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, actionKey, type Api } from './api.js';
import { minutes, shortTime } from './format.js';
import type { PostmortemJson } from './types.js';

type Content = PostmortemJson['content'];
type Options = PostmortemJson['options'];
type Problem = { path: string; message: string };

interface Props {
  readonly api: Api;
  readonly status: string;
  readonly readOnly: boolean;
  readonly onPublished: () => void;
}

const TEXTS: readonly { field: 'description' | 'manifestation' | 'affected' | 'impact' | 'timeline' | 'wentWell' | 'wentBadly'; label: string; hint: string; rows: number }[] = [
  { field: 'description', label: 'What happened', hint: 'A short description anyone in the company can follow.', rows: 3 },
  { field: 'manifestation', label: 'How it showed itself', hint: 'Symptoms: errors, alerts, what customers saw.', rows: 2 },
  { field: 'affected', label: 'Who was affected', hint: 'Customers, regions, internal teams.', rows: 2 },
  { field: 'impact', label: 'Impact', hint: 'How bad and for how long: failed requests, revenue, data.', rows: 2 },
  { field: 'timeline', label: 'Timeline', hint: 'Pre-filled from the incident timeline; trim it to the story.', rows: 8 },
  { field: 'wentWell', label: 'What went well', hint: '', rows: 3 },
  { field: 'wentBadly', label: 'What went badly', hint: 'Describe conditions and systems, not people.', rows: 3 },
];
const TIMES: readonly { field: keyof Content['times']; label: string }[] = [
  { field: 'started', label: 'Started' },
  { field: 'detected', label: 'Detected' },
  { field: 'acknowledged', label: 'Acknowledged' },
  { field: 'recovered', label: 'Recovered (mitigated)' },
  { field: 'resolved', label: 'Resolved' },
];

const toLocalInput = (iso: string | null) => (iso ? iso.slice(0, 16) : '');
const fromLocalInput = (value: string) => (value ? `${value}:00.000Z` : null);

export function Postmortem({ api, status, readOnly, onPublished }: Props) {
  const [loaded, setLoaded] = useState<PostmortemJson | undefined>();
  const [content, setContent] = useState<Content | undefined>();
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [theirs, setTheirs] = useState<{ version: PostmortemJson; changed: readonly string[] } | undefined>();
  const saveKey = useRef(actionKey());

  const take = (answer: PostmortemJson) => {
    setLoaded(answer);
    setContent(answer.content);
    setDirty(false);
  };
  useEffect(() => {
    api.get<PostmortemJson>('/postmortem').then(take, (e: Error) => setError(e.message));
  }, []);

  if (error && !content) return <p role="alert" class="error">{error}</p>;
  if (!loaded || !content) return <p class="muted">Loading the post-mortem…</p>;
  const options: Options = loaded.options;
  const locked = readOnly || busy;

  const edit = (change: Partial<Content>) => {
    setContent({ ...content, ...change });
    setDirty(true);
  };
  const problemFor = (path: string) => problems.find((p) => p.path === path || p.path.startsWith(`${path}.`))?.message;

  const save = async (base = loaded.version) => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.send<PostmortemJson>('PUT', '/postmortem', { baseVersion: base, key: saveKey.current, content });
      take(answer);
      setProblems([]);
      setTheirs(undefined);
      setNotice(`Saved as version ${answer.version}.`);
      saveKey.current = actionKey();
    } catch (e) {
      const body = e instanceof ApiError ? e.body : {};
      if (body.conflict) setTheirs({ version: body.theirs as PostmortemJson, changed: (body.changed as string[] | undefined) ?? [] });
      setProblems((body.problems as Problem[] | undefined) ?? []);
      setError((e as Error).message);
      // A network failure may have saved: the same key lets the retry find out without saving twice.
      if (!(e instanceof ApiError && e.status === 0)) saveKey.current = actionKey();
    } finally {
      setBusy(false);
    }
  };

  const publish = async () => {
    setBusy(true);
    try {
      const answer = await api.send<{ message: string; deliveryProblem?: string }>('POST', '/postmortem/publish', { version: loaded.version, key: actionKey() });
      setNotice(answer.deliveryProblem ? `${answer.message} Note: ${answer.deliveryProblem}` : answer.message);
      setError(undefined);
      setLoaded({ ...loaded, publishedVersion: loaded.version });
      onPublished();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const durations = loaded.durations;
  const canPublish = !dirty && loaded.version > 0 && (status === 'resolved' || status === 'closed') && !readOnly;

  return (
    <form class="postmortem" onSubmit={(e) => (e.preventDefault(), void save())} aria-labelledby="pm-heading" novalidate>
      <h2 id="pm-heading">Blameless post-mortem</h2>
      <p class="muted" data-testid="pm-state" aria-live="polite">
        {loaded.version === 0
          ? 'Draft pre-filled from the record and the timeline; not saved yet.'
          : `Version ${loaded.version}, saved by ${loaded.savedBy} ${loaded.savedAt ? shortTime(loaded.savedAt) : ''}${loaded.publishedVersion ? ` · version ${loaded.publishedVersion} published` : ''}.`}
        {dirty && ' You have unsaved changes.'}
      </p>
      {notice && !error && <p class="notice" role="status">{notice}</p>}
      {error && (
        <div role="alert" class="error" data-testid="pm-error">
          <p>{error}</p>
          {theirs && (
            <div class="conflict" data-testid="pm-conflict">
              {theirs.changed.length > 0 && (
                <ul data-testid="pm-conflict-sections" aria-label={`Sections changed in version ${theirs.version.version}`}>
                  {theirs.changed.map((section) => (
                    <li>{section}</li>
                  ))}
                </ul>
              )}
              <p>
                Their version {theirs.version.version} ({theirs.version.savedBy}) describes it as: <q>{theirs.version.content.description.slice(0, 200)}</q>
              </p>
              <button type="button" class="secondary" onClick={() => (take(theirs.version), setTheirs(undefined), setError(undefined))}>
                Load their version (discard mine)
              </button>{' '}
              <button type="button" onClick={() => void save(theirs.version.version)}>
                Save mine as version {theirs.version.version + 1}
              </button>
            </div>
          )}
        </div>
      )}
      {loaded.warnings.length > 0 && (
        <div class="warning" role="note" data-testid="pm-warnings">
          <strong>Blameless wording</strong>
          <ul>
            {loaded.warnings.map((w) => (
              <li>
                “{w.phrase}” in {w.path}: {w.hint}
              </li>
            ))}
          </ul>
        </div>
      )}

      <fieldset disabled={locked}>
        <legend>Times (UTC)</legend>
        <div class="grid">
          {TIMES.map(({ field, label }) => (
            <label>
              {label}
              <input type="datetime-local" step={60} value={toLocalInput(content.times[field])} onInput={(e) => edit({ times: { ...content.times, [field]: fromLocalInput((e.currentTarget as HTMLInputElement).value) } })} />
              {problemFor(`times.${field}`) && <span class="error">{problemFor(`times.${field}`)}</span>}
            </label>
          ))}
        </div>
        <p class="muted">
          Time to detect {minutes(durations.toDetect)} · to acknowledge {minutes(durations.toAcknowledge)} · to recover {minutes(durations.toRecover)} · to resolve {minutes(durations.toResolve)}
        </p>
      </fieldset>

      <fieldset disabled={locked}>
        <legend>The incident</legend>
        {TEXTS.map(({ field, label, hint, rows }) => (
          <label class="block">
            {label}
            {hint && <span class="muted"> — {hint}</span>}
            <textarea name={field} rows={rows} value={content[field]} onInput={(e) => edit({ [field]: (e.currentTarget as HTMLTextAreaElement).value })} />
            {problemFor(field) && <span class="error">{problemFor(field)}</span>}
          </label>
        ))}
      </fieldset>

      <fieldset disabled={locked}>
        <legend>Contributing causes</legend>
        <p class="muted">Incidents have several causes. Describe conditions and systems, not who did what.</p>
        {content.rootCauses.map((cause, n) => (
          <div class="item" key={n}>
            <label class="block">
              Cause {n + 1}
              <textarea rows={2} value={cause.description} onInput={(e) => edit({ rootCauses: content.rootCauses.map((c, i) => (i === n ? { ...c, description: (e.currentTarget as HTMLTextAreaElement).value } : c)) })} />
            </label>
            <label>
              Type{' '}
              <select value={cause.type} onChange={(e) => edit({ rootCauses: content.rootCauses.map((c, i) => (i === n ? { ...c, type: (e.currentTarget as HTMLSelectElement).value as typeof c.type } : c)) })}>
                {options.rootCauseTypes.map((t) => (
                  <option value={t}>{t}</option>
                ))}
              </select>
            </label>{' '}
            <button type="button" class="secondary" onClick={() => edit({ rootCauses: content.rootCauses.filter((_, i) => i !== n) })}>
              Remove cause {n + 1}
            </button>
            {problemFor(`rootCauses.${n}`) && <span class="error">{problemFor(`rootCauses.${n}`)}</span>}
          </div>
        ))}
        <button type="button" class="secondary" onClick={() => edit({ rootCauses: [...content.rootCauses, { description: '', type: options.rootCauseTypes.at(-1)! }] })}>
          Add a contributing cause
        </button>
      </fieldset>

      <fieldset disabled={locked}>
        <legend>Action items</legend>
        {content.actionItems.map((item, n) => {
          const set = (change: Partial<typeof item>) => edit({ actionItems: content.actionItems.map((a, i) => (i === n ? { ...a, ...change } : a)) });
          return (
            <div class="item grid" key={n}>
              <label class="wide">
                Action {n + 1}
                <input value={item.description} onInput={(e) => set({ description: (e.currentTarget as HTMLInputElement).value })} />
              </label>
              <label>
                Owner
                <input value={item.owner} onInput={(e) => set({ owner: (e.currentTarget as HTMLInputElement).value })} />
              </label>
              <label>
                Due
                <input type="date" value={item.due} onInput={(e) => set({ due: (e.currentTarget as HTMLInputElement).value })} />
              </label>
              <label>
                Kind
                <select value={item.kind} onChange={(e) => set({ kind: (e.currentTarget as HTMLSelectElement).value as typeof item.kind })}>
                  {options.actionKinds.map((k) => (
                    <option value={k}>{k}</option>
                  ))}
                </select>
              </label>
              <label class="inline">
                <input type="checkbox" checked={item.done} onChange={(e) => set({ done: (e.currentTarget as HTMLInputElement).checked })} /> Done
              </label>
              <label class="wide">
                Tracker link
                <input type="url" value={item.link} placeholder="https://…" onInput={(e) => set({ link: (e.currentTarget as HTMLInputElement).value })} />
              </label>
              <button type="button" class="secondary" onClick={() => edit({ actionItems: content.actionItems.filter((_, i) => i !== n) })}>
                Remove action {n + 1}
              </button>
              {problemFor(`actionItems.${n}`) && <span class="error wide">{problemFor(`actionItems.${n}`)}</span>}
            </div>
          );
        })}
        <button type="button" class="secondary" onClick={() => edit({ actionItems: [...content.actionItems, { description: '', owner: '', due: '', kind: options.actionKinds[0]!, link: '', done: false }] })}>
          Add an action item
        </button>
      </fieldset>

      <fieldset disabled={locked}>
        <legend>Proper fix scheduled within</legend>
        {options.fixWindows.map((hours) => (
          <label class="inline">
            <input type="radio" name="fixWindow" checked={content.fixWindowHours === hours} onChange={() => edit({ fixWindowHours: hours })} /> {hours} h
          </label>
        ))}
      </fieldset>

      {loaded.version > 0 && <History api={api} head={loaded.version} locked={locked} onCopy={(older) => (setContent(older.content), setDirty(true), setNotice(`Version ${older.version} copied into the form; save to make it version ${loaded.version + 1}.`))} />}

      <div class="actions">
        <button type="submit" disabled={locked}>
          {busy ? 'Saving…' : loaded.version === 0 ? 'Save version 1' : `Save version ${loaded.version + 1}`}
        </button>
        <button type="button" class="secondary" disabled={!canPublish || busy} onClick={() => void publish()} title={canPublish ? '' : 'Save first; publishing needs the incident resolved or closed'}>
          Publish version {loaded.version || 1}
        </button>
      </div>
    </form>
  );
}

interface VersionLine {
  readonly version: number;
  readonly savedAt: string;
  readonly savedBy: string;
  readonly published: boolean;
}

/** Every saved version stays; an older one can be copied back into the form and saved on top. */
function History({ api, head, locked, onCopy }: { api: Api; head: number; locked: boolean; onCopy: (older: PostmortemJson) => void }) {
  const [versions, setVersions] = useState<readonly VersionLine[] | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const load = () => api.get<{ versions: VersionLine[] }>('/postmortem/versions').then((answer) => setVersions(answer.versions), (e: Error) => setProblem(e.message));
  useEffect(() => void (versions && load()), [head]);
  const copy = async (version: number) => {
    try {
      onCopy(await api.get<PostmortemJson>(`/postmortem/versions/${version}`));
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  return (
    <details class="history" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && !versions && void load()}>
      <summary>Saved versions ({head})</summary>
      {problem && <p role="alert" class="error">{problem}</p>}
      {!versions && !problem && <p class="muted">Loading…</p>}
      <ol reversed data-testid="pm-versions">
        {versions?.map((v) => (
          <li key={v.version}>
            Version {v.version} · {v.savedBy} · {shortTime(v.savedAt)}
            {v.published && <strong> · published</strong>}{' '}
            {v.version !== head && (
              <button type="button" class="secondary" disabled={locked} onClick={() => void copy(v.version)}>
                Copy version {v.version} into the form
              </button>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}
