/**
 * The post-mortem form: pre-filled from the record and timeline, saved as numbered versions.
 * Saving names the version it was based on; if someone saved in between, the server refuses and
 * answers with their version and a section-by-section merge plan: the form keeps your text, and
 * the conflict panel next to the Save bar lets you merge (nobody's words are silently lost).
 * Publishing wording the blameless check flagged asks first.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { applyChoices, type MergeChoice, type MergePlan } from '../../models/postmortem/merge.js';
import type { PostmortemField } from '../../models/postmortem/sections.js';
import { ApiError, actionKey, type Api } from './api.js';
import { ConflictPanel, type Conflict } from './ConflictPanel.js';
import { shortTime } from './format.js';
import { PostmortemFields, type Content } from './PostmortemFields.js';
import type { TrackedItems } from '../../models/followThrough/actionItemTracking.js';
import { History } from './PostmortemHistory.js';
import { PublishCheck } from './PublishCheck.js';
import type { IncidentJson, PostmortemJson } from './types.js';
import type { TeamPerson } from './PostmortemFields.js';

type Problem = { path: string; message: string };

interface Props {
  readonly api: Api;
  /** INC-12: names the downloaded files. */
  readonly label: string;
  /** The review meeting, once scheduled: asking again moves it. */
  readonly review?: IncidentJson['review'];
  readonly status: string;
  readonly readOnly: boolean;
  readonly onPublished: () => void;
}

