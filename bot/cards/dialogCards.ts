/**
 * The dialogs a card opens for typing (post an update, change severity with a reason, the public
 * status). Each opens with the record as it is now; when a submit is refused the dialog comes
 * back with what the person typed and why, so nothing typed is lost.
 */
import { incidentLabel, type Incident } from '../../models/incident/incident.js';
import { PUBLIC_STATUSES } from '../../models/incident/publicStatus.js';
import type { Severities } from '../../models/incident/tenantProfile.js';
import { TEXT_LIMITS } from '../../models/actions/limits.js';
import { md } from '../../models/support/markdown.js';
import { DIALOGS, submitDialog } from './cardVerbs.js';
import { adaptiveCard, severityChoices, text, type CardElement } from './common.js';

/** What the person typed last time (kept when a submit is refused) and why it was refused. */
export interface DialogState {
  readonly typed?: Readonly<Record<string, string | undefined>>;
  readonly problem?: string;
}

function heading(incident: Incident, what: string, state: DialogState): CardElement[] {
  return [
    text(`${what} · ${incidentLabel(incident)}`, { weight: 'Bolder', size: 'Medium' }),
    text(incident.title, { isSubtle: true, spacing: 'None' }),
    ...(state.problem ? [{ type: 'Container', style: 'attention', items: [text(state.problem, { size: 'Small' })] }] : []),
  ];
}

export function updateDialogCard(incident: Incident, state: DialogState = {}): CardElement {
  const last = incident.lastUpdate;
  return adaptiveCard(
    [
      ...heading(incident, 'Post an update', state),
      ...(last ? [text(md`Last update by ${last.by.name}: ${last.text}`, { size: 'Small', isSubtle: true, maxLines: 3 })] : []),
      {
        type: 'Input.Text',
        id: 'updateText',
        label: 'What changed, what is next? Goes to the channel and the broadcast thread.',
        isMultiline: true,
        maxLength: TEXT_LIMITS.update,
        isRequired: true,
        errorMessage: 'Write the update first',
        value: state.typed?.updateText ?? '',
      },
    ],
    [submitDialog(incident, 'Post to channel and broadcast', DIALOGS.update, {}, { style: 'positive' })],
  );
}

export function severityDialogCard(incident: Incident, severities: Severities, state: DialogState = {}): CardElement {
  return adaptiveCard(
    [
      ...heading(incident, 'Change severity', state),
      text(md`Now **${incident.severity} ${severities[incident.severity].label}**: ${severities[incident.severity].definition}`, { size: 'Small' }),
      { type: 'Input.ChoiceSet', id: 'severityTo', label: 'New severity', style: 'expanded', value: state.typed?.severityTo ?? incident.severity, choices: severityChoices(severities) },
      { type: 'Input.Text', id: 'reason', label: 'Why (on the timeline and in the announcement)', isMultiline: true, maxLength: TEXT_LIMITS.severityReason, value: state.typed?.reason ?? '' },
    ],
    [submitDialog(incident, 'Change severity', DIALOGS.severity, {}, { style: 'positive' })],
  );
}

export function publicStatusDialogCard(incident: Incident, state: DialogState = {}): CardElement {
  const current = incident.publicStatus;
  const owner = incident.roles.communications ?? incident.roles.commander;
  return adaptiveCard(
    [
      ...heading(incident, 'Public status page', state),
      text(md`What customers read${owner ? md`, written by ${owner.name}` : ''}. Internal updates are never published.`, { size: 'Small' }),
      {
        type: 'Input.ChoiceSet',
        id: 'publicStatus',
        label: 'Public status',
        value: state.typed?.publicStatus ?? current?.status ?? (incident.status === 'resolved' ? 'resolved' : 'investigating'),
        choices: PUBLIC_STATUSES.map((s) => ({ title: s, value: s })),
      },
      { type: 'Input.Text', id: 'publicText', label: 'What customers read', isMultiline: true, maxLength: TEXT_LIMITS.publicText, isRequired: true, errorMessage: 'Write what customers should read first', value: state.typed?.publicText ?? current?.text ?? '' },
    ],
    [submitDialog(incident, 'Publish to the status page', DIALOGS.publicStatus, {}, { style: 'positive' })],
  );
}
