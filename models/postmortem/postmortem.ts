/**
 * The blameless post-mortem: what it contains, how a draft is pre-filled from the
 * record and timeline, the durations that matter, and a gentle check for blaming language.
 */
import { z } from 'zod';
import { describeEvent } from '../incident/eventText.js';
import { incidentLabel, type Incident } from '../incident/incident.js';
import type { TimelineEvent } from '../incident/timeline.js';
import type { IncidentType } from '../incident/incidentTypes.js';
import { fieldFacts } from '../incident/extraFields.js';
import { POSTMORTEM_SECTIONS, whereIs } from './sections.js';
import { utcMinute } from '../support/utcMinute.js';

export { POSTMORTEM_SECTIONS } from './sections.js';

export const ROOT_CAUSE_TYPES = [
  'code change', 'configuration', 'deployment', 'capacity', 'dependency/vendor', 'infrastructure', 'data', 'process', 'monitoring gap', 'unknown',
] as const;
export const ACTION_KINDS = ['hotfix', 'proper fix'] as const;
export const FIX_WINDOWS = [24, 48, 72] as const;

const LONG = 4000;
const text = (max = LONG) => z.string().trim().max(max, `is limited to ${max} characters`);
const when = z.iso.datetime({ message: 'must be a date and time (ISO 8601, UTC)' }).nullable();
const link = z
  .string()
  .trim()
  .max(500)
  .refine((value) => value === '' || /^https?:\/\/[^\s]+$/i.test(value), 'must be an http(s) link to the tracker (or empty)');
const ENTRA_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const stamp = z.iso.datetime({ message: 'must be a date and time (ISO 8601, UTC)' }).optional();
/**
 * An item's identity, kept across edits, so two editors' lists merge item by item (not by
 * position). Optional on input: items saved before ids existed, or sent by a script, get one.
 */
const itemId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, - or _').optional();
/** Two items of one list with the same identity would merge as one. */
const distinctIds = (items: readonly { id?: string }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  items.forEach((item, n) => {
    if (item.id === undefined) return;
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [n, 'id'], message: `is used by another item of this list (${item.id})` });
    seen.add(item.id);
  });
};

export const postmortemContentSchema = z
  .object({
    description: text(),
    // Checked on the times alone, so a time-order problem is reported alongside every other one.
    times: z
      .object({ started: when, detected: when, acknowledged: when, recovered: when, resolved: when })
      .strict()
      .superRefine((t, ctx) => {
        // Only the orders that are always true: everything happens after the start, recovery before resolution.
        const at = (value: string | null) => (value ? Date.parse(value) : undefined);
        const started = at(t.started);
        for (const field of ['detected', 'acknowledged', 'recovered', 'resolved'] as const) {
          const value = at(t[field]);
          if (started !== undefined && value !== undefined && value < started) ctx.addIssue({ code: 'custom', path: [field], message: `is before the start (${t.started})` });
        }
        const recovered = at(t.recovered);
        const resolved = at(t.resolved);
        if (recovered !== undefined && resolved !== undefined && resolved < recovered) ctx.addIssue({ code: 'custom', path: ['resolved'], message: 'is before the recovery' });
      }),
    manifestation: text(),
    affected: text(),
    impact: text(),
    timeline: text(8000),
    rootCauses: z
      .array(
        z.object({
          id: itemId,
          description: z.string().trim().min(1, 'describe the cause (or remove it)').max(1000, 'is limited to 1000 characters'),
          type: z.enum(ROOT_CAUSE_TYPES, { message: `must be one of: ${ROOT_CAUSE_TYPES.join(', ')}` }),
        }).strict(),
      )
      .max(20, 'at most 20 contributing causes')
      .superRefine(distinctIds),
    wentWell: text(),
    wentBadly: text(),
    actionItems: z
      .array(
        z.object({
          id: itemId,
          description: z.string().trim().min(1, 'describe the action (or remove it)').max(500, 'is limited to 500 characters'),
          owner: text(120),
          /**
           * The owner's Entra object id, when they were picked from the directory (the tab's picker,
           * a chat @mention): only such an owner can be nudged. A name typed for someone outside
           * the directory has none.
           */
          ownerId: z.string().regex(ENTRA_ID, 'must be an Entra object id (pick the owner from the list, or type a name)').optional(),
          due: z.string().trim().refine((value) => value === '' || (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))), 'must be a date like 2026-12-01 (or empty)'),
          kind: z.enum(ACTION_KINDS, { message: `must be one of: ${ACTION_KINDS.join(', ')}` }),
          link,
          /** Ticked when the action is finished (metrics count the open and overdue ones). */
          done: z.boolean().default(false),
          /** Stamped by the save that added the item and the one that marked it done (stampActionItems): the follow-up metrics' time to done. */
          addedAt: stamp,
          doneAt: stamp,
        }).strict(),
      )
      .max(50, 'at most 50 action items')
      .superRefine(distinctIds),
    fixWindowHours: z.union(FIX_WINDOWS.map((h) => z.literal(h)) as unknown as [z.ZodLiteral<24>, z.ZodLiteral<48>, z.ZodLiteral<72>], {
      message: 'must be 24, 48 or 72 hours',
    }),
  })
  .strict();

