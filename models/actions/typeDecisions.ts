/**
 * Changing an incident's type once more is known (the "outage" turns out to be an attack): from
 * then on its checklist, required roles, paging and broadcast are the new type's. Ticks are kept
 * by item id, so what was done stays done and the new type's items are added to do.
 */
import { incidentLabel, type Incident, type Person } from '../incident/incident.js';
import { findType, typeOf, type IncidentTypes } from '../incident/incidentTypes.js';
import { typeList } from '../incident/typedDeclaration.js';
import type { Decision } from './decisions.js';
import { whenClosed } from './roleDecisions.js';

export function changeType(incident: Incident, typed: string, types: IncidentTypes, actor: Person): Decision {
  const closed = whenClosed(incident);
  if (closed) return closed;
  if (!typed.trim()) return { refuse: `Which type? The types are ${typeList(types)}; e.g. \`type security\`.` };
  const to = findType(types, typed);
  if (!to) return { refuse: `There is no type “${typed.trim().slice(0, 40)}”; the types are ${typeList(types)}. Nothing was changed.` };
  const from = typeOf(types, incident.type);
  if (from.id === to.id) return { refuse: `${incidentLabel(incident)} is already a ${to.label} incident.` };
  const said = `${actor.name} changed ${incidentLabel(incident)} from ${from.label} to ${to.label}: its checklist, required roles, paging and broadcast are the ${to.label} ones from now on.`;
  return {
    patch: { type: to.id },
    event: {
      kind: 'type_changed',
      // `privateByDefault`: whether the new type keeps incidents private, for whatever moves an incident's privacy with its type.
      payload: { from: from.id, to: to.id, fromLabel: from.label, toLabel: to.label, privateByDefault: to.privateByDefault },
    },
    message: said,
    post: said,
  };
}
