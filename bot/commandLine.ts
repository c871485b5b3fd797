/**
 * Splits `declare "Checkout API" returns 500s --sev P1 --component=payments` into words and
 * `--flags`. Quotes group words; a flag takes the next word (or `=value`). What is not a flag is
 * positional text, kept in order. A repeatable flag (`--field a=1 --field b=2`) keeps every value.
 * A switch (`--private`) takes no value: it is on when present.
 */
export interface CommandLine {
  readonly positional: string;
  readonly flags: Readonly<Record<string, string>>;
  /** The values of repeatable flags, in the order given. */
  readonly lists: Readonly<Record<string, readonly string[]>>;
  /** The switches given. */
  readonly switches: ReadonlySet<string>;
  readonly errors: readonly string[];
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const pattern = /"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+)/g;
  for (const match of text.matchAll(pattern)) tokens.push(match[1] ?? match[2] ?? match[3] ?? match[4] ?? '');
  return tokens;
}

export function parseCommandLine(text: string, knownFlags: readonly string[], repeatable: readonly string[] = [], knownSwitches: readonly string[] = []): CommandLine {
  const tokens = tokenize(text);
  const words: string[] = [];
  const flags: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  const known = [...knownFlags, ...repeatable];
  const errors: string[] = [];
  const switches = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const flag = /^(?:--|—)([a-z-]+)(?:=(.*))?$/i.exec(token);
    if (!flag) {
      words.push(token);
      continue;
    }
    const name = flag[1]!.toLowerCase();
    if (knownSwitches.includes(name) && flag[2] === undefined) {
      switches.add(name);
      continue;
    }
    if (!known.includes(name)) {
      errors.push(`unknown option --${name}; options are ${[...known, ...knownSwitches].map((f) => `--${f}`).join(', ')}`);
      continue;
    }
    const value = flag[2] ?? tokens[i + 1];
    if (flag[2] === undefined) i++;
    if (value === undefined || value.startsWith('--')) errors.push(`--${name} needs a value`);
    else if (repeatable.includes(name)) (lists[name] ??= []).push(value);
    else flags[name] = value;
  }
  return { positional: words.join(' '), flags, lists, switches, errors };
}
