/**
 * The "Add to timeline" dialog: the message as it will be kept (who wrote it, when, its words)
 * and an optional note on why it matters. Opened again on a message already added, it says who
 * added it and offers to give or replace the note.
 */
import { incidentLabel, type Incident } from '../../models/incident/incident.js';
import { KEY_MESSAGE_NOTE_MAX, type KeyMessage } from '../../models/record/keyMessages.js';
import { utcMinute } from '../../models/support/utcMinute.js';
import { md } from '../../models/support/markdown.js';
import { adaptiveCard, fact, factSet, text, type CardElement } from './common.js';

const PREVIEW = 600;

export interface AddedBefore {
  readonly by: string;
  readonly at: Date;
  readonly note?: string;
}

export function keyMessageCard(incident: Pick<Incident, 'number' | 'title'>, message: KeyMessage, before?: AddedBefore): CardElement {
  const words = message.text.length > PREVIEW ? `${message.text.slice(0, PREVIEW - 1)}…` : message.text;
  const body: CardElement[] = [
    text(before ? md`Already on the ${incidentLabel(incident)} timeline: added by ${before.by}, ${utcMinute(before.at)}.` : md`Add this message to the ${incidentLabel(incident)} timeline (${incident.title}).`, { weight: 'Bolder' }),
    factSet([fact('Written by', message.author), fact('Written', message.writtenAt ? utcMinute(message.writtenAt) : 'unknown')]),
    { type: 'Container', style: 'emphasis', items: [text(words || '(no text)', { isSubtle: false })] },
    {
      type: 'Input.Text',
      id: 'note',
      label: before ? 'Why this matters (replaces the note on it)' : 'Why this matters (optional)',
      placeholder: 'The moment we knew it was the deploy',
      isMultiline: true,
      maxLength: KEY_MESSAGE_NOTE_MAX,
      value: before?.note ?? '',
    },
  ];
  return adaptiveCard(body, [{ type: 'Action.Submit', title: before ? 'Save the note' : 'Add to timeline', data: {} }]);
}
