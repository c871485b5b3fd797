import { CARD_VERBS } from './cardVerbs.js';
import { LIMITS, type DeclareInput } from '../../models/warRoom/declareIncident.js';
import { DEFAULT_SEVERITY } from '../../models/incident/severity.js';
import { BUILT_IN_SEVERITIES, type Severities } from '../../models/incident/tenantProfile.js';
import { adaptiveCard, severityChoices, text, type CardElement } from './common.js';
import { md, mdJoin } from '../../models/support/markdown.js';

export const DECLARE_VERB = CARD_VERBS.declare;

/**
 * How the form submits: in a conversation, an Action.Execute invoke (Universal Actions); in a
 * dialog (the message extension's task module), an Action.Submit whose data carries `extra`.
 */
export type DeclareFormMode = { readonly in: 'conversation' } | { readonly in: 'dialog'; readonly extra: Readonly<Record<string, unknown>> };

/**
 * The "Declare incident" form: the alternative to typing the command. On bad input the same
 * form comes back with the values kept.
 */
export function declareFormCard(
  values: DeclareInput = {},
  problems: readonly string[] = [],
  mode: DeclareFormMode = { in: 'conversation' },
  severities: Severities = BUILT_IN_SEVERITIES,
): CardElement {
  const body: CardElement[] = [
    text('Declare an incident', { weight: 'Bolder', size: 'Medium' }),
    text('Incomplete information is fine: declare now, refine in the incident channel.', { isSubtle: true, spacing: 'None' }),
  ];
  if (problems.length > 0) body.push(text(mdJoin(problems.map((p) => md`• ${p}`), md`\n\n`), { color: 'attention' }));
  body.push(
    { type: 'Input.Text', id: 'title', label: 'What is happening?', placeholder: 'Checkout API returns 500s', isRequired: true, errorMessage: 'A short title is required', maxLength: LIMITS.title, value: values.title ?? '' },
    {
      type: 'Input.ChoiceSet',
      id: 'severity',
      label: 'Severity',
      value: values.severity ?? DEFAULT_SEVERITY,
      choices: severityChoices(severities),
    },
    { type: 'Input.Text', id: 'component', label: 'Component (optional)', placeholder: 'payments-api', maxLength: LIMITS.component, value: values.component ?? '' },
    { type: 'Input.Text', id: 'description', label: 'Details (optional)', isMultiline: true, maxLength: LIMITS.description, value: values.description ?? '' },
  );
  const submit = mode.in === 'dialog'
    ? { type: 'Action.Submit', title: 'Declare', style: 'destructive', data: { ...mode.extra } }
    : { type: 'Action.Execute', title: 'Declare', verb: DECLARE_VERB, style: 'destructive', data: {} };
  return adaptiveCard(body, [submit]);
}
