/**
 * Someone saved the post-mortem while this person was editing. Shown right above the Save bar,
 * where they just clicked, with the focus on it: for each section both changed, their text and
 * mine side by side and a choice (keep theirs, keep mine, keep both for texts and lists); what
 * only one of them changed is merged without asking, and the panel says so.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { MergeChoice, MergePlan, SectionMerge } from '../../models/postmortem/merge.js';
import type { PostmortemField } from '../../models/postmortem/sections.js';
import { shortTime } from './format.js';
import { TIMES, type Content } from './PostmortemFields.js';
import type { PostmortemJson } from './types.js';

export interface Conflict {
  readonly message: string;
  readonly theirs: PostmortemJson;
  readonly plan: MergePlan;
  readonly choices: Partial<Record<PostmortemField, MergeChoice>>;
}

interface Props {
  readonly conflict: Conflict;
  readonly busy: boolean;
  readonly onChoose: (field: PostmortemField, choice: MergeChoice) => void;
  readonly onLoadTheirs: () => void;
  readonly onBack: () => void;
}

const CHOICE_LABELS: Readonly<Record<MergeChoice, string>> = { theirs: 'Keep theirs', mine: 'Keep mine', both: 'Keep both' };

function Value({ section, value }: { section: SectionMerge; value: unknown }) {
  if (section.kind === 'list') {
    const items = value as (Content['rootCauses'][number] | Content['actionItems'][number])[];
    if (items.length === 0) return <p class="muted">None</p>;
    return (
      <ol>
        {items.map((item) => (
          <li key={item.id}>
            {item.description}
            <span class="muted"> · {'type' in item ? `type: ${item.type}` : [item.kind, item.owner || 'no owner', item.due && `due ${item.due}`, item.done && 'done'].filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ol>
    );
  }
  if (section.kind === 'times') {
    const times = value as Content['times'];
    return (
      <ul class="plain">
        {TIMES.map(({ field, label }) => (
          <li>
            {label}: {times[field] ? `${times[field]!.slice(0, 16).replace('T', ' ')} UTC` : 'not set'}
          </li>
        ))}
      </ul>
    );
  }
  if (section.kind === 'choice') return <p>{String(value)} h</p>;
  return (value as string).trim() ? <p class="side-text">{value as string}</p> : <p class="muted">Empty</p>;
}

export function ConflictPanel({ conflict, busy, onChoose, onLoadTheirs, onBack }: Props) {
  const panel = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    panel.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus({ preventScroll: true });
  }, [conflict.theirs.version]);
  const { theirs, plan, choices } = conflict;
  const them = `${theirs.savedBy ?? 'someone'}, version ${theirs.version}${theirs.savedAt ? ` at ${shortTime(theirs.savedAt)}` : ''}`;
  const named = (who: SectionMerge['changedBy']) => plan.sections.filter((s) => !s.conflict && s.changedBy === who).map((s) => s.label);
  const taken = named('them');
  const kept = named('me');
  const same = plan.sections.filter((s) => !s.conflict && s.changedBy === 'both').map((s) => s.label);
  const conflicts = plan.sections.filter((s) => s.conflict);
  return (
    <section class="conflict-panel" ref={panel} data-testid="pm-conflict" aria-labelledby="pm-conflict-heading">
      <h3 id="pm-conflict-heading" ref={heading} tabIndex={-1}>
        {theirs.savedBy ?? 'Someone'} saved version {theirs.version} while you were editing
      </h3>
      <p role="alert">{conflict.message}</p>
      <ul class="merge-summary" data-testid="pm-merge-summary">
        {taken.length > 0 && <li>Taken from their version (only they changed it): {taken.join(', ')}.</li>}
        {kept.length > 0 && <li>Yours kept (only you changed it): {kept.join(', ')}.</li>}
        {same.length > 0 && <li>You both made the same change: {same.join(', ')}.</li>}
      </ul>
      {conflicts.map((section) => (
        <fieldset class="merge-section" data-testid={`pm-merge-${section.field}`} disabled={busy}>
          <legend>{section.label}: you both changed it</legend>
          <div class="sides">
            <div class="side" data-testid="theirs">
              <h4>Theirs ({them})</h4>
              <Value section={section} value={section.options!.theirs} />
            </div>
            <div class="side" data-testid="mine">
              <h4>Yours</h4>
              <Value section={section} value={section.options!.mine} />
            </div>
          </div>
          <div class="choices" role="radiogroup" aria-label={`${section.label}: which to keep`}>
            {(['theirs', 'mine', 'both'] as const)
              .filter((choice) => choice !== 'both' || section.options!.both !== undefined)
              .map((choice) => (
                <label class="inline">
                  <input type="radio" name={`merge-${section.field}`} checked={choices[section.field] === choice} onChange={() => onChoose(section.field, choice)} /> {CHOICE_LABELS[choice]}
                </label>
              ))}
          </div>
          {choices[section.field] === 'both' && (
            <div class="side both" data-testid="both">
              <h4>Both, merged</h4>
              <Value section={section} value={section.options!.both} />
            </div>
          )}
        </fieldset>
      ))}
      <p class="muted">
        {conflicts.length > 0 ? `Choose for each section above, then save the merge below as version ${theirs.version + 1}.` : `Save the merge below as version ${theirs.version + 1}.`}
      </p>
      <button type="button" class="secondary" disabled={busy} onClick={onLoadTheirs}>
        Discard mine, load version {theirs.version}
      </button>{' '}
      <button type="button" class="secondary" disabled={busy} onClick={onBack}>
        Back to my text
      </button>
    </section>
  );
}
