/**
 * One search over what an incident's record holds: its timeline, the messages people marked as
 * key, the channel's conversation and the bridge's transcript. Each part of the record answers
 * from its own store (the timeline, chat entries, transcript chunks); this merges their answers
 * by time, so a result list reads like the incident did.
 *
 * The search is for a phrase, whatever its case and spacing ("db failover" finds "DB  Failover"):
 * the embedded dev database has no text index, and an incident's record is small enough for a
 * scan of that one incident.
 */
import { z } from 'zod';
import type { Incident } from '../incident/incident.js';

export const SEARCH_SOURCES = ['timeline', 'key_message', 'chat', 'transcript'] as const;
export type SearchSourceName = (typeof SEARCH_SOURCES)[number];

export interface SearchHit {
  readonly source: SearchSourceName;
  readonly at: Date;
  /** Who did or said it (a person, a speaker, or the app). */
  readonly who: string;
  readonly text: string;
  /** Back to where it was said (the Teams message), when there is one. */
  readonly link?: string;
  /** The hit's id in its source (event id, message id, transcript id and line), for the tab to open it. */
  readonly ref: string;
}

/**
 * A store that answers for parts of the record (the timeline answers for its events and its key
 * messages in one query), asked for at most `limit` hits of one incident, its oldest first.
 */
export interface SearchSource {
  readonly covers: readonly SearchSourceName[];
  search(incidentId: string, needle: SearchNeedle, limit: number): Promise<readonly SearchHit[]>;
}

export interface SearchNeedle {
  /** What was typed, trimmed and with its spaces made single. */
  readonly phrase: string;
  /** A case-insensitive pattern for that phrase (any run of spaces matches any other), for the stores. */
  readonly pattern: string;
}

export const SEARCH_LIMITS = { minLength: 2, maxLength: 200, perSource: 100 } as const;

const phraseSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(SEARCH_LIMITS.minLength, `type at least ${SEARCH_LIMITS.minLength} characters to search`).max(SEARCH_LIMITS.maxLength, `a search is at most ${SEARCH_LIMITS.maxLength} characters`));

/** The needle for what was typed, or why it can't be searched for. */
export function searchNeedle(typed: unknown): SearchNeedle | { problem: string } {
  const parsed = phraseSchema.safeParse(typeof typed === 'string' ? typed : '');
  if (!parsed.success) return { problem: parsed.error.issues[0]!.message };
  const phrase = parsed.data;
  return { phrase, pattern: phrase.split(' ').map(escapeRegExp).join('\\s+') };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `text` holds the phrase, as the stores judge it. */
export function holdsPhrase(text: string, needle: SearchNeedle): boolean {
  return new RegExp(needle.pattern, 'i').test(text);
}

export interface SearchResult {
  readonly phrase: string;
  /** Oldest first, across every part of the record. */
  readonly hits: readonly SearchHit[];
  /** Hits per part of the record (at most the limit each). */
  readonly counts: Readonly<Record<SearchSourceName, number>>;
  /** The parts that had more hits than shown: the person should search for something narrower. */
  readonly more: readonly SearchSourceName[];
  /** The parts this record does not keep (e.g. no transcript store in this deployment). */
  readonly missing: readonly SearchSourceName[];
}

export class RecordSearch {
  constructor(private readonly sources: readonly SearchSource[]) {}

  async search(incident: Incident, needle: SearchNeedle, perSource: number = SEARCH_LIMITS.perSource): Promise<SearchResult> {
    // One more than shown tells whether there were more, without counting them all.
    const answers = await Promise.all(this.sources.map((source) => source.search(incident.id, needle, source.covers.length * perSource + 1)));
    const counts = Object.fromEntries(SEARCH_SOURCES.map((name) => [name, 0])) as Record<SearchSourceName, number>;
    const more = new Set<SearchSourceName>();
    const hits: SearchHit[] = [];
    this.sources.forEach((source, n) => {
      const found = answers[n]!;
      if (found.length > source.covers.length * perSource) source.covers.forEach((name) => more.add(name));
      for (const hit of found) {
        if (counts[hit.source] >= perSource) continue;
        counts[hit.source] += 1;
        hits.push(hit);
      }
    });
    hits.sort((a, b) => a.at.getTime() - b.at.getTime() || SEARCH_SOURCES.indexOf(a.source) - SEARCH_SOURCES.indexOf(b.source));
    const covered = new Set(this.sources.flatMap((source) => source.covers));
    return { phrase: needle.phrase, hits, counts, more: SEARCH_SOURCES.filter((name) => more.has(name)), missing: SEARCH_SOURCES.filter((name) => !covered.has(name)) };
  }
}
