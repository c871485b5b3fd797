/**
 * One human sentence per timeline event, for the tab, the exports and the post-mortem excerpt.
 * A table keyed by every event kind: adding a kind without saying how to describe it does not compile.
 */
import { HTTPS_LINK, ROLE_NAMES, type Role } from './incident.js';
import type { EventKind, TimelineEvent } from './timeline.js';
import { utcMinute } from '../support/utcMinute.js';

type Payload = Readonly<Record<string, unknown>>;

const str = (value: unknown, fallback = '?') => (typeof value === 'string' && value.trim() ? value : typeof value === 'number' ? String(value) : fallback);
const who = (value: unknown) => str((value as { name?: unknown } | undefined)?.name, 'someone');
const role = (value: unknown) => ROLE_NAMES[value as Role] ?? str(value, 'a role');
const move = (p: Payload) => (p.from ? `from ${str(p.from)} to ${str(p.to)}` : `to ${str(p.to)}`);
const quoted = (value: unknown) => (typeof value === 'string' && value ? `: ${value}` : '');
const hhmm = (value: unknown) => {
  const time = value instanceof Date || typeof value === 'string' ? new Date(value) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time.toISOString().slice(11, 16) : '?';
};
/** An incident's alerts are one entry, updated in place: "alert received ×312: title (first 10:02, last 10:47 UTC)". */
const alerts = (p: Payload) =>
  typeof p.count === 'number' && p.count > 1
    ? `alert received ×${p.count}${quoted(p.title)} (first ${hhmm(p.firstSeen)}, last ${hhmm(p.lastSeen)} UTC${p.status === 'resolved' ? '; the latest says resolved' : ''})`
    : `alert received${quoted(p.title ?? p.text ?? p.summary)}`;

const when = (value: unknown) => {
  const time = value instanceof Date || typeof value === 'string' ? new Date(value) : undefined;
  return time && !Number.isNaN(time.getTime()) ? utcMinute(time) : '?';
};
const NUDGE_WHY: Readonly<Record<string, string>> = { assigned: 'newly theirs', due_soon: 'due in 2 days', overdue: 'overdue' };
const list = (value: unknown) => (Array.isArray(value) && value.length ? value.map((v) => str(v)).join(', ') : 'nobody');
const busyNote = (value: unknown) => (Array.isArray(value) && value.length ? ` (busy then: ${list(value)})` : '');