export function Postmortem({ api, label, review, status, readOnly, onPublished }: Props) {
  const [loaded, setLoaded] = useState<PostmortemJson | undefined>();
  const [content, setContent] = useState<Content | undefined>();
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | undefined>();
  const [problems, setProblems] = useState<readonly Problem[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [conflict, setConflict] = useState<Conflict | undefined>();
  const [checking, setChecking] = useState<PostmortemJson['warnings'] | undefined>();
  const saveKey = useRef(actionKey());
  /** The incidents team, offered when picking an action item's owner (sent with the first load only). */
  const [people, setPeople] = useState<readonly TeamPerson[]>([]);

  const take = (answer: PostmortemJson) => {
    setLoaded(answer);
    setContent(answer.content);
    setDirty(false);
  };
  useEffect(() => {
    api.get<PostmortemJson & { people?: readonly TeamPerson[] }>('/postmortem').then((answer) => (take(answer), setPeople(answer.people ?? [])), (e: Error) => setError(e.message));
  }, []);

  if (error && !content) return <p role="alert" class="error">{error}</p>;
  if (!loaded || !content) return <p class="muted">Loading the post-mortem…</p>;
  // While merging, the form holds "mine" as the server compared it: edits wait until the merge is saved or set aside.
  const locked = readOnly || busy || Boolean(conflict);

  const edit = (change: Partial<Content>) => {
    setContent({ ...content, ...change });
    setDirty(true);
    setChecking(undefined);
  };
  const problemFor = (path: string) => problems.find((p) => p.path === path || p.path.startsWith(`${path}.`))?.message;

  const save = async (base: number, text: Content) => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.send<PostmortemJson>('PUT', '/postmortem', { baseVersion: base, key: saveKey.current, content: text });
      take(answer);
      setProblems([]);
      setConflict(undefined);
      setNotice(`Saved as version ${answer.version}.`);
      saveKey.current = actionKey();
    } catch (e) {
      const body = e instanceof ApiError ? e.body : {};
      if (body.conflict) {
        // The panel tells the story next to the Save bar; the top of the form stays as it was.
        setConflict({ message: (e as Error).message, theirs: body.theirs as PostmortemJson, plan: body.merge as MergePlan, choices: {} });
      } else {
        setError((e as Error).message);
        // A merge the server refused as invalid (a kept-both text too long, say) becomes the form's text on top of their version, to fix and save.
        if (conflict && e instanceof ApiError && e.status === 400) {
          setLoaded(conflict.theirs);
          setContent(text);
          setDirty(true);
          setConflict(undefined);
        }
      }
      setProblems((body.problems as Problem[] | undefined) ?? []);
      // A network failure may have saved: the same key lets the retry find out without saving twice.
      if (!(e instanceof ApiError && e.status === 0)) saveKey.current = actionKey();
    } finally {
      setBusy(false);
    }
  };

  const merged = conflict && applyChoices(conflict.plan, conflict.choices);
  const saveMerge = () => {
    if (!conflict || !merged || !('content' in merged)) return;
    // Based on their version: if yet another version landed meanwhile, the server refuses again and the panel shows that one.
    setContent(merged.content as Content);
    void save(conflict.theirs.version, merged.content as Content);
  };
  const choose = (field: PostmortemField, choice: MergeChoice) => conflict && setConflict({ ...conflict, choices: { ...conflict.choices, [field]: choice } });

  const publish = async (keepFlaggedWording: boolean) => {
    setBusy(true);
    try {
      const answer = await api.send<{ message: string; deliveryProblem?: string }>('POST', '/postmortem/publish', { version: loaded.version, key: actionKey(), ...(keepFlaggedWording ? { keepFlaggedWording } : {}) });
      setNotice(answer.deliveryProblem ? `${answer.message} Note: ${answer.deliveryProblem}` : answer.message);
      setError(undefined);
      setChecking(undefined);
      setLoaded({ ...loaded, publishedVersion: loaded.version });
      onPublished();
    } catch (e) {
      const body = e instanceof ApiError ? e.body : {};
      if (body.needsConfirmation) setChecking(body.warnings as PostmortemJson['warnings']);
      else (setError((e as Error).message), setChecking(undefined));
    } finally {
      setBusy(false);
    }
  };
  const scheduleReview = async () => {
    setBusy(true);
    try {
      const answer = await api.send<{ message: string }>('POST', '/postmortem/review', { key: actionKey() });
      setNotice(answer.message);
      setError(undefined);
      onPublished(); // the header and card show the review from the next poll on
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const askOrPublish = () => (loaded.warnings.length > 0 ? setChecking(loaded.warnings) : void publish(false));

  const canPublish = !dirty && !conflict && loaded.version > 0 && (status === 'resolved' || status === 'closed') && !readOnly;
  const mergeReady = merged !== undefined && 'content' in merged;

  return (
    <form class="postmortem" onSubmit={(e) => (e.preventDefault(), conflict ? saveMerge() : void save(loaded.version, content))} aria-labelledby="pm-heading" novalidate>
      <h2 id="pm-heading">Blameless post-mortem</h2>
      <p class="muted" data-testid="pm-state" aria-live="polite">
        {loaded.version === 0
          ? 'Draft pre-filled from the record and the timeline; not saved yet.'
          : `Version ${loaded.version}, saved by ${loaded.savedBy} ${loaded.savedAt ? shortTime(loaded.savedAt) : ''}${loaded.publishedVersion ? ` · version ${loaded.publishedVersion} published` : ''}.`}
        {dirty && ' You have unsaved changes.'}
      </p>
      {loaded.warnings.length > 0 && (
        <div class="warning" role="note" data-testid="pm-warnings">
          <strong>Blameless wording</strong>
          <ul>
            {loaded.warnings.map((w) => (
              <li>
                “{w.phrase}” in {w.where}: {w.hint}
              </li>
            ))}
          </ul>
        </div>
      )}

      <PostmortemFields content={content} options={loaded.options} durations={loaded.durations} locked={locked} edit={edit} problemFor={problemFor} people={people} tracking={(loaded as PostmortemJson & { tracking?: TrackedItems }).tracking} />

      {loaded.version > 0 && <History api={api} head={loaded.version} locked={locked} onCopy={(older) => (setContent(older.content), setDirty(true), setNotice(`Version ${older.version} copied into the form; save to make it version ${loaded.version + 1}.`))} />}

      {conflict && (
        <ConflictPanel
          conflict={conflict}
          busy={busy}
          onChoose={choose}
          onLoadTheirs={() => (take(conflict.theirs), setConflict(undefined), setProblems([]))}
          onBack={() => setConflict(undefined)}
        />
      )}
      {checking && <PublishCheck version={loaded.version} warnings={checking} busy={busy} onPublish={() => void publish(true)} onBack={() => setChecking(undefined)} />}

      <div class="actions">
        {/* In the Save bar, so the answer to a click is where the click was. */}
        {error && (
          <div role="alert" class="error" data-testid="pm-error">
            {error}
          </div>
        )}
        {conflict ? (
          <button type="submit" disabled={busy || !mergeReady} data-testid="pm-save-merge">
            {busy ? 'Saving…' : `Save the merge as version ${conflict.theirs.version + 1}`}
          </button>
        ) : (
          <button type="submit" disabled={locked}>
            {busy ? 'Saving…' : loaded.version === 0 ? 'Save version 1' : `Save version ${loaded.version + 1}`}
          </button>
        )}
        <button type="button" class="secondary" disabled={!canPublish || busy || Boolean(checking)} onClick={askOrPublish} title={canPublish ? '' : 'Save first; publishing needs the incident resolved or closed'}>
          Publish version {loaded.version || 1}
        </button>
        {(status === 'resolved' || status === 'closed') && !readOnly && (
          <span class="review" data-testid="pm-review-at">
            {review?.start && (
              <span class="muted">
                Review {shortTime(review.start)}
                {review.webLink && (
                  <>
                    {' '}
                    <a href={review.webLink} target="_blank" rel="noopener">in Outlook</a>
                  </>
                )}
              </span>
            )}
            <button type="button" class="secondary" disabled={busy} onClick={() => void scheduleReview()} data-testid="pm-review" title="In your Outlook calendar, at the first hour most role holders are free">
              {review ? 'Move the review' : 'Schedule the review'}
            </button>
          </span>
        )}
        <span class="export" data-testid="pm-export">
          {/* What was saved (or the pre-filled draft): unsaved edits are not in the file, and the title says so. */}
          <span class="muted">{loaded.version === 0 ? 'Download the draft' : `Download version ${loaded.version}`}</span>
          {(['docx', 'md'] as const).map((format) => (
            <button
              key={format}
              type="button"
              class="secondary"
              disabled={busy}
              title={dirty ? 'Your unsaved edits are not in the file: save first to include them' : ''}
              onClick={() => void api.download(`/postmortem/export/${format}`, `${label}-postmortem-${loaded.version === 0 ? 'draft' : `v${loaded.version}`}.${format}`).catch((e: Error) => setError(e.message))}
            >
              {format === 'docx' ? 'Word' : 'Markdown'}
            </button>
          ))}
        </span>
        {notice && !error && !conflict && (
          <span class="notice" role="status">
            {notice}
          </span>
        )}
      </div>
    </form>
  );
}
