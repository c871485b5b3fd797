/** Shared pieces of every card we emit. Teams renders up to schema 1.5. */
import { SEVERITIES } from '../../models/incident/severity.js';
import type { Severities } from '../../models/incident/tenantProfile.js';
import { fillMarkdown, md, trustedMarkdown, type Markdown, type MarkdownValue } from '../../models/support/markdown.js';

export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const CARD_VERSION = '1.5';

export type CardElement = Record<string, unknown>;

export function adaptiveCard(body: CardElement[], actions: CardElement[] = [], extra: CardElement = {}): CardElement {
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: CARD_VERSION,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    msteams: { width: 'Full' },
    ...extra,
  };
}

/**
 * A TextBlock. Its text is Markdown in Teams: a plain string is escaped (it reads as typed), and
 * formatting comes only from md`…`, which escapes what it interpolates. Every TextBlock and fact
 * of our cards is made here (test/security/markdownEscaping.test.ts checks no card writes one by hand).
 */
export function text(value: MarkdownValue, options: CardElement = {}): CardElement {
  return { type: 'TextBlock', text: md`${value}`.toString(), wrap: true, ...options };
}

export interface Fact {
  readonly title: string;
  readonly value: string;
}

/** A FactSet row: Teams renders both sides as Markdown, so plain strings are escaped here. */
export function fact(title: MarkdownValue, value: MarkdownValue): Fact {
  return { title: md`${title}`.toString(), value: md`${value}`.toString() };
}

export function factSet(facts: readonly Fact[]): CardElement {
  return { type: 'FactSet', facts };
}

/** Teams formats these in each reader's own time zone. Trusted: the only input is a Date, and escaping would break the functions. */
export function teamsDateTime(date: Date): Markdown {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return trustedMarkdown(`{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`);
}

/**
 * A card text the tenant's admins wrote (TENANT_CONFIG_FILE: a runbook link in the banner, say):
 * their Markdown is kept, the incident's words filled into its {placeholders} are escaped.
 */
export function tenantText(template: string, values: Readonly<Record<string, MarkdownValue>>): Markdown {
  return fillMarkdown(trustedMarkdown(template), values);
}

/** The severity picker's choices, in the tenant's own words. */
export function severityChoices(severities: Severities): CardElement[] {
  return SEVERITIES.map((s) => ({ title: `${s} ${severities[s].label}: ${severities[s].definition}`, value: s }));
}
