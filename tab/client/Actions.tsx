/**
 * The incident card's buttons inside the tab, so people on the bridge (the meeting side panel)
 * can acknowledge, take command, move the status or severity and post an update without leaving
 * the call. Each click carries its own key: a retried request is applied once.
 */
import { useState } from 'preact/hooks';
import { actionKey, ApiError, type Api } from './api.js';
import type { IncidentJson, Snapshot } from './types.js';
import { STATUSES } from '../../models/incident/lifecycle.js';
import { SEVERITIES } from '../../models/incident/severity.js';

// The same lists the server checks against (plain constants: bundling them costs nothing).
const STATUS_CHOICES = STATUSES.filter((s) => s !== 'archived');

/** A choice and the button that applies it, enabled once the choice differs from what is. */
function PickAndApply({ label, choices, current, busy, verb, onApply, names }: { label: string; choices: readonly string[]; current: string; busy: boolean; verb: string; onApply: (to: string) => void; names?: Readonly<Record<string, string>> }) {
  const [picked, setPicked] = useState(current);
  return (
    <>
      <label class="inline">
        {label}{' '}
        <select value={picked} onChange={(e) => setPicked((e.currentTarget as HTMLSelectElement).value)} disabled={busy}>
          {choices.map((c) => (
            <option value={c}>{names?.[c] ?? c}</option>
          ))}
        </select>
      </label>
      <button type="button" class="secondary" disabled={busy || picked === current} onClick={() => onApply(picked)}>
        {verb}
      </button>
    </>
  );
}

export function Actions({ api, incident, onChange }: { api: Api; incident: IncidentJson; onChange: (next: Snapshot) => void }) {
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; error: boolean } | undefined>();
  const [update, setUpdate] = useState('');

  const act = async (body: Record<string, unknown>, after?: () => void) => {
    setBusy(true);
    try {
      const answer = await api.send<Snapshot & { message: string }>('POST', '/actions', { ...body, key: actionKey() });
      setSaid({ text: answer.message, error: false });
      onChange(answer);
      after?.();
    } catch (error) {
      setSaid({ text: (error as Error).message, error: true });
      if (error instanceof ApiError && error.body.incident) onChange(error.body as unknown as Snapshot);
    } finally {
      setBusy(false);
    }
  };
  const hasCommander = incident.roles.some((r) => r.role === 'Incident Commander');

  return (
    <section class="actions-panel" aria-label="Incident actions">
      <div class="action-row">
        {!incident.milestones.acknowledged && (
          <button type="button" disabled={busy} onClick={() => void act({ action: 'acknowledge' })}>
            Acknowledge
          </button>
        )}
        {!hasCommander && (
          <button type="button" class="secondary" disabled={busy} onClick={() => void act({ action: 'takeRole', role: 'commander' })}>
            I'm the commander
          </button>
        )}
        <PickAndApply label="Status" choices={STATUS_CHOICES} current={incident.status} busy={busy} verb="Move" onApply={(to) => void act({ action: 'status', to })} />
        <PickAndApply label="Severity" choices={SEVERITIES} current={incident.severity} busy={busy} verb="Change" onApply={(to) => void act({ action: 'severity', to })} />
        {incident.type && incident.typeChoices.length > 1 && (
          <PickAndApply
            label="Type"
            choices={incident.typeChoices.map((t) => t.id)}
            names={Object.fromEntries(incident.typeChoices.map((t) => [t.id, t.label]))}
            current={incident.type.id}
            busy={busy}
            verb="Change type"
            onApply={(to) => void act({ action: 'type', to })}
          />
        )}
        <button type="button" class="secondary" disabled={busy} onClick={() => void act({ action: 'follow' })} title="Get this incident's updates in your chat with incident-room">
          Follow
        </button>
      </div>
      <form
        class="action-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (update.trim()) void act({ action: 'update', text: update }, () => setUpdate(''));
        }}
      >
        <label for="update-text" class="visually-hidden">
          Post an update
        </label>
        <input id="update-text" type="text" maxLength={10_000} value={update} placeholder="Post an update to the channel and broadcast" onInput={(e) => setUpdate((e.currentTarget as HTMLInputElement).value)} />
        <button type="submit" disabled={busy || !update.trim()}>
          Post update
        </button>
      </form>
      {said && (
        <p role={said.error ? 'alert' : 'status'} class={said.error ? 'error' : 'muted'} data-testid="action-message">
          {said.text}
        </p>
      )}
    </section>
  );
}
