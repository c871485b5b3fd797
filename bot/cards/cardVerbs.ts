import type { Incident } from '../../models/incident/incident.js';
import type { CardActionName } from '../../models/actions/actionTable.js';
import type { CardElement } from './common.js';

/**
 * Every Action.Execute verb a card of ours can send: these, and the name of every action of the
 * action table that a card may run directly. Cards name verbs only through these, and the verb
 * table in bot/verbs.ts must have a handler for each (a missing one does not compile).
 */
export const CARD_VERBS = {
  declare: 'declare',
  refresh: 'refresh',
  info: 'info',
  editSummary: 'editSummary',
  acknowledge: 'ack',
  takeRole: 'takeRole',
  assignRole: 'assignRole',
  status: 'status',
  severity: 'severity',
  summary: 'summary',
  update: 'update',
  escalate: 'escalate',
  publicStatus: 'publicStatus',
  follow: 'follow',
  unfollow: 'unfollow',
  invite: 'invite',
  removeMember: 'removeMember',
  resolve: 'resolve',
  close: 'close',
} as const;

/**
 * Verbs no card of ours sends any more, still answered: cards posted before text entry moved to
 * dialogs stay in channels (the summary form saves only what differs and never overwrites silently).
 */
export const LEGACY_CARD_VERBS: Readonly<Partial<Record<(typeof CARD_VERBS)[keyof typeof CARD_VERBS], string>>> = {
  summary: 'the summary form that was on the card',
  update: 'the update box that was on the card',
  publicStatus: 'the public status form that was on the card',
};

export type CardVerb = (typeof CARD_VERBS)[keyof typeof CARD_VERBS] | CardActionName;

/** Every button carries the incident and the version it was rendered from (stale-click detection). */
export function actionData(incident: Pick<Incident, 'id' | 'version'>, extra: Record<string, unknown> = {}) {
  return { incidentId: incident.id, v: incident.version, ...extra };
}

/** A button that runs `verb` on this incident. */
export function execute(incident: Pick<Incident, 'id' | 'version'>, title: string, verb: CardVerb, extra: Record<string, unknown> = {}, options: CardElement = {}): CardElement {
  return { type: 'Action.Execute', title, verb, data: actionData(incident, extra), ...options };
}

/**
 * The dialogs (Teams task modules) a card opens for typing: a card refreshes under whoever is
 * looking at it when anyone changes the incident, so text is never typed into the card itself.
 */
export const DIALOGS = {
  update: 'update',
  summary: 'summary',
  severity: 'severity',
  publicStatus: 'publicStatus',
} as const;

export type DialogName = (typeof DIALOGS)[keyof typeof DIALOGS];

/** A button that opens a dialog: Teams sends `task/fetch` with this data, and the dialog's own buttons send `task/submit`. */
export function openDialog(incident: Pick<Incident, 'id' | 'version'>, title: string, dialog: DialogName, options: CardElement = {}): CardElement {
  return { type: 'Action.Submit', title, data: { msteams: { type: 'task/fetch' }, dialog, ...actionData(incident) }, ...options };
}

/** The submit button inside a dialog (its inputs are merged into this data by Teams). */
export function submitDialog(incident: Pick<Incident, 'id' | 'version'>, title: string, dialog: DialogName, extra: Record<string, unknown> = {}, options: CardElement = {}): CardElement {
  return { type: 'Action.Submit', title, data: { dialog, ...actionData(incident), ...extra }, ...options };
}
