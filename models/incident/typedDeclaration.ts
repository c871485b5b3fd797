/**
 * The type and extra fields someone declares an incident with, as typed (`--type security
 * --field vector=phishing`, or the form's choices), checked against the tenant's types. Every
 * door (chat, form, message extension, import) comes through here, so a bad type or value gets
 * the same answer wherever it was typed: what was wrong, what was written, and what is accepted.
 */
import { parseFieldValues, describeField, type FieldValues } from './extraFields.js';
import { defaultType, findType, type IncidentType, type IncidentTypes } from './incidentTypes.js';

/** The type as typed (its id or label) and the field values by field id (strings from chat and forms, people once resolved). */
export interface TypedInput {
  readonly type?: string;
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** The tenant's types in words, for answers: "service-outage (Service outage), security (Security)". */
export function typeList(types: IncidentTypes): string {
  return types.list.map((t) => `${t.id} (${t.label})`).join(', ');
}

/** The type a declaration names, or the tenant's default when it names none; undefined for a type the tenant does not have. */
export function chosenType(types: IncidentTypes, typed: string | undefined): IncidentType | undefined {
  return typed === undefined || typed.trim() === '' ? defaultType(types) : findType(types, typed);
}

const shown = (raw: unknown): string => (typeof raw === 'string' ? raw : typeof raw === 'object' && raw !== null && 'name' in raw ? String((raw as { name: unknown }).name) : String(raw)).slice(0, 80);

/**
 * Checks the type and its fields together: an unknown type is named with the valid ones (its
 * fields cannot be checked without it); bad field values are named with what they accept and
 * what was written, so the person can fix them without retyping from memory.
 */
export function checkTyped(types: IncidentTypes, input: TypedInput): { readonly type: IncidentType; readonly fields: FieldValues } | { readonly problems: readonly string[] } {
  const type = chosenType(types, input.type);
  if (!type) return { problems: [`unknown type "${(input.type ?? '').slice(0, 40)}"; the types are ${typeList(types)}`] };
  const raw = input.fields ?? {};
  const parsed = parseFieldValues(type.fields, raw);
  if ('values' in parsed) return { type, fields: parsed.values };
  return {
    problems: parsed.problems.map((p) => {
      const field = type.fields.find((f) => f.id === p.field);
      const given = Object.hasOwn(raw, p.field) ? raw[p.field] : undefined;
      const wrote = given === undefined || given === '' ? '' : ` (you wrote “${shown(given)}”)`;
      const accepts = field ? `; ${field.id} takes ${describeField(field)}` : '';
      return `${p.message}${wrote}${accepts}`;
    }),
  };
}