export type PostmortemContent = z.infer<typeof postmortemContentSchema>;

/** The sections that differ between two versions, in form order. */
export function changedSections(before: PostmortemContent, after: PostmortemContent): string[] {
  return (Object.keys(POSTMORTEM_SECTIONS) as (keyof PostmortemContent)[])
    .filter((section) => JSON.stringify(before[section]) !== JSON.stringify(after[section]))
    .map((section) => POSTMORTEM_SECTIONS[section]);
}

export function parsePostmortem(json: unknown): { content: PostmortemContent } | { problems: { path: string; message: string }[] } {
  const parsed = postmortemContentSchema.safeParse(json);
  if (parsed.success) return { content: withItemIds(parsed.data) };
  return { problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) };
}

/**
 * Every cause and action item with an identity: those without one (saved before ids existed, or
 * sent without) are numbered by position, the same for everyone who reads that version.
 */
export function withItemIds(content: PostmortemContent): PostmortemContent {
  const number = <T extends { id?: string }>(items: readonly T[], prefix: string): T[] => {
    const used = new Set(items.flatMap((item) => (item.id ? [item.id] : [])));
    return items.map((item, n) => {
      if (item.id) return item;
      let id = `${prefix}-${n + 1}`;
      for (let k = 2; used.has(id); k++) id = `${prefix}-${n + 1}-${k}`;
      used.add(id);
      return { ...item, id };
    });
  };
  return { ...content, rootCauses: number(content.rootCauses, 'cause'), actionItems: number(content.actionItems, 'action') };
}

type ActionItem = PostmortemContent['actionItems'][number];

/**
 * When each action item was added and done, as the server saw it (what a form sends is not
 * trusted): an item new since `before` is added now; one done now and not before is done now; a
 * reopened item has no done time. Items from before stamps existed keep having none.
 */
export function stampActionItems(before: readonly ActionItem[] | undefined, after: PostmortemContent, now: Date): PostmortemContent {
  const previous = new Map((before ?? []).map((item) => [item.id, item]));
  const at = now.toISOString();
  return {
    ...after,
    actionItems: after.actionItems.map((item) => {
      const { addedAt: _added, doneAt: _done, ...rest } = item;
      const was = item.id === undefined ? undefined : previous.get(item.id);
      const addedAt = was ? was.addedAt : at;
      const doneAt = !item.done ? undefined : was?.done ? was.doneAt : at;
      return { ...rest, ...(addedAt ? { addedAt } : {}), ...(doneAt ? { doneAt } : {}) };
    }),
  };
}

/** The events that tell the story; provisioning steps and checklist ticks stay out of the excerpt. */
const STORY = new Set(['declared', 'acknowledged', 'role_assigned', 'status_changed', 'severity_changed', 'type_changed', 'summary_updated', 'update_posted', 'paged', 'escalated', 'alert_received', 'topic_updated', 'data_loss_reported', 'note', 'key_message', 'resolved', 'closed', 'meeting_started', 'meeting_ended', 'transcript_attached', 'recording_attached', 'transcript_unavailable']);
const EXCERPT_LINES = 200;
const EXCERPT_CHARS = 8000; // the form's timeline field limit
const EXCERPT_LINE_CHARS = 400;

