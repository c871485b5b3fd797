import { deterministicId } from '../support/ids.js';

export const EVENT_KINDS = [
  'declared', 'acknowledged', 'role_assigned', 'status_changed', 'severity_changed', 'summary_updated',
  'update_posted', 'paged', 'escalated', 'reminder', 'alert_received', 'channel_created', 'meeting_created',
  'tab_added', 'meeting_tab_added', 'meeting_joined', 'meeting_left', 'channel_joined', 'card_posted', 'broadcast_posted', 'reporter_notified', 'provisioning_failed', 'topic_updated', 'data_loss_reported',
  'followed', 'unfollowed', 'public_status_updated', 'public_status_published', 'public_status_failed', 'note', 'resolved', 'closed', 'archived', 'checklist_ticked', 'checklist_unticked', 'postmortem_saved', 'postmortem_published', 'command_taken', 'delivery_failed', 'type_changed',
  'postmortem_filed', 'review_scheduled', 'review_moved',
  'chat_created', 'chat_fallback', 'member_invited', 'member_removed',
  'action_items_tracked',
  'key_message',
  'action_item_nudged', 'action_items_done',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface Actor {
  readonly kind: 'user' | 'system' | 'monitor';
  /** Teams user id (29:…) or AAD object id for users; a source name for monitors. */
  readonly id: string;
  readonly name: string;
}

export const SYSTEM: Actor = { kind: 'system', id: 'incident-room', name: 'incident-room' };

/** Append-only: the timeline is the source of truth for metrics and the post-mortem. */
export interface TimelineEvent {
  readonly id: string;
  readonly incidentId: string;
  readonly at: Date;
  readonly actor: Actor;
  readonly kind: EventKind;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The incident version this event produced, so a stale card can be told what changed since. */
  readonly version?: number;
}

/**
 * Builds an event whose id is derived from what makes it unique (e.g. the incident and the
 * provisioning step, or the Teams activity that caused it), so recording it twice is a no-op.
 */
export function timelineEvent(
  incidentId: string,
  kind: EventKind,
  uniqueBy: string,
  fields: { at: Date; actor: Actor; payload?: Record<string, unknown> },
): TimelineEvent {
  return {
    id: deterministicId('event', incidentId, kind, uniqueBy),
    incidentId,
    kind,
    at: fields.at,
    actor: fields.actor,
    payload: fields.payload ?? {},
  };
}
