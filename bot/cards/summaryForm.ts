import { CAUSE_TYPES, ENVIRONMENTS, incidentLabel, SUMMARY_LABELS, type Incident } from '../../models/incident/incident.js';
import { summaryFormValues, type SummaryConflict, type SummaryFormField, type SummaryFormValues } from '../../models/actions/summaryEdit.js';
import { TEXT_LIMITS } from '../../models/actions/limits.js';
import { md } from '../../models/support/markdown.js';
import { DIALOGS, openDialog, submitDialog } from './cardVerbs.js';
import { adaptiveCard, text, type CardElement } from './common.js';

const choice = (values: readonly string[]) => values.map((v) => ({ title: v, value: v }));

/** Where a conflicting field's choice is sent: `keep.<field>` = `theirs` or `mine`. */
export const KEEP_PREFIX = 'keep.';

export interface SummaryFormState {
  /** What the boxes hold: the record's values, or what the person wrote when they must choose. */
  readonly values?: Partial<SummaryFormValues>;
  /** Fields someone else changed since the person opened the form. */
  readonly conflicts?: readonly SummaryConflict[];
  /** Why the last save was refused, if it was. */
  readonly problem?: string;
}

/** A field someone else changed meanwhile: their value, and the person's choice (their own words stay in the box). */
function conflictNotice(conflict: SummaryConflict): CardElement[] {
  return [
    {
      type: 'Container',
      style: 'warning',
      items: [
        text(md`**${conflict.label}** was changed by someone else since you opened this form. Now: “${conflict.theirs}”. Yours: “${conflict.mine}”.`, { size: 'Small' }),
        {
          type: 'Input.ChoiceSet',
          id: `${KEEP_PREFIX}${conflict.field}`,
          label: `Keep for ${conflict.label}`,
          style: 'expanded',
          value: 'theirs',
          choices: [
            { title: 'Theirs (the current value)', value: 'theirs' },
            { title: 'Mine (what is in the box below)', value: 'mine' },
          ],
        },
      ],
    },
  ];
}

/**
 * The status summary template as a dialog, opened with the record's values now ("UNKNOWN" shows
 * as empty). The save button carries those values as its base, so a save changes only what this
 * person changed; conflicts come back here with both values and a choice.
 */
export function summaryDialogCard(incident: Incident, state: SummaryFormState = {}): CardElement {
  const current = summaryFormValues(incident);
  const values = { ...current, ...state.values };
  const conflicted = new Map((state.conflicts ?? []).map((c) => [c.field, c]));
  const withConflict = (field: SummaryFormField, input: CardElement): CardElement[] => [...(conflicted.has(field) ? conflictNotice(conflicted.get(field)!) : []), input];
  const field = (id: SummaryFormField, label: string, placeholder: string, maxLength: number = TEXT_LIMITS.summaryField): CardElement[] =>
    withConflict(id, { type: 'Input.Text', id, label, value: values[id], placeholder, maxLength });
  const body: CardElement[] = [
    text(`Status summary for ${incidentLabel(incident)}`, { weight: 'Bolder', size: 'Medium' }),
    text('Say UNKNOWN (or leave blank) for what you do not know yet. Only the fields you change are saved.', { isSubtle: true, size: 'Small' }),
    ...(state.problem ? [{ type: 'Container', style: 'attention', items: [text(state.problem, { size: 'Small' })] }] : []),
    // What needs a choice, at the top where the person looks first; each field below has the choice.
    ...(state.conflicts?.length
      ? [{ type: 'Container', style: 'warning', items: state.conflicts.map((c) => text(md`**${c.label}**: now “${c.theirs}”; yours “${c.mine}”`, { size: 'Small' })) }]
      : []),
    ...withConflict('environment', { type: 'Input.ChoiceSet', id: 'environment', label: SUMMARY_LABELS.environment, value: values.environment || 'Production', choices: choice(ENVIRONMENTS) }),
    ...field('component', SUMMARY_LABELS.component, 'payments-api'),
    ...field('probableCause', SUMMARY_LABELS.probableCause, 'Deploy 2026.05.01-3'),
    ...field('frequency', SUMMARY_LABELS.frequency, 'Every request since 14:02'),
    ...withConflict('type', { type: 'Input.ChoiceSet', id: 'type', label: SUMMARY_LABELS.type, value: values.type || 'UNKNOWN', choices: [...choice(CAUSE_TYPES.filter((t) => t !== 'Unknown')), { title: 'Unknown', value: 'UNKNOWN' }] }),
    ...field('recoveryEstimate', SUMMARY_LABELS.recoveryEstimate, 'Minutes / hours / days'),
    ...field('workingOnIt', SUMMARY_LABELS.workingOnIt, 'Names'),
    ...field('currentAction', SUMMARY_LABELS.currentAction, 'Rolling back'),
    ...field('nextAction', SUMMARY_LABELS.nextAction, 'Watch error rate for 15 min'),
    text('Channel topic', { weight: 'Bolder', separator: true }),
    ...field('topicLine', 'Brief line about the problem', 'Checkout fails for card payments', TEXT_LIMITS.topic),
    ...field('sreOwner', 'SRE owner', 'Name', 80),
    ...field('devOwner', 'Developer owner', 'Name', 80),
    { type: 'Input.Toggle', id: 'dataLoss', title: 'Data loss or corruption', value: incident.dataLoss ? 'true' : 'false', valueOn: 'true', valueOff: 'false' },
  ];
  // The base is the record as this form shows it; after a conflict, the record as it is now (so choosing "mine" saves it).
  return adaptiveCard(body, [submitDialog(incident, 'Save summary', DIALOGS.summary, { base: current }, { style: 'positive' })]);
}

/** What the `summary` command posts: a button that opens the form with the values of the moment it is pressed. */
export function summaryFormCard(incident: Incident): CardElement {
  return adaptiveCard(
    [text(`Status summary for ${incidentLabel(incident)}`, { weight: 'Bolder', size: 'Medium' }), text('The form opens with the summary as it is when you press the button, and saves only what you change.', { isSubtle: true, size: 'Small' })],
    [openDialog(incident, 'Edit the status summary', DIALOGS.summary, { style: 'positive' })],
  );
}
