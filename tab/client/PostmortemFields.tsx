/**
 * The post-mortem form's sections: times, the texts, contributing causes, action items and the
 * proper-fix window. Every item carries an identity (made here for new ones), so two editors'
 * lists merge item by item.
 */
import { POSTMORTEM_SECTIONS } from '../../models/postmortem/sections.js';
import { minutes } from './format.js';
import type { PostmortemJson } from './types.js';
import type { TrackedItems } from '../../models/followThrough/actionItemTracking.js';

export type Content = PostmortemJson['content'];
type Options = PostmortemJson['options'];
type TextField = 'description' | 'manifestation' | 'affected' | 'impact' | 'timeline' | 'wentWell' | 'wentBadly';

const TEXTS: readonly { field: TextField; hint: string; rows: number }[] = [
  { field: 'description', hint: 'A short description anyone in the company can follow.', rows: 3 },
  { field: 'manifestation', hint: 'Symptoms: errors, alerts, what customers saw.', rows: 2 },
  { field: 'affected', hint: 'Customers, regions, internal teams.', rows: 2 },
  { field: 'impact', hint: 'How bad and for how long: failed requests, revenue, data.', rows: 2 },
  { field: 'timeline', hint: 'Pre-filled from the incident timeline; trim it to the story.', rows: 8 },
  { field: 'wentWell', hint: '', rows: 3 },
  { field: 'wentBadly', hint: 'Describe conditions and systems, not people.', rows: 3 },
];
export const TIMES: readonly { field: keyof Content['times']; label: string }[] = [
  { field: 'started', label: 'Started' },
  { field: 'detected', label: 'Detected' },
  { field: 'acknowledged', label: 'Acknowledged' },
  { field: 'recovered', label: 'Recovered (mitigated)' },
  { field: 'resolved', label: 'Resolved' },
];