type KeyMessagePayload = { text?: string; author?: { name?: string }; writtenAt?: Date | string; note?: string; noteBy?: { name?: string } };

function storyTime(e: TimelineEvent): Date {
  const written = e.kind === 'key_message' ? (e.payload as KeyMessagePayload).writtenAt : undefined;
  const at = written ? new Date(written) : new Date(e.at);
  return Number.isNaN(at.getTime()) ? new Date(e.at) : at;
}

/** "10:02 — Megan Bowen — key message: “…” (added by Alex Wilber; why it matters: …)". */
function keyMessageLine(e: TimelineEvent): string {
  const { text, author, note, noteBy } = e.payload as KeyMessagePayload;
  const why = typeof note === 'string' && note ? `; why it matters${noteBy?.name ? ` (${noteBy.name})` : ''}: ${note}` : '';
  const words = (text ?? '').replace(/\s+/g, ' ').trim();
  return `${utcMinute(storyTime(e))} — ${author?.name ?? 'someone'} — key message: “${words}” (added by ${e.actor.name}${why})`;
}

const iso = (date: Date | undefined) => (date ? new Date(date).toISOString() : null);

/**
 * A draft pre-filled from what the incident already knows, so the author edits rather than
 * retypes. Major incidents (P0/P1) get the shortest proper-fix window.
 */
