import { CAUSE_TYPES, ENVIRONMENTS, incidentLabel, SUMMARY_LABELS, type Incident } from '../../models/incident/incident.js';
import { TEXT_LIMITS } from '../../models/actions/limits.js';
import { CARD_VERBS, execute } from './cardVerbs.js';
import { adaptiveCard, text, type CardElement } from './common.js';

const choice = (values: readonly string[]) => values.map((v) => ({ title: v, value: v }));

/** The status summary template as inputs, pre-filled from the record ("UNKNOWN" where not known). */
export function summaryForm(incident: Incident): { body: CardElement[] } {
  const s = incident.summary;
  const field = (id: string, label: string, value: string | undefined, placeholder: string): CardElement => ({
    type: 'Input.Text',
    id,
    label,
    value: value && value !== 'UNKNOWN' ? value : '',
    placeholder,
    maxLength: TEXT_LIMITS.summaryField,
  });
  return {
    body: [
      text('Say UNKNOWN (or leave blank) for what you do not know yet.', { isSubtle: true, size: 'Small' }),
      { type: 'Input.ChoiceSet', id: 'environment', label: SUMMARY_LABELS.environment, value: s?.environment ?? 'Production', choices: choice(ENVIRONMENTS) },
      field('component', SUMMARY_LABELS.component, s?.component ?? incident.component, 'payments-api'),
      field('probableCause', SUMMARY_LABELS.probableCause, s?.probableCause, 'Deploy 2026.05.01-3'),
      field('frequency', SUMMARY_LABELS.frequency, s?.frequency, 'Every request since 14:02'),
      { type: 'Input.ChoiceSet', id: 'type', label: SUMMARY_LABELS.type, value: s?.type ?? 'UNKNOWN', choices: [...choice(CAUSE_TYPES.filter((t) => t !== 'Unknown')), { title: 'Unknown', value: 'UNKNOWN' }] },
      field('recoveryEstimate', SUMMARY_LABELS.recoveryEstimate, s?.recoveryEstimate, 'Minutes / hours / days'),
      field('workingOnIt', SUMMARY_LABELS.workingOnIt, s?.workingOnIt, 'Names'),
      field('currentAction', SUMMARY_LABELS.currentAction, s?.currentAction, 'Rolling back'),
      field('nextAction', SUMMARY_LABELS.nextAction, s?.nextAction, 'Watch error rate for 15 min'),
      text('Channel topic', { weight: 'Bolder', separator: true }),
      { type: 'Input.Text', id: 'topicLine', label: 'Brief line about the problem', value: incident.topic?.line ?? '', maxLength: TEXT_LIMITS.topic },
      { type: 'Input.Text', id: 'sreOwner', label: 'SRE owner', value: incident.topic?.sreOwner ?? '', maxLength: 80 },
      { type: 'Input.Text', id: 'devOwner', label: 'Developer owner', value: incident.topic?.devOwner ?? '', maxLength: 80 },
      { type: 'Input.Toggle', id: 'dataLoss', title: 'Data loss or corruption', value: incident.dataLoss ? 'true' : 'false', valueOn: 'true', valueOff: 'false' },
    ],
  };
}

/** The summary form on its own card (the `summary` command and the "Edit summary" call to action). */
export function summaryFormCard(incident: Incident): CardElement {
  return adaptiveCard([text(`Status summary for ${incidentLabel(incident)}`, { weight: 'Bolder', size: 'Medium' }), ...summaryForm(incident).body], [execute(incident, 'Save summary', CARD_VERBS.summary)]);
}
