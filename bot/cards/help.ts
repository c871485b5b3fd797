import type { Incident } from '../../models/incident/incident.js';
import { nextStatuses } from '../../models/incident/lifecycle.js';
import { adaptiveCard, text, type CardElement } from './common.js';
import { CARD_VERBS, execute } from './cardVerbs.js';

export interface HelpEntry {
  readonly usage: string;
  readonly summary: string;
}

/**
 * Help generated from the command table. In an incident channel it leads with calls to action
 * (every message should offer the next step): become IC, update status, show
 * info, edit the summary, escalate.
 */
export function helpCard(commands: readonly HelpEntry[], opening: string, incident?: Incident): CardElement {
  const body: CardElement[] = [text(opening, { weight: 'Bolder' })];
  const actions: CardElement[] = [];
  if (incident) {
    body.push(text('Quick actions for this incident:', { isSubtle: true }));
    if (!incident.roles.commander) actions.push(execute(incident, 'Become IC', CARD_VERBS.takeRole, { role: 'commander' }));
    const statuses = nextStatuses(incident.status).filter((s) => s !== 'closed' && s !== 'archived');
    if (statuses.length > 0) {
      actions.push({
        type: 'Action.ShowCard',
        title: 'Update status',
        card: { type: 'AdaptiveCard', body: [{ type: 'Input.ChoiceSet', id: 'statusTo', value: statuses[0], choices: statuses.map((s) => ({ title: s, value: s })) }], actions: [execute(incident, 'Change status', CARD_VERBS.status)] },
      });
    }
    actions.push(execute(incident, 'Show info', CARD_VERBS.info), execute(incident, 'Edit summary', CARD_VERBS.editSummary), execute(incident, 'Escalate', CARD_VERBS.escalate));
  }
  body.push(text(commands.map((c) => `- \`${c.usage}\`: ${c.summary}`).join('\n'), { separator: true }));
  return adaptiveCard(body, actions);
}
