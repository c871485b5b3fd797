/**
 * The one rule for text the bot writes in Markdown (chat messages, card TextBlocks and facts,
 * the Markdown export): people's words enter it only through `md`, which escapes them. Teams
 * renders Markdown in messages and cards, so a title like `[Re-authenticate](https://evil…)`
 * would otherwise reach the on-call engineer as a link the bot seems to vouch for.
 *
 * `Markdown` is an object, not a string, so that a plain template string can never be passed
 * where Markdown is expected (it does not type-check) and so that `md` can tell, at run time,
 * pieces that are already Markdown (kept) from plain strings (escaped). It turns into its text
 * with String(), in template strings and in JSON.
 */

/**
 * Everything Teams' Markdown and Adaptive Card TextBlock markdown (and CommonMark/GFM viewers of
 * the export) might read as syntax, all ASCII punctuation, so a backslash makes each literal:
 * emphasis `* _ ~`, links and images `[ ] ( ) !`, code `` ` ``, headings, lists and breaks
 * `# + - . = |` (`1.` lists, setext `===`, tables), quotes and HTML (`<at>` mentions) `> <`,
 * entities `&`, Teams' `{{DATE(…)}}` `{ }`, and `:`, which breaks every autolink scheme
 * (`https:`, `javascript:`, `mailto:`); with `.` also escaped, `evil.example` is no domain to a
 * linkifier either. Escaping keeps every character visible (nothing is stripped), unlike a code
 * span, which Adaptive Cards do not know (the backticks would show and the inside stay Markdown).
 */
const SYNTAX = /[\\`*_{}[\]()#+\-.!|<>~:=&]/g;

/** The escaping function: `text` as literal Markdown that reads as typed. */
export function escapeMarkdown(text: string): string {
  return text.replace(SYNTAX, (c) => `\\${c}`);
}

/** What `md` takes: Markdown as it is, plain text and numbers escaped. Undefined does not type-check (no "undefined" in messages). */
export type MarkdownValue = Markdown | string | number;

export class Markdown {
  /** Only the functions of this file make Markdown: md, mdJoin, mdLink, mdCode, fillMarkdown, trustedMarkdown. */
  private constructor(
    private readonly source: string,
    /** The same words with user text as typed, no escapes: for the timeline and logs, never for posting. */
    readonly unescaped: string,
  ) {}

  static make(source: string, unescaped: string, key: symbol): Markdown {
    if (key !== MINT) throw new TypeError('Markdown is made with md`…` (models/support/markdown.ts)');
    return new Markdown(source, unescaped);
  }

  get isEmpty(): boolean {
    return this.source.trim() === '';
  }

  toString(): string {
    return this.source;
  }

  toJSON(): string {
    return this.source;
  }
}

/** Not exported: nothing outside this file can mint Markdown from a string. */
const MINT = Symbol('markdown');
const make = (source: string, unescaped: string) => Markdown.make(source, unescaped, MINT);
const piece = (value: MarkdownValue): [string, string] => (value instanceof Markdown ? [value.toString(), value.unescaped] : [escapeMarkdown(String(value)), String(value)]);

/** The tagged template: md`📟 **${label}**: ${incident.title}` escapes the title, keeps our `**`. */
export function md(literals: TemplateStringsArray, ...values: readonly MarkdownValue[]): Markdown {
  let source = literals[0] ?? '';
  let unescaped = source;
  values.forEach((value, i) => {
    const [s, u] = piece(value);
    source += s + (literals[i + 1] ?? '');
    unescaped += u + (literals[i + 1] ?? '');
  });
  return make(source, unescaped);
}

export function mdJoin(parts: readonly Markdown[], separator: Markdown = md``): Markdown {
  return make(parts.map(String).join(String(separator)), parts.map((p) => p.unescaped).join(separator.unescaped));
}

/**
 * A link we make (a channel, the bridge, the status page): the label escaped, the address
 * http(s) only and with what would end a Markdown link percent-encoded. Anything else keeps the
 * label and drops the link, so no `javascript:` ever becomes clickable.
 */
export function mdLink(label: MarkdownValue, url: string): Markdown {
  const text = md`${label}`;
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return text;
  const safe = url.replace(/[()<>\\[\]"'`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return make(`[${text}](${safe})`, `${text.unescaped} (${url})`);
}

/**
 * Our own command syntax as a code span (help, hints). Only for words written in the code:
 * CommonMark keeps a code span literal, but Adaptive Cards have no code spans and read the
 * inside as Markdown, so user text never goes here (md escapes it instead).
 */
export function mdCode(code: string): Markdown {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return make(`${fence}${pad}${code}${pad}${fence}`, code);
}

/**
 * Markdown written by a trusted author, never by the people using the app: a tenant admin's card
 * texts (TENANT_CONFIG_FILE) and Teams' own `<at>` mention markup. Every call site is listed in
 * test/security/markdownEscaping.test.ts; a new one fails that test until it is reviewed there.
 */
export function trustedMarkdown(source: string): Markdown {
  return make(source, source);
}

/** A trusted template's `{placeholders}` filled with values, each escaped unless already Markdown. */
export function fillMarkdown(template: Markdown, values: Readonly<Record<string, MarkdownValue>>): Markdown {
  const fill = (text: string, pick: (v: MarkdownValue) => string) =>
    text.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(values, key) ? pick(values[key]!) : whole));
  return make(fill(template.toString(), (v) => piece(v)[0]), fill(template.unescaped, (v) => piece(v)[1]));
}