/** Milestones a status move recorded on the way ("recorded as acknowledged and mitigated"). */
const recorded = (p: Payload) => {
  const names = Array.isArray(p.milestones) ? p.milestones.map((m) => (m === 'mitigated' ? 'recovered' : String(m))) : [];
  return names.length === 0 ? '' : ` (recorded as ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`})`;
};

/** A message someone put on the record: whose, when it was written, its words, and why it matters. */
const keyMessage = (p: Payload) => {
  const why = typeof p.note === 'string' && p.note ? ` (why it matters, says ${who(p.noteBy)}: ${p.note})` : '';
  return `added a key message by ${who(p.author)}, written ${when(p.writtenAt)}${quoted(p.text)}${why}`;
};

const DESCRIBE: Readonly<Record<EventKind, (p: Payload) => string>> = {
  declared: (p) =>
    `declared the incident${p.severity ? ` as ${str(p.severity)}` : ''}${p.typeLabel ? ` (${str(p.typeLabel)})` : ''}${quoted(p.title)}` +
    (p.message ? ` (from a message${(p.message as { author?: string }).author ? ` by ${str((p.message as { author?: string }).author)}` : ''}: “${str((p.message as { excerpt?: string }).excerpt, '')}”)` : ''),
  acknowledged: () => 'acknowledged the incident',
  command_taken: (p) => `took over command${p.previous ? ` from ${who(p.previous)}` : ''}${p.reason ? `: ${str(p.reason)}` : ''}`,
  role_assigned: (p) => `made ${who(p.person)} ${role(p.role)}${p.previous ? ` (was ${who(p.previous)})` : ''}`,
  status_changed: (p) => `moved the status ${move(p)}${recorded(p)}`,
  severity_changed: (p) => `changed the severity ${move(p)}${p.reason ? ` because ${str(p.reason)}` : ''}`,
  type_changed: (p) => `changed the type from ${str(p.fromLabel ?? p.from)} to ${str(p.toLabel ?? p.to)}`,
  summary_updated: (p) =>
    `updated the status summary${(p.summary as { probableCause?: string } | undefined)?.probableCause ? ` (probable cause: ${(p.summary as { probableCause: string }).probableCause})` : ''}` +
    `${p.dataLoss ? '; reported data loss' : ''}${p.severityRaisedTo ? `; severity raised to ${str(p.severityRaisedTo)}` : ''}`,
  update_posted: (p) => `posted an update${quoted(p.text)}`,
  // Levels are stored from 0 and read from 1 (level 1 is the primary on-call).
  paged: (p) => `paged ${who(p.person ?? { name: p.target })}${typeof p.level === 'number' ? ` (${p.label ? `${str(p.label)}, ` : ''}level ${p.level + 1})` : ''}`,
  escalated: (p) => `escalated${typeof p.toLevel === 'number' ? `: paging level ${p.toLevel}` : ` (escalation ${str(p.level)})`}${quoted(p.note)}`,
  reminder: (p) => `reminder${quoted(p.text ?? p.message)}`,
  alert_received: alerts,
  channel_created: (p) => `channel ${str(p.name)} ${p.adopted ? 'adopted after a restart' : 'created'}${p.warning ? ` (${str(p.warning)})` : ''}`,
  chat_created: (p) => `private chat created${typeof p.members === 'number' ? ` with ${p.members} member${p.members === 1 ? '' : 's'}` : ''}`,
  chat_fallback: (p) => `the private chat could not be made (${str(p.reason)}): the card and updates go to each member's personal chat`,
  member_invited: (p) => `invited ${who(p.person)} to the private incident`,
  member_removed: (p) => `removed ${who(p.person)} from the private incident`,
  meeting_created: (p) => `meeting created${p.via ? ` (${str(p.via)})` : ''}`,
  tab_added: () => 'incident tab added to the channel',
  meeting_tab_added: () => 'incident tab added to the meeting (chat and side panel)',
  meeting_joined: () => 'joined the meeting',
  meeting_left: () => 'left the meeting',
  meeting_started: () => 'the bridge started',
  meeting_ended: (p) => `the bridge ended; attended: ${list(p.attended)}`,
  transcript_attached: (p) => `the bridge's transcript attached${typeof p.lines === 'number' ? ` (${p.lines} line${p.lines === 1 ? '' : 's'})` : ''}`,
  recording_attached: () => "the bridge's recording linked",
  transcript_unavailable: (p) => `no transcript of the bridge: ${str(p.reason)}`,
  channel_joined: () => 'joined the incident channel',
  card_posted: () => 'incident card posted',
  broadcast_posted: () => 'announced in the broadcast channel',
  reporter_notified: () => 'told the reporter where the incident room is',
  provisioning_failed: (p) => `${str(p.step, 'a provisioning step')} failed: ${str(p.error, 'unknown error')}${p.hint ? ` (${str(p.hint)})` : ''}`,
  topic_updated: (p) => `set the topic${quoted(p.line ?? p.text)}`,
  data_loss_reported: (p) => `reported data loss or corruption${quoted(p.text ?? p.note)}`,
  public_status_updated: (p) => `set the public status page to ${str(p.status)}${quoted(p.text)}`,
  public_status_published: (p) => `status page updated${p.url ? ` (${str(p.url)})` : ''}`,
  public_status_failed: (p) => `status page update failed: ${str(p.error, 'unknown error')}`,
  delivery_failed: (p) => `${str(p.what, 'a delivery')} failed: ${str(p.error, 'unknown error')}`,
  followed: () => 'followed the incident (updates in personal chat)',
  unfollowed: () => 'stopped following the incident',
  note: (p) => `noted${quoted(p.text)}`,
  resolved: (p) => `resolved the incident${recorded(p)}`,
  closed: () => 'closed the incident',
  archived: () => 'archived the incident',
  checklist_ticked: (p) => `ticked “${str(p.text ?? p.item)}”${p.because ? ` (${str(p.because)})` : ''}`,
  checklist_unticked: (p) => `unticked “${str(p.text ?? p.item)}”`,
  postmortem_saved: (p) => `saved version ${str(p.version)} of the post-mortem`,
  postmortem_published: (p) => `published version ${str(p.version)} of the post-mortem`,
  review_scheduled: (p) => `scheduled the post-mortem review for ${when(p.start)} with ${list(p.invited)}${busyNote(p.busy)}`,
  review_moved: (p) => `moved the post-mortem review to ${when(p.start)}${busyNote(p.busy)}`,
  action_items_tracked: (p) => `${str(p.summary, 'action items synced with the tracker')}`,
  key_message: (p) => keyMessage(p),
  action_item_nudged: (p) => p.skipped ? `did not remind ${str(p.owner, 'the owner')} of the action item “${str(p.item, 'an action item')}”: ${str(p.reason, 'they are not in the incidents team')}` : `reminded ${str(p.owner, 'the owner')} of the action item “${str(p.item, 'an action item')}” (${NUDGE_WHY[str(p.nudge)] ?? str(p.nudge)}${p.due ? `, due ${str(p.due)}` : ''}) by ${str(p.via, 'message')}`,
  action_items_done: (p) => `all ${str(p.count)} action items are done${typeof p.owners === 'string' && p.owners ? ` (thanks to ${p.owners})` : ''}`,
  postmortem_filed: (p) => `filed version ${str(p.version)} of the post-mortem in the channel’s files as ${str(p.name)}`,
};

export function describeEvent(event: Pick<TimelineEvent, 'kind' | 'payload'>): string {
  const describe = DESCRIBE[event.kind] as ((p: Payload) => string) | undefined;
  return describe ? describe(event.payload ?? {}) : event.kind.replace(/_/g, ' ');
}

/** A link the event points at (the Teams message an incident was declared from); https only. */
export function eventLink(event: Pick<TimelineEvent, 'payload'>): string | undefined {
  const link = (event.payload?.message as { link?: unknown } | undefined)?.link;
  return typeof link === 'string' && HTTPS_LINK.test(link) ? link : undefined;
}
