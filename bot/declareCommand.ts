import type { DeclareInput } from '../models/warRoom/declareIncident.js';
import { parseCommandLine } from './commandLine.js';
import { FIELD_INPUT_PREFIX, SHOWN_TYPE } from './cards/declareForm.js';

/**
 * The `declare` command's options: each flag and the input it fills. A table, so an option is
 * one line here (and two people adding options do not edit the same code).
 */
const DECLARE_FLAGS = {
  sev: 'severity',
  severity: 'severity',
  component: 'component',
  description: 'description',
  type: 'type',
} as const satisfies Readonly<Record<string, keyof DeclareInput>>;

/** Options that may be given more than once: `--field vector=Phishing --field "systems=db-1, db-2"`. */
const DECLARE_LISTS = ['field'] as const;
/** `--private`: the incident lives in a group chat with its members (models/incident/membership.ts). */
const DECLARE_SWITCHES = ['private'] as const;

export const DECLARE_USAGE = 'declare <title> [--sev P0-P3] [--type id] [--field name=value]… [--component name] [--private]';

/**
 * Teams sends an @mention as `<at>Megan Bowen</at>`; as one word (`@Megan_Bowen`) it survives
 * the split into words, so `--field privacy-officer=<at>Megan Bowen</at>` names her.
 */
export function mentionWord(name: string): string {
  return `@${name.trim().replace(/\s+/g, '_')}`;
}

/** What `declare …` asked for, or what is wrong with how it was typed. */
export function parseDeclareCommand(args: string): { input: DeclareInput } | { errors: readonly string[] } {
  const text = args.replace(/<at>([^<]*)<\/at>/g, (_whole, name: string) => mentionWord(name));
  const line = parseCommandLine(text, Object.keys(DECLARE_FLAGS), DECLARE_LISTS, DECLARE_SWITCHES);
  const errors = [...line.errors];
  const fields: Record<string, string> = {};
  for (const pair of line.lists.field ?? []) {
    const at = pair.indexOf('=');
    const name = at > 0 ? pair.slice(0, at).trim().toLowerCase() : '';
    if (!name) errors.push(`--field takes name=value, e.g. --field vector=Phishing (you wrote “${pair.slice(0, 80)}”)`);
    else if (Object.hasOwn(fields, name)) errors.push(`--field ${name} is given twice; give it once`);
    else fields[name] = pair.slice(at + 1);
  }
  if (errors.length > 0) return { errors };
  const input: Record<string, string> = {};
  for (const [flag, key] of Object.entries(DECLARE_FLAGS)) {
    const value = line.flags[flag];
    if (value !== undefined && input[key] === undefined) input[key] = value;
  }
  return { input: { ...input, title: line.positional, ...(Object.keys(fields).length > 0 ? { fields } : {}), ...(line.switches.has('private') ? { private: true } : {}) } };
}

/** What the form sent, as declare input (the extra fields gathered by their input ids), and which type's fields it showed. */
export function declareInputFromForm(data: Readonly<Record<string, unknown>>): { input: DeclareInput; shownType?: string } {
  const str = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : undefined);
  const fields = Object.fromEntries(
    Object.entries(data)
      .filter(([key, value]) => key.startsWith(FIELD_INPUT_PREFIX) && typeof value === 'string' && value.trim() !== '')
      .map(([key, value]) => [key.slice(FIELD_INPUT_PREFIX.length), value]),
  );
  const input: DeclareInput = {
    title: str('title'),
    severity: str('severity'),
    component: str('component'),
    description: str('description'),
    type: str('type'),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    // The form's Private switch (Input.Toggle sends "true"/"false"; the verb's schema makes it a boolean).
    ...(data.private === true || data.private === 'true' ? { private: true } : {}),
  };
  return { input, shownType: str(SHOWN_TYPE) };
}
