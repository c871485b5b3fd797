/**
 * The post-mortem as a document to leave the app with: headings, paragraphs, tables (times,
 * timeline, causes, action items) and links, in the form's order and with the form's names.
 * One structure, rendered to Markdown (postmortemMarkdown.ts) and to Word
 * (adapters/documents/postmortemDocx.ts), so both say the same thing.
 */
import { incidentLabel, ROLE_NAMES, SINGLE_ROLES, type Incident, type Person } from '../incident/incident.js';
import { formatDuration, postmortemDurations, type PostmortemContent } from './postmortem.js';
import { POSTMORTEM_SECTIONS } from './sections.js';
import { utcMinute } from '../support/utcMinute.js';

export interface DocLink {
  readonly text: string;
  readonly url: string;
}
export type DocCell = string | DocLink;

export type DocBlock =
  | { readonly kind: 'heading'; readonly level: 1 | 2; readonly text: string }
  /** `empty`: a section nobody wrote, shown as such rather than left out (the reader sees the gap). */
  | { readonly kind: 'paragraph'; readonly text: string; readonly empty?: boolean }
  | { readonly kind: 'table'; readonly columns: readonly string[]; readonly rows: readonly (readonly DocCell[])[] }
  | { readonly kind: 'links'; readonly links: readonly DocLink[] };

export interface PostmortemDocument {
  readonly title: string;
  /** Without extension: `INC-12-postmortem-v3` (`-draft` before the first save). */
  readonly fileName: string;
  readonly blocks: readonly DocBlock[];
}

export interface DocumentSource {
  readonly incident: Incident;
  readonly version: number;
  readonly content: PostmortemContent;
  readonly savedAt?: Date;
  readonly savedBy?: Person;
  readonly published: boolean;
  /** The post-mortem tab and the incident channel, when they exist. */
  readonly links: { readonly tab?: string; readonly channel?: string };
}

const NOT_WRITTEN = 'Not written yet.';

const TIMES: readonly [keyof PostmortemContent['times'], string, keyof ReturnType<typeof postmortemDurations> | undefined][] = [
  ['started', 'Impact began', undefined],
  ['detected', 'Detected', 'toDetect'],
  ['acknowledged', 'Acknowledged', 'toAcknowledge'],
  ['recovered', 'Service recovered', 'toRecover'],
  ['resolved', 'Resolved', 'toResolve'],
];
/** The pre-filled timeline's lines: "2026-12-02 03:12 UTC — Alex Wilber — moved the status …". */
const TIMELINE_LINE = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC) — (.+?) — (.+)$/;

function text(heading: string, value: string): DocBlock[] {
  const paragraphs = value.split(/\n{2,}/).map((p) => p.trim()).filter(Boolean);
  return [
    { kind: 'heading', level: 2, text: heading },
    ...(paragraphs.length ? paragraphs.map((p): DocBlock => ({ kind: 'paragraph', text: p })) : [{ kind: 'paragraph', text: NOT_WRITTEN, empty: true } as const]),
  ];
}

function about(source: DocumentSource): DocBlock {
  const { incident } = source;
  const rows: DocCell[][] = [['Severity', incident.severity], ['Status', incident.status]];
  for (const role of SINGLE_ROLES) {
    const holder = incident.roles[role];
    if (holder) rows.push([ROLE_NAMES[role], holder.name]);
  }
  if (incident.roles.smes?.length) rows.push(['Subject matter experts', incident.roles.smes.map((p) => p.name).join(', ')]);
  if (incident.component) rows.push(['Component', incident.component]);
  const saved = source.savedAt ? `, saved ${utcMinute(source.savedAt)}${source.savedBy ? ` by ${source.savedBy.name}` : ''}` : '';
  const state = source.version === 0 ? 'the draft pre-filled from the record, not saved yet' : `version ${source.version}${saved}; ${source.published ? 'published' : 'a draft, not published'}`;
  rows.push(['Post-mortem', state]);
  return { kind: 'table', columns: ['', ''], rows };
}

