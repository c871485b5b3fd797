/**
 * The timeline's part of a record search. An event reads as a sentence made from its kind and
 * its payload (models/incident/eventText.ts), so an event is a hit when the phrase is in what
 * people wrote into it (a note, an update, a reason, a name) or in the words its kind always
 * reads with ("acknowledged the incident"). The store finds those candidates; each is then checked
 * against the sentence the tab shows, and against the payload's own words, so what the store
 * matched loosely never shows as a hit.
 */
import { describeEvent, eventLink } from '../incident/eventText.js';
import { SUMMARY_FIELDS } from '../incident/incident.js';
import { EVENT_KINDS, type EventKind, type TimelineEvent } from '../incident/timeline.js';
import type { TimelineMatcher } from '../ports/timelineStore.js';
import { holdsPhrase, type SearchHit, type SearchNeedle, type SearchSource } from './recordSearch.js';

/**
 * Where events keep people's words, and the names and labels their sentences show. A payload
 * field missing here is still shown in the tab, but a search never finds the event by it.
 */
export const EVENT_WORD_PATHS = [
  'text', 'note', 'reason', 'title', ...SUMMARY_FIELDS.map((field) => `summary.${field}`),
  'message.excerpt', 'message.author', 'person.name', 'previous.name', 'author.name', 'addedBy.name', 'item', 'because', 'line', 'label', 'typeLabel', 'fromLabel', 'toLabel',
  'to', 'from', 'name', 'target', 'what', 'error', 'warning', 'hint', 'status', 'via',
];

/** The kinds whose sentence holds the phrase whatever their payload ("paged", "the incident"). */
export function kindsReading(needle: SearchNeedle): EventKind[] {
  return EVENT_KINDS.filter((kind) => holdsPhrase(`${kind.replace(/_/g, ' ')} ${describeEvent({ kind, payload: {} })}`, needle));
}

/** Every string the payload holds, however deep (a summary's fields, a person's name). */
function payloadWords(value: unknown, out: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') out.push(value);
  else if (depth < 4 && value && typeof value === 'object') for (const inner of Object.values(value)) payloadWords(inner, out, depth + 1);
  return out;
}

/** The hit an event makes: its sentence, and the payload's words where the phrase was found when the sentence lacks it. */
export function eventHit(event: TimelineEvent, needle: SearchNeedle): SearchHit | undefined {
  const sentence = describeEvent(event);
  const source = event.kind === 'key_message' ? 'key_message' : 'timeline';
  const hit = (text: string): SearchHit => ({ source, at: event.at, who: event.actor.name, text, link: eventLink(event), ref: event.id });
  if (holdsPhrase(`${event.actor.name} ${event.kind.replace(/_/g, ' ')} ${sentence}`, needle)) return hit(sentence);
  const words = payloadWords(event.payload).find((word) => holdsPhrase(word, needle));
  return words === undefined ? undefined : hit(`${sentence} — “${words.length > 300 ? `${words.slice(0, 299)}…` : words}”`);
}

export function timelineSearchSource(matcher: TimelineMatcher): SearchSource {
  return {
    covers: ['timeline', 'key_message'],
    async search(incidentId, needle, limit) {
      const events = await matcher.matchEvents(incidentId, { pattern: needle.pattern, kinds: kindsReading(needle), paths: EVENT_WORD_PATHS }, limit);
      return events.map((event) => eventHit(event, needle)).filter((hit): hit is SearchHit => hit !== undefined);
    },
  };
}