export function draftPostmortem(incident: Incident, events: readonly TimelineEvent[], type?: IncidentType): PostmortemContent {
  const m = incident.milestones;
  // A key message is told when it was written, by whom, in their words: the story in time order.
  const story = events
    .filter((e) => STORY.has(e.kind))
    .map((e, n) => ({ e, n, at: storyTime(e) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.n - b.n)
    .map(({ e }) => e);
  // The newest lines that fit, whole: the excerpt says how many earlier events it left out.
  const lines: string[] = [];
  let size = 0;
  for (const e of story.slice(-EXCERPT_LINES).reverse()) {
    const line = (e.kind === 'key_message' ? keyMessageLine(e) : `${utcMinute(e.at)} — ${e.actor.name} — ${describeEvent(e)}`).slice(0, EXCERPT_LINE_CHARS);
    if (size + line.length + 1 > EXCERPT_CHARS - 80) break;
    lines.unshift(line);
    size += line.length + 1;
  }
  if (story.length > lines.length) lines.unshift(`… ${story.length - lines.length} earlier events (see the full timeline export)`);
  lines.push(...bridgeLinks(incident));
  const cause = incident.summary?.probableCause;
  return {
    description: [incident.title, type && typeLine(type, incident), incident.description].filter(Boolean).join('\n\n').slice(0, LONG),
    times: { started: iso(m.started ?? m.declared), detected: iso(m.detected ?? m.declared), acknowledged: iso(m.acknowledged), recovered: iso(m.mitigated), resolved: iso(m.resolved) },
    manifestation: (incident.topic?.line ?? '').slice(0, LONG),
    affected: incident.summary?.environment && incident.summary.environment !== 'UNKNOWN' ? `${incident.summary.environment}${incident.component ? `, ${incident.component}` : ''}` : incident.component ?? '',
    impact: incident.summary?.frequency && incident.summary.frequency !== 'UNKNOWN' ? incident.summary.frequency : '',
    timeline: lines.join('\n'),
    rootCauses: cause && cause !== 'UNKNOWN' ? [{ description: cause.slice(0, 1000), type: 'unknown' }] : [],
    wentWell: '',
    wentBadly: '',
    actionItems: [],
    fixWindowHours: incident.severity === 'P0' || incident.severity === 'P1' ? 24 : 48,
  };
}

/** Where the bridge's transcript and recording are, for whoever writes the post-mortem. */
function bridgeLinks(incident: Incident): string[] {
  const transcripts = incident.bridge?.transcripts ?? [];
  const lines = transcripts.reduce((sum, t) => sum + (t.lines ?? 0), 0);
  const where = incident.tab?.webUrl ? ` ${incident.tab.webUrl}` : '';
  return [
    ...(transcripts.length ? [`Transcript of the bridge: ${lines} lines, in the incident tab's Transcript view${where}`] : []),
    ...(incident.bridge?.recordings ?? []).flatMap((r) => (r.url ? [`Recording of the bridge: ${r.url}`] : [])),
  ];
}

/** "A Security incident. Attack vector: Phishing; Affected systems: vpn." — the type and its fields, for the draft. */
function typeLine(type: IncidentType, incident: Incident): string {
  const facts = fieldFacts(type.fields, incident.fields).map((f) => `${f.label}: ${f.value}`);
  return `A ${type.label} incident.${facts.length > 0 ? ` ${facts.join('; ')}.` : ''}`;
}

export interface PostmortemDurations {
  readonly toDetect?: number;
  readonly toAcknowledge?: number;
  readonly toRecover?: number;
  readonly toResolve?: number;
}

/** Minutes from the start to each milestone; absent where a time is missing. */
export function postmortemDurations(times: PostmortemContent['times']): PostmortemDurations {
  const start = times.started ? Date.parse(times.started) : undefined;
  const since = (value: string | null) => (start === undefined || !value ? undefined : Math.round((Date.parse(value) - start) / 60_000));
  return { toDetect: since(times.detected), toAcknowledge: since(times.acknowledged), toRecover: since(times.recovered), toResolve: since(times.resolved) };
}

export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

/** Words that point at people rather than at conditions, with what to write instead. */
const BLAME: readonly { pattern: RegExp; hint: string }[] = [
  { pattern: /\b(?:his|her|their|[A-Z][a-z]+'s) fault\b|\bat fault\b|\bfault of\b/i, hint: 'say which condition allowed it, not whose fault it was' },
  { pattern: /\bblame[sd]?\b/i, hint: 'post-mortems are blameless: describe what happened and why it made sense at the time' },
  { pattern: /\bcareless(?:ly|ness)?\b|\bsloppy\b|\blazy\b/i, hint: 'describe the gap in tooling or process that let the slip through' },
  { pattern: /\bhuman error\b/i, hint: '“human error” ends the inquiry; ask what made the error easy and hard to notice' },
  { pattern: /\bshould(?:n't| not)? have\b/i, hint: 'hindsight: describe what people knew and saw at that moment' },
  { pattern: /\b(?:stupid|dumb|incompetent|negligent|idiot(?:ic)?)\b/i, hint: 'no judgements of people; describe the system' },
  { pattern: /\b[A-Z][a-z]+ (?:forgot|messed up|screwed up|broke)\b/, hint: 'name the step or safeguard that was missing rather than the person' },
];

const FREE_TEXT = ['description', 'manifestation', 'affected', 'impact', 'timeline', 'wentWell', 'wentBadly'] as const;

export interface BlamelessWarning {
  /** The field, or `rootCauses.<n>` / `actionItems.<n>`. */
  readonly path: string;
  /** The same, as the form names it ("Contributing cause 2"). */
  readonly where: string;
  readonly phrase: string;
  readonly hint: string;
}

export function blamelessWarnings(content: PostmortemContent): BlamelessWarning[] {
  const texts: [string, string][] = [
    ...FREE_TEXT.map((field): [string, string] => [field, content[field]]),
    ...content.rootCauses.map((c, n): [string, string] => [`rootCauses.${n}`, c.description]),
    ...content.actionItems.map((a, n): [string, string] => [`actionItems.${n}`, a.description]),
  ];
  const warnings: BlamelessWarning[] = [];
  for (const [path, value] of texts) {
    for (const { pattern, hint } of BLAME) {
      const found = pattern.exec(value);
      if (found) warnings.push({ path, where: whereIs(path), phrase: found[0], hint });
    }
  }
  return warnings;
}

/** A one-paragraph version, for places that only take text (e.g. a status page, a chat reply). */
export function postmortemHeadline(incident: Pick<Incident, 'number' | 'title'>, content: PostmortemContent, version: number): string {
  const d = postmortemDurations(content.times);
  return `${incidentLabel(incident)} post-mortem v${version}: ${incident.title}. Recovered after ${d.toRecover === undefined ? 'an unrecorded time' : formatDuration(d.toRecover)}; ${content.rootCauses.length} contributing causes; ${content.actionItems.length} action items.`;
}
