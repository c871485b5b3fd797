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
  resolve: 'resolve',
  close: 'close',
} as const;

export type CardVerb = (typeof CARD_VERBS)[keyof typeof CARD_VERBS] | CardActionName;

/** Every button carries the incident and the version it was rendered from (stale-click detection). */
export function actionData(incident: Pick<Incident, 'id' | 'version'>, extra: Record<string, unknown> = {}) {
  return { incidentId: incident.id, v: incident.version, ...extra };
}

/** A button that runs `verb` on this incident. */
export function execute(incident: Pick<Incident, 'id' | 'version'>, title: string, verb: CardVerb, extra: Record<string, unknown> = {}, options: CardElement = {}): CardElement {
  return { type: 'Action.Execute', title, verb, data: actionData(incident, extra), ...options };
}
