/**
 * What the Markdown-escaping sweep (test/security/markdownEscaping.test.ts) feeds every message
 * and card builder, and how it reads what comes out: with markdown-it (links, autolinks, raw
 * HTML and tables on), as Teams, Adaptive Card TextBlocks and a Markdown viewer would read it.
 */
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { pendingSteps, type Incident, type Person } from '../../models/incident/incident.js';
import { Markdown } from '../../models/support/markdown.js';

/** People's words at their worst: a phishing link, an image, a mention, formatting, a script link, code, a table row, a heading and a list. */
export const HOSTILE =
  '[Re-authenticate your SSO here](https://evil.example/login) ![img](https://evil.example/x.png) <at>everyone</at> **bold** _it_ ~~gone~~ ' +
  'javascript:alert(1) `tick` | a | b | {{DATE(2026-01-01T00:00:00Z, SHORT)}} https://evil.example/raw www.evil.example &lt;at&gt;\n# heading\n- item\n===';
/** The same shape in plain words (a line break where HOSTILE has one), for the markup the builder adds itself. */
export const BENIGN = 'Plain words here and more plain words\nheading words\nitem words\nend';

/** Every text field of an incident set to `s` (names, title, update, summary, topic, failures, paging, post-mortem…). */
export function incidentWith(s: string, fields: Partial<Incident> = {}): Incident {
  const declared = new Date('2026-05-01T12:00:00Z');
  const person = (id: string): Person => ({ id, name: s });
  const failed = { status: 'failed' as const, attempts: 1, error: s, hint: s };
  return {
    id: 'a'.repeat(24),
    tenantId: 'tenant-a',
    number: 42,
    title: s,
    description: s,
    component: s,
    type: 'security',
    fields: { systems: s },
    severity: 'P1',
    status: 'identified',
    reporter: person('29:reporter'),
    roles: { commander: person('29:ic'), communications: person('29:comms'), scribe: person('29:scribe'), smes: [person('29:sme')] },
    source: { kind: 'chat', key: 'k' },
    milestones: { declared, acknowledged: declared },
    channel: { id: '19:inc@thread.tacv2', name: s, webUrl: 'https://teams.microsoft.com/l/channel/x' },
    tab: { id: 't', webUrl: 'https://teams.microsoft.com/l/entity/x', contentUrl: 'https://app.example/tab' },
    provisioning: { complete: true, steps: { ...pendingSteps(), meeting: failed } },
    summary: { environment: s, component: s, probableCause: s, frequency: s, type: s, recoveryEstimate: s, workingOnIt: s, currentAction: s, nextAction: s },
    topic: { line: s, sreOwner: s, devOwner: s },
    lastUpdate: { text: s, at: declared, by: person('29:updater') },
    monitorResolved: { at: declared, title: s, source: 'generic' },
    paging: { level: 0, label: s, people: [person('29:paged')], at: declared },
    publicStatus: { status: 'investigating', text: s, at: declared, by: person('29:comms'), error: s },
    postmortem: { version: 2, savedAt: declared, savedBy: person('29:pm') },
    followers: [person('29:follower')],
    createdAt: declared,
    updatedAt: declared,
    version: 3,
    ...fields,
  };
}

/** The Markdown texts in whatever a builder returns: Markdown, strings, cards (TextBlocks and facts, nested), activities. */
export function markdownTexts(output: unknown): string[] {
  if (output instanceof Markdown || typeof output === 'string') return [String(output)];
  if (Array.isArray(output)) return output.flatMap(markdownTexts);
  if (!output || typeof output !== 'object') return [];
  const o = output as Record<string, unknown>;
  const own: string[] = [];
  if ((o.type === 'TextBlock' || o.type === 'message') && typeof o.text === 'string') own.push(o.text);
  if (o.type === 'FactSet' && Array.isArray(o.facts)) for (const f of o.facts as { title: string; value: string }[]) own.push(f.title, f.value);
  // Other strings in a card (input values, button titles, choices) are plain text, not Markdown: only nested elements are read.
  return [...own, ...Object.values(o).filter((v) => v && typeof v === 'object').flatMap(markdownTexts)];
}

const parser = new MarkdownIt({ html: true, linkify: true });
parser.enable(['table', 'strikethrough']);

/** The markup that must come only from the builder, never from people's words. */
export const MARKUP = ['link_open', 'image', 'heading_open', 'html_inline', 'html_block', 'strong_open', 'em_open', 's_open', 'code_inline', 'fence', 'code_block', 'blockquote_open', 'bullet_list_open', 'ordered_list_open', 'hr', 'table_open', 'td_open', 'th_open'] as const;

export interface Reading {
  /** How many of each MARKUP token the texts produce. */
  readonly counts: Readonly<Record<string, number>>;
  /** Every link and image address. */
  readonly addresses: readonly string[];
  /** What a person reads, whitespace collapsed. */
  readonly text: string;
}

const flatten = (tokens: readonly Token[]): Token[] => tokens.flatMap((t) => [t, ...flatten(t.children ?? [])]);

export function read(texts: readonly string[]): Reading {
  const counts: Record<string, number> = Object.fromEntries(MARKUP.map((k) => [k, 0]));
  const addresses: string[] = [];
  const words: string[] = [];
  for (const source of texts) {
    for (const token of flatten(parser.parse(source, {}))) {
      if (token.type in counts) counts[token.type]! += 1;
      for (const name of ['href', 'src']) if (token.attrGet(name)) addresses.push(token.attrGet(name)!);
      if (token.type === 'text' || token.type === 'code_inline') words.push(token.content);
      if (token.type === 'softbreak' || token.type === 'hardbreak' || token.type === 'html_inline' || token.type.endsWith('_close')) words.push(' ');
    }
    words.push(' ');
  }
  return { counts, addresses, text: collapse(words.join('')) };
}

export const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
