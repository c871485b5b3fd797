/**
 * The extra fields an incident type asks for (the attack vector of a security incident, the
 * number of records of a data incident) and the values people give them. The declare form, the
 * card and the post-mortem show them. Every value is checked here, whichever door it came
 * through (chat, form, message extension, import): a bad value gets an answer naming the field
 * and what it accepts, and nothing half-valid is stored.
 */
import type { Person } from './person.js';

export const FIELD_KINDS = ['text', 'choice', 'person', 'number'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

interface FieldBase {
  /** Lowercase letters, digits and dashes: how chat names it (`--field records=1200`) and how values are stored. */
  readonly id: string;
  readonly label: string;
  /** A line under the field on the form: what to put there. */
  readonly help?: string;
  readonly required: boolean;
}
export interface TextField extends FieldBase {
  readonly kind: 'text';
  readonly maxLength: number;
  readonly multiline: boolean;
}
export interface ChoiceField extends FieldBase {
  readonly kind: 'choice';
  readonly options: readonly string[];
}
export interface PersonField extends FieldBase {
  readonly kind: 'person';
}
export interface NumberField extends FieldBase {
  readonly kind: 'number';
  readonly min?: number;
  readonly max?: number;
  readonly integer: boolean;
  /** Shown after the value ("1,200 records"). */
  readonly unit?: string;
}
export type FieldDefinition = TextField | ChoiceField | PersonField | NumberField;

export type FieldValue = string | number | Person;
/** An incident's extra-field values, by field id. */
export type FieldValues = Readonly<Record<string, FieldValue>>;

/** Bounds that keep a form readable and a card within Teams' message size. */
export const FIELD_LIMITS = {
  fieldsPerType: 12,
  labelLength: 60,
  helpLength: 200,
  textMax: 2000,
  textDefault: 500,
  optionsMax: 50,
  optionLength: 80,
  unitLength: 20,
} as const;

export const FIELD_ID = /^[a-z][a-z0-9-]{0,29}$/;

/** What a field accepts, in words: for refusals, the form's placeholder and `check-config`. */
export function describeField(field: FieldDefinition): string {
  const required = field.required ? ', required' : '';
  return `${field.label} (${FIELD_SHAPES[field.kind](field as never)}${required})`;
}

const FIELD_SHAPES: { readonly [K in FieldKind]: (field: Extract<FieldDefinition, { kind: K }>) => string } = {
  text: (f) => `text${f.multiline ? ', several lines' : ''}, at most ${f.maxLength} characters`,
  choice: (f) => `one of ${f.options.join(' | ')}`,
  person: () => 'a person',
  number: (f) => {
    const range = f.min !== undefined && f.max !== undefined ? ` from ${f.min} to ${f.max}` : f.min !== undefined ? ` of at least ${f.min}` : f.max !== undefined ? ` of at most ${f.max}` : '';
    return `${f.integer ? 'a whole number' : 'a number'}${range}${f.unit ? `, in ${f.unit}` : ''}`;
  },
};

export interface FieldProblem {
  /** The field id as given (it may be one the type doesn't have). */
  readonly field: string;
  readonly message: string;
}

type Parsed = { readonly value: FieldValue } | { readonly problem: string };

// Control characters other than line breaks and tabs never belong in a field (they break cards and exports).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// 1200, -3, 0.5, 1,200, 1,200.75: a point for decimals, commas only as thousands separators.
const NUMBER = /^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

const PARSERS: { readonly [K in FieldKind]: (field: Extract<FieldDefinition, { kind: K }>, raw: unknown) => Parsed } = {
  text: (field, raw) => {
    if (typeof raw !== 'string') return { problem: 'must be text' };
    let text = raw.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
    if (!field.multiline) text = text.replace(/\s*\n\s*/g, ' ');
    if (text.length > field.maxLength) return { problem: `is ${text.length} characters long; at most ${field.maxLength}` };
    return { value: text };
  },
  choice: (field, raw) => {
    const option = typeof raw === 'string' ? field.options.find((o) => o.toLowerCase() === raw.trim().toLowerCase()) : undefined;
    return option ? { value: option } : { problem: `must be one of: ${field.options.join(', ')}` };
  },
  person: (_field, raw) => {
    if (typeof raw === 'string') return { problem: 'must be a person: @mention them in chat, or pick them on the form' };
    const person = raw as Partial<Person> | null;
    if (typeof person !== 'object' || person === null || typeof person.id !== 'string' || !person.id.trim() || typeof person.name !== 'string' || !person.name.trim()) {
      return { problem: 'must be a person (with a Teams id and a name)' };
    }
    return { value: { id: person.id.trim(), name: person.name.trim(), ...(typeof person.aadObjectId === 'string' && person.aadObjectId ? { aadObjectId: person.aadObjectId } : {}) } };
  },
  number: (field, raw) => {
    const compact = typeof raw === 'string' ? raw.replace(/[\s\u00a0\u202f_]/g, '') : undefined;
    if (compact !== undefined && !NUMBER.test(compact)) {
      return { problem: /^[+-]?\d+,\d{1,2}$/.test(compact) ? 'must be a number; use a point for decimals (12.5, not 12,5)' : 'must be a number' };
    }
    const value = typeof raw === 'number' ? raw : compact !== undefined ? Number(compact.replace(/,/g, '')) : NaN;
    if (!Number.isFinite(value)) return { problem: 'must be a number' };
    if (field.integer && !Number.isInteger(value)) return { problem: 'must be a whole number' };
    if (field.min !== undefined && value < field.min) return { problem: `must be at least ${field.min}` };
    if (field.max !== undefined && value > field.max) return { problem: `must be at most ${field.max}` };
    return { value };
  },
};

const isEmpty = (raw: unknown) => raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');

/**
 * Checks the values given for a type's fields: unknown field ids, missing required ones and
 * values of the wrong shape are all named at once. Empty optional fields are left out.
 * `partial` checks only the fields named (an edit of one field after declaring).
 */
export function parseFieldValues(
  fields: readonly FieldDefinition[],
  raw: Readonly<Record<string, unknown>>,
  options: { readonly partial?: boolean } = {},
): { readonly values: FieldValues } | { readonly problems: readonly FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const values: Record<string, FieldValue> = {};
  const known = new Set(fields.map((f) => f.id));
  for (const id of Object.keys(raw).filter((key) => !known.has(key))) {
    problems.push({ field: id, message: fields.length > 0 ? `there is no field "${id}" for this type; its fields are ${fields.map((f) => f.id).join(', ')}` : `there is no field "${id}": this type has no extra fields` });
  }
  for (const field of fields) {
    // Own keys only: a field called "constructor" must not find Object.prototype's.
    const given = Object.hasOwn(raw, field.id);
    if (options.partial && !given) continue;
    const input = given ? raw[field.id] : undefined;
    if (isEmpty(input)) {
      if (field.required) problems.push({ field: field.id, message: `${field.label} is required` });
      continue;
    }
    const parsed = PARSERS[field.kind](field as never, input);
    if ('problem' in parsed) problems.push({ field: field.id, message: `${field.label} ${parsed.problem}` });
    else values[field.id] = parsed.value;
  }
  return problems.length > 0 ? { problems } : { values };
}

/** A value as the card, the tab and the post-mortem show it (plain text; the caller escapes for its markup). */
export function formatFieldValue(field: FieldDefinition, value: FieldValue): string {
  if (typeof value === 'object') return value.name;
  if (typeof value === 'number') {
    const number = value.toLocaleString('en-US', { maximumFractionDigits: 6 });
    return field.kind === 'number' && field.unit ? `${number} ${field.unit}` : number;
  }
  return value;
}

/** The fields that have a value, in the type's order, as label and shown value. */
export function fieldFacts(fields: readonly FieldDefinition[], values: FieldValues | undefined): { label: string; value: string }[] {
  return fields.flatMap((field) => {
    const value = values && Object.hasOwn(values, field.id) ? values[field.id] : undefined;
    return value === undefined ? [] : [{ label: field.label, value: formatFieldValue(field, value) }];
  });
}