function times(content: PostmortemContent): DocBlock[] {
  const since = postmortemDurations(content.times);
  const rows = TIMES.map(([field, label, duration]): DocCell[] => {
    const at = content.times[field];
    const after = duration ? since[duration] : undefined;
    return [label, at ? utcMinute(at) : 'not recorded', after === undefined ? '' : formatDuration(after)];
  });
  return [{ kind: 'heading', level: 2, text: POSTMORTEM_SECTIONS.times }, { kind: 'table', columns: ['Milestone', 'Time', 'Since impact began'], rows }];
}

/** Pre-filled lines become a table; anything else written there stays as the author wrote it. */
function timeline(value: string): DocBlock[] {
  const lines = value.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return text(POSTMORTEM_SECTIONS.timeline, '');
  const blocks: DocBlock[] = [{ kind: 'heading', level: 2, text: POSTMORTEM_SECTIONS.timeline }];
  let rows: DocCell[][] = [];
  const flush = () => {
    if (rows.length) blocks.push({ kind: 'table', columns: ['Time', 'Who', 'What'], rows });
    rows = [];
  };
  for (const line of lines) {
    const parsed = TIMELINE_LINE.exec(line);
    if (parsed) rows.push([parsed[1]!, parsed[2]!, parsed[3]!]);
    else {
      flush();
      blocks.push({ kind: 'paragraph', text: line });
    }
  }
  flush();
  return blocks;
}

function list(heading: string, columns: readonly string[], rows: DocCell[][], none: string): DocBlock[] {
  return [{ kind: 'heading', level: 2, text: heading }, rows.length ? { kind: 'table', columns, rows } : { kind: 'paragraph', text: none, empty: true }];
}

export function postmortemDocument(source: DocumentSource): PostmortemDocument {
  const { incident, content } = source;
  const label = incidentLabel(incident);
  const links: DocLink[] = [
    ...(source.links.tab ? [{ text: 'The post-mortem in Teams (the incident tab)', url: source.links.tab }] : []),
    ...(source.links.channel ? [{ text: `The ${label} channel`, url: source.links.channel }] : []),
  ];
  const causes = content.rootCauses.map((c, n): DocCell[] => [String(n + 1), c.description, c.type]);
  const actions = content.actionItems.map((a): DocCell[] => [
    a.description,
    a.owner || 'nobody yet',
    a.due || 'no date',
    a.kind,
    a.done ? 'done' : 'open',
    a.link ? { text: 'tracker', url: a.link } : '',
  ]);
  return {
    title: `${label} post-mortem: ${incident.title}`,
    fileName: `${label}-postmortem-${source.version === 0 ? 'draft' : `v${source.version}`}`,
    blocks: [
      { kind: 'heading', level: 1, text: `${label} post-mortem: ${incident.title}` },
      about(source),
      { kind: 'paragraph', text: 'Blameless: it describes what happened and the conditions that allowed it, not who is at fault.' },
      ...times(content),
      ...text(POSTMORTEM_SECTIONS.description, content.description),
      ...text(POSTMORTEM_SECTIONS.manifestation, content.manifestation),
      ...text(POSTMORTEM_SECTIONS.affected, content.affected),
      ...text(POSTMORTEM_SECTIONS.impact, content.impact),
      ...timeline(content.timeline),
      ...list(POSTMORTEM_SECTIONS.rootCauses, ['#', 'Cause', 'Kind'], causes, 'None recorded yet.'),
      ...text(POSTMORTEM_SECTIONS.wentWell, content.wentWell),
      ...text(POSTMORTEM_SECTIONS.wentBadly, content.wentBadly),
      ...list(POSTMORTEM_SECTIONS.actionItems, ['Action', 'Owner', 'Due', 'Kind', 'State', 'Tracker'], actions, 'None recorded yet.'),
      { kind: 'paragraph', text: `${POSTMORTEM_SECTIONS.fixWindowHours}: the proper fix within ${content.fixWindowHours} hours.` },
      ...(links.length ? [{ kind: 'heading', level: 2, text: 'Links' } as const, { kind: 'links', links } as const] : []),
    ],
  };
}
