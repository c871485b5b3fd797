/**
 * What a recorded change still has to do outside the database: post the update in the channel
 * and in the broadcast thread, rewrite the channel's topic line, re-render the card and the
 * broadcast, and tell the reactions (paging timers, personal notifications, followers, the
 * status page). They are written with the change itself (the incident's `effects`), so a crash
 * after the write loses none of them, and delivered in order by the outbox worker.
 */
import type { Person } from '../incident/incident.js';
import type { TimelineEvent } from '../incident/timeline.js';
import { deterministicId } from '../support/ids.js';
import type { Change } from '../actions/decisions.js';

interface EffectBase {
  /** Derived from the event and the kind: the same change always makes the same effects. */
  readonly id: string;
  readonly eventId: string;
  /** When the change was recorded: an effect that cannot be delivered for long is given up. */
  readonly at: Date;
}

/** The update a person posted, as a message in the incident channel. */
export interface ChannelPost extends EffectBase { readonly kind: 'channelPost'; readonly text: string; readonly by: Person }
/** The same update, as a reply under the incident's root message in the broadcast channel. */
export interface BroadcastReply extends EffectBase { readonly kind: 'broadcastReply'; readonly text: string; readonly by: Person }
/** The channel description names severity and topic: rewritten from the record as it then is. */
export interface TopicLine extends EffectBase { readonly kind: 'topic' }
/** The card and the broadcast root, re-rendered from the record as it then is. */
export interface Refresh extends EffectBase { readonly kind: 'refresh' }
/** Each reaction hears of the event once. */
export interface Reactions extends EffectBase { readonly kind: 'react'; readonly event: TimelineEvent }

export type Effect = ChannelPost | BroadcastReply | TopicLine | Refresh | Reactions;
export type EffectKind = Effect['kind'];

/**
 * Where delivering an effect stands (kept beside the effects, by effect id). `maybeSent` is set
 * before a message goes out and cleared when Teams said it did not take it: set, it means an
 * earlier attempt may have landed, so the worker looks in the channel before posting again.
 */
export interface EffectState {
  readonly attempts: number;
  readonly maybeSent?: boolean;
  readonly notBefore?: Date;
  readonly lastError?: string;
  /** Reactions that have run (for `react`). */
  readonly done?: readonly string[];
}

/** The effects of one recorded change, in the order they are delivered. */
export function effectsOf(change: Change, event: TimelineEvent, post: { readonly text: string; readonly by: Person } | undefined): Effect[] {
  const make = <K extends EffectKind>(kind: K) => ({ id: deterministicId('effect', event.id, kind), eventId: event.id, at: event.at, kind });
  const effects: Effect[] = [];
  if (post) effects.push({ ...make('channelPost'), ...post }, { ...make('broadcastReply'), ...post });
  if (change.topic || event.kind === 'severity_changed') effects.push(make('topic'));
  effects.push(make('refresh'), { ...make('react'), event });
  return effects;
}

/** The marker an update's message carries, so a retry can find the post an earlier attempt made. */
export function deliveryMarker(effect: Pick<Effect, 'id'>): string {
  return `delivery-${effect.id}`;
}
