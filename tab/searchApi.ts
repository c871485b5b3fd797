import { z } from 'zod';
import { SEARCH_LIMITS, searchNeedle, type RecordSearch, type SearchResult } from '../models/record/recordSearch.js';

/** `GET …/search?q=…&limit=…`: what may be asked. */
export const searchQuery = z
  .object({
    q: z.string().max(SEARCH_LIMITS.maxLength * 4, `a search is at most ${SEARCH_LIMITS.maxLength} characters`),
    limit: z.coerce.number().int().min(1).max(SEARCH_LIMITS.perSource).default(SEARCH_LIMITS.perSource),
  })
  .strict();

export function searchJson(result: SearchResult) {
  return {
    phrase: result.phrase,
    hits: result.hits.map((hit) => ({ ...hit, at: hit.at.toISOString() })),
    counts: result.counts,
    more: result.more,
    missing: result.missing,
  };
}

/** The search's answer, or what was wrong with what was typed (400, the words given back). */
export async function answerSearch(search: RecordSearch, incident: Parameters<RecordSearch['search']>[0], query: z.infer<typeof searchQuery>): Promise<{ status: number; body: unknown }> {
  const needle = searchNeedle(query.q);
  if ('problem' in needle) return { status: 400, body: { error: `Nothing was searched: ${needle.problem}.`, q: query.q } };
  return { status: 200, body: searchJson(await search.search(incident, needle, query.limit)) };
}
