/**
 * The `types` and `defaultType` of a TENANT_CONFIG_FILE layer, checked and applied over the
 * types below it (built-in ← default ← tenant). Naming a type that exists overrides only the
 * keys given (its `checklist` and `fields`, when named, are replaced whole); naming a new id
 * adds a type (it must have a `label`); `null` removes one. Every problem is named with its place
 * in the file, so a typo never falls back to the built-ins silently.
 */
import { z } from 'zod';
import { checkChannelPattern } from '../warRoom/channelName.js';
import { escalationLevelSchema } from '../paging/oncall.js';
import { checklistSchema } from './checklist.js';
import { FIELD_ID, FIELD_KINDS, FIELD_LIMITS, type FieldDefinition } from './extraFields.js';
import { ROLES } from './incident.js';
import { BROADCAST_MODES, CHECKLIST_MODES, PRIVATE_IN_METRICS, MAX_TYPES, NEW_TYPE_DEFAULTS, TYPE_ID, type IncidentType, type IncidentTypes, type TypePaging } from './incidentTypes.js';
import { SEVERITIES } from './severity.js';
import { trackerPickSchema } from '../followThrough/trackerChoice.js';

const duplicate = (values: readonly string[]) => {
  const lower = values.map((v) => v.toLowerCase());
  return values.find((_, n) => lower.indexOf(lower[n]!) !== n);
};

const fieldBase = {
  id: z.string().regex(FIELD_ID, 'field ids are lowercase letters, digits and dashes, starting with a letter (≤ 30)'),
  label: z.string().trim().min(1).max(FIELD_LIMITS.labelLength),
  help: z.string().trim().max(FIELD_LIMITS.helpLength).optional(),
  required: z.boolean().default(false),
};

const fieldSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ ...fieldBase, kind: z.literal('text'), maxLength: z.number().int().min(1).max(FIELD_LIMITS.textMax).default(FIELD_LIMITS.textDefault), multiline: z.boolean().default(false) }).strict(),
    z
      .object({
        ...fieldBase,
        kind: z.literal('choice'),
        options: z.array(z.string().trim().min(1).max(FIELD_LIMITS.optionLength)).min(2, 'a choice needs at least two options').max(FIELD_LIMITS.optionsMax),
      })
      .strict()
      .superRefine((field, ctx) => {
        const dupe = duplicate(field.options);
        if (dupe) ctx.addIssue({ code: 'custom', path: ['options'], message: `option "${dupe}" appears twice (options are matched whatever their case)` });
      }),
    z.object({ ...fieldBase, kind: z.literal('person') }).strict(),
    z
      .object({ ...fieldBase, kind: z.literal('number'), min: z.number().optional(), max: z.number().optional(), integer: z.boolean().default(false), unit: z.string().trim().min(1).max(FIELD_LIMITS.unitLength).optional() })
      .strict()
      .refine((field) => field.min === undefined || field.max === undefined || field.min <= field.max, { message: 'min must not be above max', path: ['min'] }),
  ],
  { error: () => `each field needs a "kind": ${FIELD_KINDS.join(', ')}` },
);

const fieldsSchema = z
  .array(fieldSchema)
  .max(FIELD_LIMITS.fieldsPerType)
  .superRefine((fields, ctx) => {
    const dupe = duplicate(fields.map((f) => f.id));
    if (dupe) ctx.addIssue({ code: 'custom', message: `field id "${dupe}" appears twice (values are stored by id)` });
  });

const pagingSchema = z.union(
  [
    z.literal('default'),
    z.literal('none'),
    z
      .object({
        name: z.string().trim().min(1).max(80),
        levels: z.array(escalationLevelSchema).min(1, 'the escalation policy needs at least one level').max(10),
        pagerDutyRoutingKey: z.string().regex(/^[0-9a-zA-Z]{32}$/, 'the 32-character integration key of a PagerDuty Events API v2 integration').optional(),
      })
      .strict(),
  ],
  { error: () => 'paging is "default" (the on-call rota of ONCALL_FILE, or PagerDuty), "none", or { "name", "levels": [...] } (the type\'s own escalation policy)' },
);