const toLocalInput = (iso: string | null) => (iso ? iso.slice(0, 16) : '');
const fromLocalInput = (value: string) => (value ? `${value}:00.000Z` : null);
const newId = (prefix: string) => `${prefix}-${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
const valueOf = (e: Event) => (e.currentTarget as HTMLInputElement).value;

interface Props {
  readonly content: Content;
  readonly options: Options;
  readonly durations: PostmortemJson['durations'];
  readonly locked: boolean;
  readonly edit: (change: Partial<Content>) => void;
  readonly problemFor: (path: string) => string | undefined;
  /** Where each action item is in the tracker (when one is set up). */
  readonly tracking?: TrackedItems;
  /** The incidents team: an owner picked from it is reminded of the item (nudges); a typed name is not. */
  readonly people?: readonly TeamPerson[];
}

export interface TeamPerson {
  readonly aadObjectId: string;
  readonly name: string;
}

/**
 * The owner as typed or picked: a name that is one of the team's (the list offers them) carries
 * that person's Entra id, so they can be reminded; any other name is kept as typed, without one.
 */
export function ownerFrom(typed: string, people: readonly TeamPerson[]): { owner: string; ownerId?: string } {
  const matches = people.filter((p) => p.name.toLowerCase() === typed.trim().toLowerCase());
  return matches.length === 1 ? { owner: matches[0]!.name, ownerId: matches[0]!.aadObjectId } : { owner: typed };
}

/** "GitHub #12", linked; or, until the tracker has taken it, "not yet in GitHub" (it is kept and tried again). */
function TrackerPlace({ tracking, id }: { readonly tracking?: TrackedItems; readonly id?: string }) {
  if (!tracking) return null;
  const place = id ? tracking.items[id] : undefined;
  if (place?.key && place.url && !place.error) {
    return (
      <span class="wide tracker-place">
        In {tracking.tracker}: <a href={place.url} target="_blank" rel="noreferrer">{tracking.tracker} {place.key}</a>
      </span>
    );
  }
  const why = place?.error ? ` (${place.error}; tried again automatically)` : place ? ' (tried again automatically)' : ' (filed when you save)';
  return (
    <span class="wide tracker-place warning">
      {place?.key ? `${tracking.tracker} ${place.key}: changes not yet in ${tracking.tracker}` : `Not yet in ${tracking.tracker}`}
      {why}
    </span>
  );
}

export function PostmortemFields({ content, options, durations, locked, edit, problemFor, tracking, people = [] }: Props) {
  const setCause = (n: number, change: Partial<Content['rootCauses'][number]>) => edit({ rootCauses: content.rootCauses.map((c, i) => (i === n ? { ...c, ...change } : c)) });
  const setAction = (n: number, change: Partial<Content['actionItems'][number]>) => edit({ actionItems: content.actionItems.map((a, i) => (i === n ? { ...a, ...change } : a)) });
  const problem = (path: string) => problemFor(path) && <span class="error">{problemFor(path)}</span>;
  return (
    <>
      <fieldset disabled={locked}>
        <legend>Times (UTC)</legend>
        <div class="grid">
          {TIMES.map(({ field, label }) => (
            <label>
              {label}
              <input type="datetime-local" step={60} value={toLocalInput(content.times[field])} onInput={(e) => edit({ times: { ...content.times, [field]: fromLocalInput(valueOf(e)) } })} />
              {problem(`times.${field}`)}
            </label>
          ))}
        </div>
        <p class="muted">
          Time to detect {minutes(durations.toDetect)} · to acknowledge {minutes(durations.toAcknowledge)} · to recover {minutes(durations.toRecover)} · to resolve {minutes(durations.toResolve)}
        </p>
      </fieldset>

      <fieldset disabled={locked}>
        <legend>The incident</legend>
        {TEXTS.map(({ field, hint, rows }) => (
          <label class="block">
            {POSTMORTEM_SECTIONS[field]}
            {hint && <span class="muted"> — {hint}</span>}
            <textarea name={field} rows={rows} value={content[field]} onInput={(e) => edit({ [field]: valueOf(e) })} />
            {problem(field)}
          </label>
        ))}
      </fieldset>

      <fieldset disabled={locked}>
        <legend>Contributing causes</legend>
        <p class="muted">Incidents have several causes. Describe conditions and systems, not who did what.</p>
        {content.rootCauses.map((cause, n) => (
          <div class="item" key={cause.id ?? n}>
            <label class="block">
              Cause {n + 1}
              <textarea rows={2} value={cause.description} onInput={(e) => setCause(n, { description: valueOf(e) })} />
            </label>
            <label>
              Type{' '}
              <select value={cause.type} onChange={(e) => setCause(n, { type: valueOf(e) as typeof cause.type })}>
                {options.rootCauseTypes.map((t) => (
                  <option value={t}>{t}</option>
                ))}
              </select>
            </label>{' '}
            <button type="button" class="secondary" onClick={() => edit({ rootCauses: content.rootCauses.filter((_, i) => i !== n) })}>
              Remove cause {n + 1}
            </button>
            {problem(`rootCauses.${n}`)}
          </div>
        ))}
        <button type="button" class="secondary" onClick={() => edit({ rootCauses: [...content.rootCauses, { id: newId('cause'), description: '', type: options.rootCauseTypes.at(-1)! }] })}>
          Add a contributing cause
        </button>
      </fieldset>

      <fieldset disabled={locked}>
        <legend>Action items</legend>
        <datalist id="team-people">
          {people.map((p) => (
            <option value={p.name} />
          ))}
        </datalist>
        {content.actionItems.map((item, n) => (
          <div class="item grid" key={item.id ?? n}>
            <label class="wide">
              Action {n + 1}
              <input value={item.description} onInput={(e) => setAction(n, { description: valueOf(e) })} />
            </label>
            <label>
              Owner
              <input value={item.owner} list="team-people" placeholder="Pick from the team, or type a name" onInput={(e) => setAction(n, { ownerId: undefined, ...ownerFrom(valueOf(e), people) })} />
              {item.owner.trim() && (
                <span class={item.ownerId ? 'muted owner-note' : 'warning owner-note'} title={item.ownerId ? 'In Teams when assigned, 2 days before it is due, and when it is overdue.' : 'Only someone picked from the incidents team can be reminded; a typed name is kept as it is.'}>
                  {item.ownerId ? 'Gets reminders in Teams.' : 'Not in the team: no reminders.'}
                </span>
              )}
            </label>
            <label>
              Due
              <input type="date" value={item.due} onInput={(e) => setAction(n, { due: valueOf(e) })} />
            </label>
            <label>
              Kind
              <select value={item.kind} onChange={(e) => setAction(n, { kind: valueOf(e) as typeof item.kind })}>
                {options.actionKinds.map((k) => (
                  <option value={k}>{k}</option>
                ))}
              </select>
            </label>
            <label class="inline">
              <input type="checkbox" checked={item.done} onChange={(e) => setAction(n, { done: (e.currentTarget as HTMLInputElement).checked })} /> Done
            </label>
            <label class="wide">
              Tracker link
              <input type="url" value={item.link} placeholder="https://…" onInput={(e) => setAction(n, { link: valueOf(e) })} />
            </label>
            <button type="button" class="secondary" onClick={() => edit({ actionItems: content.actionItems.filter((_, i) => i !== n) })}>
              Remove action {n + 1}
            </button>
            <TrackerPlace tracking={tracking} id={item.id} />
            {problemFor(`actionItems.${n}`) && <span class="error wide">{problemFor(`actionItems.${n}`)}</span>}
          </div>
        ))}
        <button type="button" class="secondary" onClick={() => edit({ actionItems: [...content.actionItems, { id: newId('action'), description: '', owner: '', due: '', kind: options.actionKinds[0]!, link: '', done: false }] })}>
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
    </>
  );
}
