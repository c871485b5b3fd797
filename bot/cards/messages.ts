import { incidentLabel, type Incident } from '../../models/incident.js';
import { severityInfo } from '../../models/severity.js';
import { adaptiveCard, plain, text, type CardElement } from './common.js';

/** What the reporter sees where they declared: first "declaring…", then the link to the room. */
export function reporterCard(incident: Incident): CardElement {
  const label = `${incidentLabel(incident)} (${incident.severity} ${severityInfo[incident.severity].label})`;
  if (incident.channel) {
    return adaptiveCard(
      [text(`🚨 ${label} declared: ${plain(incident.title)}`, { weight: 'Bolder' }), text(`The war room is open in [${plain(incident.channel.name)}](${incident.channel.webUrl}).`)],
      [{ type: 'Action.OpenUrl', title: 'Go to the incident channel', url: incident.channel.webUrl }],
    );
  }
  const failed = incident.provisioning.steps.channel;
  if (failed.status === 'failed') {
    return adaptiveCard([
      text(`🚨 ${label} declared: ${plain(incident.title)}`, { weight: 'Bolder' }),
      text(`The incident is recorded, but its channel could not be created: ${plain(failed.error ?? 'unknown error')}.${failed.hint ? ` ${plain(failed.hint)}` : ''}`, { color: 'attention' }),
    ]);
  }
  return adaptiveCard([text(`🚨 ${label} declared: ${plain(incident.title)}`, { weight: 'Bolder' }), text('Opening the war room: channel, meeting, tab and card…', { isSubtle: true })]);
}