const typeLayerSchema = z
  .object({
    label: z.string().trim().min(1).max(40),
    description: z.string().trim().max(300),
    defaultSeverity: z.enum(SEVERITIES),
    checklist: z.object({ mode: z.enum(CHECKLIST_MODES), items: checklistSchema }).strict(),
    requiredRoles: z
      .array(z.enum(ROLES))
      .max(ROLES.length)
      .refine((roles) => new Set(roles).size === roles.length, 'a role appears twice'),
    /** `null`: back to the tenant's pattern. */
    channelNamePattern: z
      .string()
      .superRefine((pattern, ctx) => {
        const problem = checkChannelPattern(pattern);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .nullable(),
    privateByDefault: z.boolean(),
    privateInMetrics: z.enum(PRIVATE_IN_METRICS),
    broadcast: z.enum(BROADCAST_MODES),
    paging: pagingSchema,
    fields: fieldsSchema,
    tracker: trackerPickSchema,
    recordConversation: z.boolean(),
  })
  .partial()
  .strict();
type TypeLayer = z.infer<typeof typeLayerSchema>;

/** The `types` section: type id → the type's keys, or `null` to remove it. */
export const typesLayerSchema = z.record(z.string().regex(TYPE_ID), typeLayerSchema.nullable(), {
  error: (issue) => (issue.code === 'invalid_key' ? 'type ids are lowercase letters, digits and dashes, starting with a letter (2–30), like "security"' : undefined),
});

export interface TypesLayer {
  readonly types?: z.infer<typeof typesLayerSchema>;
  readonly defaultType?: string;
}

const toPaging = (paging: NonNullable<TypeLayer['paging']>): TypePaging =>
  paging === 'default' || paging === 'none' ? { kind: paging } : { kind: 'policy', name: paging.name, levels: paging.levels, ...(paging.pagerDutyRoutingKey ? { pagerDutyRoutingKey: paging.pagerDutyRoutingKey } : {}) };

/** The layer's keys over a type (or over the defaults of a new one); only what the layer names changes. */
function overType(base: IncidentType, layer: TypeLayer): IncidentType {
  const { channelNamePattern, paging, fields, ...plain } = layer;
  const defined = Object.fromEntries(Object.entries(plain).filter(([, value]) => value !== undefined)) as Partial<IncidentType>;
  const type: IncidentType = {
    ...base,
    ...defined,
    ...(paging !== undefined ? { paging: toPaging(paging) } : {}),
    ...(fields !== undefined ? { fields: fields as FieldDefinition[] } : {}),
  };
  if (channelNamePattern === undefined) return type;
  const { channelNamePattern: _inherited, ...rest } = type;
  return channelNamePattern === null ? rest : { ...rest, channelNamePattern };
}

/**
 * Applies one layer's `types` and `defaultType` over the types below it. `where` is the layer's
 * place in the file ("default", "tenants.<id>"), for the problems found only once the layers
 * meet (a new type without a label, a default that no longer exists, two types with one label).
 */
export function applyTypesLayer(base: IncidentTypes, layer: TypesLayer, where: string): { types: IncidentTypes } | { problems: string[] } {
  if (layer.types === undefined && layer.defaultType === undefined) return { types: base };
  const problems: string[] = [];
  const list = [...base.list];
  for (const [id, typeLayer] of Object.entries(layer.types ?? {})) {
    const at = list.findIndex((t) => t.id === id);
    if (typeLayer === null) {
      if (at < 0) problems.push(`${where}.types.${id}: there is no type "${id}" to remove; the types are ${list.map((t) => t.id).join(', ')}`);
      else list.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      list[at] = overType(list[at]!, typeLayer);
    } else if (typeLayer.label === undefined) {
      problems.push(`${where}.types.${id}: a new type needs a "label" (the types so far are ${list.map((t) => t.id).join(', ')}; check the spelling if you meant one of them)`);
    } else {
      list.push(overType({ id, label: typeLayer.label, ...NEW_TYPE_DEFAULTS }, typeLayer));
    }
  }
  const defaultId = layer.defaultType ?? base.defaultId;
  if (!list.some((t) => t.id === defaultId)) {
    problems.push(
      layer.defaultType !== undefined
        ? `${where}.defaultType: there is no type "${defaultId}"; the types are ${list.map((t) => t.id).join(', ') || 'none'}`
        : `${where}.types.${defaultId}: "${defaultId}" is the default type; set "defaultType" to another type before removing it`,
    );
  }
  if (list.length > MAX_TYPES) problems.push(`${where}.types: ${list.length} types; at most ${MAX_TYPES} (a declare form offering more is unusable)`);
  const sameLabel = duplicate(list.map((t) => t.label));
  if (sameLabel) problems.push(`${where}.types: two types are labelled "${sameLabel}"; \`--type\` finds a type by its id or label, so labels must differ`);
  return problems.length > 0 ? { problems } : { types: { list, defaultId } };
}
