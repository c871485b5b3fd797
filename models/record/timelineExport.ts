/**
 * The timeline as files people take elsewhere: Markdown for documents, CSV for sheets, JSON for
 * tools. Each format is a head, one piece per event and a tail, so an export of any length is
 * written while the store's cursor reads it (exportTimeline) and memory holds one chunk, not the
 * timeline; the whole-string functions join the same pieces (tests, small callers).
 */
import { describeEvent } from '../incident/eventText.js';
import { incidentLabel, type Incident } from '../incident/incident.js';
import type { Actor, TimelineEvent } from '../incident/timeline.js';
import { escapeMarkdown } from '../support/markdown.js';
import type { ChatEntry } from './chatEntries.js';

export const EXPORT_FORMATS = ['md', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_TYPES: Readonly<Record<ExportFormat, string>> = { md: 'text/markdown', csv: 'text/csv', json: 'application/json' };

type ExportedIncident = Pick<Incident, 'id' | 'number' | 'title' | 'severity' | 'status'>;

/** The incident's type and its extra fields as shown (label and value), carried by every format. */
export interface ExportedType {
  readonly id: string;
  readonly label: string;
  readonly fields: readonly { readonly label: string; readonly value: string }[];
}

const utc = (date: Date) => `${new Date(date).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

/**
 * Markdown table cells (and the heading): people's words escaped by the one escaping function,
 * so a title or note is no link, image, mention or heading in a Markdown viewer, and a line
 * break, which would end the cell or the row, as <br> (ours: a typed `<` is escaped).
 */
function mdCell(text: string): string {
  return escapeMarkdown(text).replace(/\r\n|\r|\n/g, '<br>');
}

/**
 * RFC 4180 cells, and no formulas: a spreadsheet would run a cell starting with = + - @ (or a
 * tab/CR), so such cells get a leading apostrophe.
 */
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Nested pretty-printed JSON, as JSON.stringify(…, null, 2) would place it (strings never hold raw new lines). */
const nested = (value: unknown, depth: number) => JSON.stringify(value, null, 2).replace(/\n/g, `\n${' '.repeat(depth)}`);

/** One line of an export: a timeline event, or (when asked for) a message of the channel conversation (`kind` "chat"). */
interface Row {
  readonly id: string;
  readonly at: Date;
  readonly actor: Actor;
  readonly kind: string;
  readonly description: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

const eventRow = (e: TimelineEvent): Row => ({ id: e.id, at: e.at, actor: e.actor, kind: e.kind, description: describeEvent(e), payload: e.payload });

/** A chat entry in an export: what was said, and whether it was edited or deleted since. */
export function chatRow(c: ChatEntry): Row {
  const description = c.deletedAt ? 'said something, deleted since' : `said: ${c.text}${c.editedAt ? ' (edited)' : ''}`;
  const payload = { messageId: c.messageId, text: c.text, ...(c.replyToId ? { replyToId: c.replyToId } : {}), ...(c.link ? { link: c.link } : {}), ...(c.editedAt ? { editedAt: c.editedAt } : {}), ...(c.deletedAt ? { deletedAt: c.deletedAt } : {}) };
  return { id: c.id, at: c.at, actor: { kind: 'user', id: c.author.id, name: c.author.name }, kind: 'chat', description, payload };
}

/** Two streams in time order, merged in time order (the timeline's event first on a tie). */
async function* merged(events: AsyncIterable<TimelineEvent>, chat: AsyncIterable<ChatEntry> | undefined): AsyncGenerator<Row> {
  if (!chat) {
    for await (const e of events) yield eventRow(e);
    return;
  }
  const a = events[Symbol.asyncIterator]();
  const b = chat[Symbol.asyncIterator]();
  let x = await a.next();
  let y = await b.next();
  try {
    while (!x.done || !y.done) {
      if (!x.done && (y.done || new Date(x.value.at).getTime() <= new Date(y.value.at).getTime())) {
        yield eventRow(x.value);
        x = await a.next();
      } else if (!y.done) {
        yield chatRow(y.value);
        y = await b.next();
      }
    }
  } finally {
    await a.return?.();
    await b.return?.();
  }
}

interface Layout {
  head(incident: ExportedIncident, type?: ExportedType): string;
  /** `index` counts from 0: JSON needs a comma before every event but the first. */
  row(event: Row, index: number, type?: ExportedType): string;
  tail(count: number): string;
}

const LAYOUTS: Readonly<Record<ExportFormat, Layout>> = {
  md: {
    head: (incident, type) =>
      `# ${incidentLabel(incident)}: ${mdCell(incident.title)}\n\n${type ? `${mdCell(type.label)} incident. ` : ''}Severity ${incident.severity}, status ${incident.status}. Times in UTC.\n\n${typeFieldsMd(type)}| time | who | what |\n|---|---|---|\n`,
    row: (e) => `| ${utc(e.at)} | ${mdCell(e.actor.name)} | ${mdCell(e.description)} |\n`,
    // The count comes last: a streamed export knows it only once every row is written.
    tail: (count) => `\n${count} ${count === 1 ? 'event' : 'events'}.\n`,
  },
  csv: {
    // A sheet has no place for the incident above its rows: its type and fields are columns of every row.
    head: (_incident, type) => `time_utc,actor,kind,description${type ? ',incident_type,incident_fields' : ''}\r\n`,
    row: (e, _index, type) => `${[new Date(e.at).toISOString(), e.actor.name, e.kind, e.description, ...(type ? [type.label, type.fields.map((f) => `${f.label}: ${f.value}`).join('; ')] : [])].map(csvCell).join(',')}\r\n`,
    tail: () => '',
  },
  json: {
    head: (incident, type) =>
      `{\n  "incident": ${nested({ id: incident.id, label: incidentLabel(incident), title: incident.title, severity: incident.severity, status: incident.status, ...(type ? { type: { id: type.id, label: type.label }, fields: type.fields } : {}) }, 2)},\n  "events": [`,
    row: (e, index) =>
      `${index > 0 ? ',' : ''}\n    ${nested({ id: e.id, at: new Date(e.at).toISOString(), actor: e.actor, kind: e.kind, description: e.description, payload: e.payload }, 4)}`,
    tail: (count) => (count > 0 ? '\n  ]\n}' : ']\n}'),
  },
};

