/** Shared pieces of every card we emit. Teams renders up to schema 1.5. */
import { SEVERITIES } from '../../models/incident/severity.js';
import type { Severities } from '../../models/incident/tenantProfile.js';

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

export function text(value: string, options: CardElement = {}): CardElement {
  return { type: 'TextBlock', text: value, wrap: true, ...options };
}

/** Teams formats these in each reader's own time zone. */
export function teamsDateTime(date: Date): string {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

/**
 * Card text is Markdown in Teams; user text must not turn into links, mentions or formatting
 * that was not typed as such (e.g. a title of `[click](http://evil)`).
 */
export function plain(value: string): string {
  // Escaping the brackets is enough to stop links; < > stop <at> mentions and HTML.
  return value.replace(/[\\`*_[\]<>#~]/g, (c) => `\\${c}`);
}

/** The severity picker's choices, in the tenant's own words. */
export function severityChoices(severities: Severities): CardElement[] {
  return SEVERITIES.map((s) => ({ title: `${s} ${severities[s].label}: ${severities[s].definition}`, value: s }));
}
