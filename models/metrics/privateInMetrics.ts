/**
 * Which private incidents someone's metrics leave out: those of types whose `privateInMetrics` is
 * `hidden`, unless the person is an incident admin (who sees every incident). Other private
 * incidents stay in as numbers: the metrics carry no titles, links or people.
 */
import type { IncidentTypes } from '../incident/incidentTypes.js';

/** The type ids to leave out for this viewer, or undefined for none (asks whether they see everything only when a type hides). */
export async function hiddenPrivateTypes(types: IncidentTypes | undefined, seesEveryIncident: () => Promise<boolean>): Promise<readonly string[] | undefined> {
  const hiding = (types?.list ?? []).filter((t) => t.privateInMetrics === 'hidden').map((t) => t.id);
  if (hiding.length === 0 || (await seesEveryIncident())) return undefined;
  return hiding;
}
