/**
 * One log line per timeline event, when it is first recorded: who did what to which incident,
 * in the timeline's own words ("INC-4 Adele Vance declared the incident as P1: Checkout down").
 * The timeline is where every meaningful thing that happens to an incident is written, so the
 * log follows an incident without a line per HTTP request; the steps that build the war room and
 * the echoes of other events are debug, failures warn.
 */
import { incidentLabel } from '../incident/incident.js';
import { describeEvent } from '../incident/eventText.js';
import type { EventKind, TimelineEvent } from '../incident/timeline.js';
import type { IncidentLookup } from '../ports/incidentLookup.js';
import type { Logger } from '../ports/logger.js';
import type { TimelineListener } from '../ports/timelineStore.js';

type Level = 'info' | 'debug' | 'warn';

const LEVELS: Readonly<Record<EventKind, Level>> = {
  declared: 'info',
  chat_created: 'info',
  chat_fallback: 'warn',
  member_invited: 'info',
  member_removed: 'info',
  acknowledged: 'info',
  command_taken: 'info',
  role_assigned: 'info',
  status_changed: 'info',
  severity_changed: 'info',
  type_changed: 'info',
  summary_updated: 'info',
  update_posted: 'info',
  paged: 'info',
  escalated: 'info',
  reminder: 'info',
  alert_received: 'info',
  data_loss_reported: 'info',
  followed: 'info',
  unfollowed: 'info',
  note: 'info',
  key_message: 'info',
  resolved: 'info',
  closed: 'info',
  archived: 'info',
  checklist_ticked: 'info',
  checklist_unticked: 'info',
  postmortem_saved: 'info',
  postmortem_published: 'info',
  postmortem_filed: 'info',
  review_scheduled: 'info',
  review_moved: 'info',
  action_items_tracked: 'info',
  action_item_nudged: 'info',
  action_items_done: 'info',
  public_status_updated: 'info',
  meeting_joined: 'info',
  meeting_left: 'info',
  channel_joined: 'info',
  // The war room being built: the channel says it is open, the other steps are detail.
  channel_created: 'info',
  meeting_created: 'debug',
  tab_added: 'debug',
  meeting_tab_added: 'debug',
  card_posted: 'debug',
  broadcast_posted: 'debug',
  reporter_notified: 'debug',
  // Follows the summary (the topic line is made from it) and the public status (the page took it).
  topic_updated: 'debug',
  public_status_published: 'debug',
  provisioning_failed: 'warn',
  public_status_failed: 'warn',
  delivery_failed: 'warn',
};

/** Long enough for a title or an update's first sentence; the timeline keeps the whole text. */
const MAX_TEXT = 240;
/** Incident labels remembered (an incident's number never changes); a busy tenant's recent incidents fit. */
const LABELS_KEPT = 500;

export class EventLog implements TimelineListener {
  private readonly labels = new Map<string, string>();

  constructor(private readonly deps: { readonly log: Logger & { debug(obj: object, msg?: string): void }; readonly incidents: Pick<IncidentLookup, 'findById'> }) {}

  eventRecorded(event: TimelineEvent): void {
    // Never in the way of recording: a line that cannot be written is dropped.
    this.write(event).catch(() => undefined);
  }

  private async write(event: TimelineEvent): Promise<void> {
    // Imported history is recorded in bulk, long after it happened: not news.
    const level = event.payload?.source === 'import' ? 'debug' : LEVELS[event.kind];
    const incident = await this.label(event);
    // One line: people's words may hold line breaks.
    const sentence = `${event.actor.name} ${describeEvent(event)}`.replace(/\s+/g, ' ').trim();
    const message = sentence.length > MAX_TEXT ? `${sentence.slice(0, MAX_TEXT - 1)}…` : sentence;
    this.deps.log[level]({ ...(incident ? { incident } : {}), incidentId: event.incidentId, event: event.kind, by: event.actor.name }, message);
  }

  private async label({ incidentId, kind, payload }: TimelineEvent): Promise<string | undefined> {
    const known = this.labels.get(incidentId);
    if (known) return known;
    // An incident's first event names its number: no read of the record while its war room is being built.
    const number = kind === 'declared' && typeof payload.number === 'number' ? payload.number : (await this.deps.incidents.findById(incidentId).catch(() => undefined))?.number;
    if (number === undefined) return undefined;
    if (this.labels.size >= LABELS_KEPT) this.labels.delete(this.labels.keys().next().value!);
    const label = incidentLabel({ number });
    this.labels.set(incidentId, label);
    return label;
  }
}
