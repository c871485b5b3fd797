import { MERGED_GROUPS, type IncidentPatch } from '../incident/patch.js';

const merged = new Set<string>(MERGED_GROUPS);

/**
 * A domain patch as the fields of a `$set`: a merged group's members become dotted paths (so the
 * rest of the group stays), every other field is replaced whole. Values keep their types: `null`
 * is stored as null, and the driver leaves out `undefined`.
 */
export function patchToSet(patch: IncidentPatch): Record<string, unknown> {
  const set: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(patch)) {
    if (merged.has(field) && value !== null && typeof value === 'object') {
      for (const [member, memberValue] of Object.entries(value as Record<string, unknown>)) set[`${field}.${member}`] = memberValue;
    } else {
      set[field] = value;
    }
  }
  return set;
}
