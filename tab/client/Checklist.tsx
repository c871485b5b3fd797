/** The SOP checklist for the incident's severity; every tick is on the timeline with who and when. */
import { useState } from 'preact/hooks';
import { actionKey, type Api } from './api.js';
import { shortTime } from './format.js';
import type { ChecklistJson, Snapshot } from './types.js';

interface Props {
  readonly api: Api;
  readonly checklist: ChecklistJson;
  readonly severity: string;
  readonly onChange: (snapshot: Snapshot) => void;
  readonly readOnly: boolean;
}

export function Checklist({ api, checklist, severity, onChange, readOnly }: Props) {
  const [busy, setBusy] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const phases = [...new Set(checklist.items.map((i) => i.phase))];

  const toggle = async (id: string, done: boolean) => {
    setBusy(id);
    try {
      onChange(await api.send<Snapshot>('PUT', `/checklist/${encodeURIComponent(id)}`, { done, key: actionKey() }));
      setProblem(undefined);
    } catch (error) {
      setProblem((error as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section aria-labelledby="checklist-heading">
      <h2 id="checklist-heading">
        {severity} checklist · {checklist.done} of {checklist.total} done
      </h2>
      <progress max={checklist.total} value={checklist.done} aria-label="Checklist progress" />
      {problem && <p role="alert" class="error">{problem}</p>}
      {phases.map((phase) => (
        <fieldset class="phase">
          <legend>{phase}</legend>
          {checklist.items
            .filter((i) => i.phase === phase)
            .map((item) => (
              <div class={`check ${item.done ? 'done' : ''}`} key={item.id}>
                <input
                  type="checkbox"
                  id={`check-${item.id}`}
                  checked={Boolean(item.done)}
                  disabled={readOnly || busy === item.id}
                  onChange={(e) => void toggle(item.id, (e.currentTarget as HTMLInputElement).checked)}
                />
                <label for={`check-${item.id}`}>
                  {item.text}
                  {item.done && (
                    <span class="muted">
                      {' '}
                      — {item.done.by}, {shortTime(item.done.at!)}
                    </span>
                  )}
                </label>
              </div>
            ))}
        </fieldset>
      ))}
    </section>
  );
}
