/** The timeline as files people take elsewhere: Markdown for documents, CSV for sheets, JSON for tools. */
import { describeEvent } from '../incident/eventText.js';
import { incidentLabel, type Incident } from '../incident/incident.js';
import type { TimelineEvent } from '../incident/timeline.js';

const utc = (date: Date) => `${new Date(date).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

/** Markdown table cells: a pipe or a line break would end the cell or the row. */
function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

export function timelineMarkdown(incident: Pick<Incident, 'number' | 'title' | 'severity' | 'status'>, events: readonly TimelineEvent[]): string {
  const rows = events.map((e) => `| ${utc(e.at)} | ${mdCell(e.actor.name)} | ${mdCell(describeEvent(e))} |`);
  return [
    `# ${incidentLabel(incident)}: ${mdCell(incident.title)}`,
    '',
    `Severity ${incident.severity}, status ${incident.status}. ${events.length} events, times in UTC.`,
    '',
    '| time | who | what |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/**
 * RFC 4180 cells, and no formulas: a spreadsheet would run a cell starting with = + - @ (or a
 * tab/CR), so such cells get a leading apostrophe.
 */
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function timelineCsv(events: readonly TimelineEvent[]): string {
  const lines = events.map((e) => [new Date(e.at).toISOString(), e.actor.name, e.kind, describeEvent(e)].map(csvCell).join(','));
  return `${['time_utc,actor,kind,description', ...lines].join('\r\n')}\r\n`;
}

export function timelineJson(incident: Pick<Incident, 'id' | 'number' | 'title' | 'severity' | 'status'>, events: readonly TimelineEvent[]): string {
  return JSON.stringify(
    {
      incident: { id: incident.id, label: incidentLabel(incident), title: incident.title, severity: incident.severity, status: incident.status },
      events: events.map((e) => ({ id: e.id, at: new Date(e.at).toISOString(), actor: e.actor, kind: e.kind, description: describeEvent(e), payload: e.payload })),
    },
    null,
    2,
  );
}
