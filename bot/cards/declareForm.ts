import { CARD_VERBS } from './cardVerbs.js';
import { LIMITS, type DeclareInput } from '../../models/warRoom/declareIncident.js';
import { BUILT_IN_SEVERITIES, type Severities } from '../../models/incident/tenantProfile.js';
import { BUILT_IN_TYPES, type IncidentType, type IncidentTypes } from '../../models/incident/incidentTypes.js';
import { describeField, type FieldDefinition } from '../../models/incident/extraFields.js';
import { chosenType } from '../../models/incident/typedDeclaration.js';
import { adaptiveCard, severityChoices, text, type CardElement } from './common.js';
import { md, mdJoin } from '../../models/support/markdown.js';

export const DECLARE_VERB = CARD_VERBS.declare;

/** The form's input for an extra field is `field-<field id>`; the rest of the form's ids are the declare input's own. */
export const FIELD_INPUT_PREFIX = 'field-';
/** Which type's fields the form showed: a declare with another type chosen shows that type's fields first. */
export const SHOWN_TYPE = 'shownType';

/**
 * How the form submits: in a conversation, an Action.Execute invoke (Universal Actions); in a
 * dialog (the message extension's task module), an Action.Submit whose data carries `extra`.
 */
export type DeclareFormMode = { readonly in: 'conversation' } | { readonly in: 'dialog'; readonly extra: Readonly<Record<string, unknown>> };

const typed = (raw: unknown): string => (typeof raw === 'string' ? raw : typeof raw === 'object' && raw !== null && 'id' in raw ? String((raw as { id: unknown }).id) : raw === undefined ? '' : String(raw));

/** One extra field as a form input; the value is what the person typed or picked (a person by id). */
function fieldInput(field: FieldDefinition, raw: unknown): CardElement {
  const base = { id: `${FIELD_INPUT_PREFIX}${field.id}`, label: field.required ? field.label : `${field.label} (optional)`, isRequired: field.required, errorMessage: `${field.label} is required` };
  const value = typed(raw);
  const inputs: { readonly [K in FieldDefinition['kind']]: (f: Extract<FieldDefinition, { kind: K }>) => CardElement } = {
    text: (f) => ({ type: 'Input.Text', ...base, maxLength: f.maxLength, isMultiline: f.multiline, value }),
    choice: (f) => ({ type: 'Input.ChoiceSet', ...base, placeholder: 'Choose', value, choices: f.options.map((o) => ({ title: o, value: o })) }),
    // Text, not Input.Number: "1,200" is accepted, and a bad value comes back as typed.
    number: (f) => ({ type: 'Input.Text', ...base, placeholder: describeField(f), value }),
    // The people picker (Teams' directory search), as the card's role picker uses it.
    person: () => ({
      type: 'Input.ChoiceSet',
      ...base,
      placeholder: 'Search the directory',
      value,
      // "Me" as chat's `me`: a picker needs one choice of its own before the directory answers.
      choices: [{ title: 'Me', value: 'me' }, ...(value && value !== 'me' ? [{ title: typeof raw === 'object' && raw !== null && 'name' in raw ? String((raw as { name: unknown }).name) : value, value }] : [])],
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
    }),
  };
  const input = inputs[field.kind](field as never);
  return field.help ? { type: 'Container', items: [input, text(field.help, { isSubtle: true, size: 'Small', spacing: 'None' })] } : input;
}

function typeFields(type: IncidentType, values: DeclareInput): CardElement[] {
  if (type.fields.length === 0) return [];
  const given = values.fields ?? {};
  return [
    text(md`${type.label} details`, { weight: 'Bolder', separator: true }),
    ...type.fields.map((f) => fieldInput(f, Object.hasOwn(given, f.id) ? given[f.id] : undefined)),
  ];
}

/**
 * The "Declare incident" form: the alternative to typing the command. It offers the tenant's
 * types and the chosen type's extra fields; on bad input the same form comes back with the
 * values kept.
 */
export function declareFormCard(
  values: DeclareInput = {},
  problems: readonly string[] = [],
  mode: DeclareFormMode = { in: 'conversation' },
  severities: Severities = BUILT_IN_SEVERITIES,
  types: IncidentTypes = BUILT_IN_TYPES,
): CardElement {
  const type = chosenType(types, values.type) ?? chosenType(types, undefined)!;
  const body: CardElement[] = [
    text('Declare an incident', { weight: 'Bolder', size: 'Medium' }),
    text('Incomplete information is fine: declare now, refine in the incident channel.', { isSubtle: true, spacing: 'None' }),
  ];
  if (problems.length > 0) body.push(text(mdJoin(problems.map((p) => md`• ${p}`), md`\n\n`), { color: 'attention' }));
  body.push(
    { type: 'Input.Text', id: 'title', label: 'What is happening?', placeholder: 'Checkout API returns 500s', isRequired: true, errorMessage: 'A short title is required', maxLength: LIMITS.title, value: values.title ?? '' },
    {
      type: 'Input.ChoiceSet',
      id: 'type',
      label: 'Type',
      // An unknown type typed elsewhere is not a choice: the form shows the one it would use.
      value: type.id,
      choices: types.list.map((t) => ({ title: t.label, value: t.id })),
    },
    ...(type.description ? [text(type.description, { isSubtle: true, size: 'Small', spacing: 'None' })] : []),
    {
      type: 'Input.ChoiceSet',
      id: 'severity',
      label: 'Severity',
      placeholder: `The type's usual severity (${type.label}: ${type.defaultSeverity})`,
      value: values.severity ?? '',
      choices: severityChoices(severities),
    },
    ...typeFields(type, values),
    { type: 'Input.Text', id: 'component', label: 'Component (optional)', placeholder: 'payments-api', maxLength: LIMITS.component, value: values.component ?? '', separator: type.fields.length > 0 },
    { type: 'Input.Text', id: 'description', label: 'Details (optional)', isMultiline: true, maxLength: LIMITS.description, value: values.description ?? '' },
    { type: 'Input.Toggle', id: 'private', title: 'Private: a group chat with the people I invite, no channel; only they see it', valueOn: 'true', valueOff: 'false', value: values.private ? 'true' : 'false' },
  );
  const shown = { [SHOWN_TYPE]: type.id };
  const submit = mode.in === 'dialog'
    ? { type: 'Action.Submit', title: 'Declare', style: 'destructive', data: { ...mode.extra, ...shown } }
    : { type: 'Action.Execute', title: 'Declare', verb: DECLARE_VERB, style: 'destructive', data: shown };
  return adaptiveCard(body, [submit]);
}