/** The type's fields as a two-column table under the heading (none: nothing). */
function typeFieldsMd(type: ExportedType | undefined): string {
  if (!type || type.fields.length === 0) return '';
  return `| field | value |\n|---|---|\n${type.fields.map((f) => `| ${mdCell(f.label)} | ${mdCell(f.value)} |\n`).join('')}\n`;
}

/** Characters gathered before a write: one HTTP chunk per ~64 KB rather than one per event. */
const CHUNK_CHARS = 64 * 1024;

/** The export in chunks, produced as the events arrive (the caller writes each before the next is read). */
export async function* exportTimeline(format: ExportFormat, incident: ExportedIncident, events: AsyncIterable<TimelineEvent>, type?: ExportedType, chat?: AsyncIterable<ChatEntry>): AsyncGenerator<string> {
  const layout = LAYOUTS[format];
  let chunk = layout.head(incident, type);
  let count = 0;
  for await (const event of merged(events, chat)) {
    chunk += layout.row(event, count++, type);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk + layout.tail(count);
}

function whole(format: ExportFormat, incident: ExportedIncident, events: readonly TimelineEvent[], type?: ExportedType): string {
  const layout = LAYOUTS[format];
  return layout.head(incident, type) + events.map((e, n) => layout.row(eventRow(e), n, type)).join('') + layout.tail(events.length);
}

export function timelineMarkdown(incident: Pick<Incident, 'number' | 'title' | 'severity' | 'status'>, events: readonly TimelineEvent[], type?: ExportedType): string {
  return whole('md', { id: '', ...incident }, events, type);
}

export function timelineCsv(events: readonly TimelineEvent[], type?: ExportedType): string {
  return whole('csv', { id: '', number: 0, title: '', severity: 'P3', status: 'triage' }, events, type);
}

export function timelineJson(incident: ExportedIncident, events: readonly TimelineEvent[], type?: ExportedType): string {
  return whole('json', incident, events, type);
}
