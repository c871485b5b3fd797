/**
 * How incidents look and read in one tenant: the channel-name pattern, the severity names and
 * definitions, the SOP checklists, the incident types and a few card texts. One JSON file (TENANT_CONFIG_FILE) holds
 * a `default` section and a section per tenant id; each layer overrides only what it names:
 * built-in ← default ← tenant. The severity scale itself (P0–P3) is fixed: the lifecycle,
 * escalation rules, paging timings and metrics all speak it, so a tenant renames and redefines
 * the levels but does not add or remove them.
 */
import { accessLayerSchema, applyAccessLayer, DEFAULT_POLICY, type AccessPolicy } from '../access/policy.js';
import { z } from 'zod';
import { checkChannelPattern, DEFAULT_CHANNEL_PATTERN } from '../warRoom/channelName.js';
import { DEFAULT_SOP, sopSchema, type ChecklistItem, type Sop } from './checklist.js';
import { applyTypesLayer, typesLayerSchema } from './incidentTypeConfig.js';
import { broadcastFor, BUILT_IN_TYPES, isPrivateIncident, pagerDutyKeyOf, typeChecklist, typeOf, type BroadcastMode, type IncidentType, type IncidentTypes } from './incidentTypes.js';
import { SEVERITIES, type Severity } from './severity.js';
import type { Incident } from './incident.js';
import { pickTracker, trackerDefinitionsSchema, trackerPickSchema, type TrackerDefinition } from '../followThrough/trackerChoice.js';

export const SEVERITY_COLOURS = ['attention', 'warning', 'accent', 'good'] as const;

export interface SeverityInfo {
  readonly label: string;
  readonly definition: string;
  /** Adaptive Card colour of the badge and header. */
  readonly colour: (typeof SEVERITY_COLOURS)[number];
}
export type Severities = Readonly<Record<Severity, SeverityInfo>>;

export const BUILT_IN_SEVERITIES: Severities = {
  P0: { label: 'Critical', definition: 'Many customers cannot use the product, or data is lost or corrupted.', colour: 'attention' },
  P1: { label: 'Major', definition: 'A core feature is down or badly degraded for many customers.', colour: 'warning' },
  P2: { label: 'Minor', definition: 'Some customers see a degraded feature; a workaround exists.', colour: 'accent' },
  P3: { label: 'Low', definition: 'No customer impact yet: a risk, a warning sign, or an internal-only problem.', colour: 'good' },
};

/**
 * The card texts a tenant may reword. Each may use the placeholders listed with it; anything
 * else in braces is refused when the file is checked, so a typo never reaches a card.
 */
export const CARD_TEXTS = {
  meetingSubject: { fallback: '{label} bridge: {title}', placeholders: ['label', 'title', 'severity'], max: 200, about: 'subject of the incident meeting (the bridge)' },
  cardBanner: { fallback: '', placeholders: ['label', 'title', 'severity', 'severityLabel'], max: 300, about: 'a line under the header of every incident card, e.g. a runbook link (Markdown)' },
  broadcastFooter: { fallback: 'Updates follow in this thread.', placeholders: ['label'], max: 200, about: 'last line of the broadcast card' },
  reporterOpening: { fallback: 'Opening the war room: channel, meeting, tab and card…', placeholders: ['label'], max: 200, about: 'what the reporter sees while the war room is built' },
  postmortemFooter: { fallback: 'Blameless by design: it describes systems and conditions, not people.', placeholders: ['label'], max: 300, about: 'footer of the published post-mortem card' },
} as const;
export type CardTextKey = keyof typeof CARD_TEXTS;
export type CardTexts = Readonly<Record<CardTextKey, string>>;

export interface TenantProfile {
  readonly channelNamePattern: string;
  readonly severities: Severities;
  readonly sop: Sop;
  readonly texts: CardTexts;
  /** Who may do what (models/access/policy.ts). */
  readonly access: AccessPolicy;
  /** How many incidents people may declare: a runaway script or a careless loop cannot fill the team with channels. */
  readonly limits: DeclareLimits;
  /** The kinds of incident and what each one gets (models/incident/incidentTypes.ts). */
  readonly types: IncidentTypes;
  /** Where post-mortem action items go: a tracker's name, "default" or "none" (models/followThrough/trackerChoice.ts). */
  readonly tracker?: string;
  /** Whether incident channels' conversations are kept as chat entries (each type may say otherwise; models/record/chatEntries.ts). */
  readonly recordConversation: boolean;
}

export interface DeclareLimits {
  readonly declaresPerPersonPerHour: number;
  readonly declaresPerTenantPerHour: number;
}

export const DEFAULT_LIMITS: DeclareLimits = { declaresPerPersonPerHour: 10, declaresPerTenantPerHour: 60 };

export const BUILT_IN_PROFILE: TenantProfile = {
  channelNamePattern: DEFAULT_CHANNEL_PATTERN,
  severities: BUILT_IN_SEVERITIES,
  sop: DEFAULT_SOP,
  texts: Object.fromEntries(Object.entries(CARD_TEXTS).map(([key, spec]) => [key, spec.fallback])) as CardTexts,
  access: DEFAULT_POLICY,
  limits: DEFAULT_LIMITS,
  types: BUILT_IN_TYPES,
  recordConversation: true,
};

/** Fills a card text's placeholders; values are the caller's (already escaped where needed). */
export function fillText(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const severitySchema = z
  .object({
    label: z.string().trim().min(1).max(24),
    definition: z.string().trim().min(1).max(200),
    colour: z.enum(SEVERITY_COLOURS),
  })
  .partial()
  .strict();

const textsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(CARD_TEXTS).map(([key, spec]) => [
        key,
        z
          .string()
          .max(spec.max)
          .superRefine((value, ctx) => {
            const unknown = [...value.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!).filter((name) => !(spec.placeholders as readonly string[]).includes(name));
            if (unknown.length > 0) {
              ctx.addIssue({ code: 'custom', message: `unknown placeholder(s) ${unknown.map((u) => `{${u}}`).join(', ')}; this text may use ${spec.placeholders.map((p) => `{${p}}`).join(' ')}` });
            }
          }),
      ]),
    ) as Record<CardTextKey, z.ZodString>,
  )
  .partial()
  .strict();

const layerSchema = z
  .object({
    /** Free text for the people reading the file (e.g. the tenant's company name). */
    name: z.string().max(100).optional(),
    channelNamePattern: z.string().superRefine((pattern, ctx) => {
      const problem = checkChannelPattern(pattern);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    severities: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, severitySchema])) as Record<Severity, typeof severitySchema>).partial().strict(),
    /** Checklists per severity; a severity named here replaces its whole list. */
    checklists: sopSchema.partial(),
    texts: textsSchema,
    access: accessLayerSchema,
    limits: z.object({ declaresPerPersonPerHour: z.number().int().min(1).max(1000), declaresPerTenantPerHour: z.number().int().min(1).max(10_000) }).partial().strict(),
    /** Incident types by id: a type named here overrides only the keys it gives; a new id adds a type; null removes one. */
    types: typesLayerSchema,
    /** The type of a declaration that names none. */
    defaultType: z.string(),
    tracker: trackerPickSchema,
    /** Keep incident channels' conversations on the record (default true). */
    recordConversation: z.boolean(),
  })
  .partial()
  .strict();
type Layer = z.infer<typeof layerSchema>;

const fileSchema = z
  .object({
    $schema: z.string().optional(),
    default: layerSchema.optional(),
    trackers: trackerDefinitionsSchema.optional(),
    tenants: z
      .record(z.string(), layerSchema)
      .superRefine((tenants, ctx) => {
        for (const id of Object.keys(tenants)) {
          if (!GUID.test(id)) ctx.addIssue({ code: 'custom', path: [id], message: 'tenant keys are Entra tenant ids (GUIDs), like 72f988bf-86f1-41af-91ab-2d7cd011db47' });
        }
        const lower = Object.keys(tenants).map((id) => id.toLowerCase());
        const dupe = lower.find((id, n) => lower.indexOf(id) !== n);
        if (dupe) ctx.addIssue({ code: 'custom', message: `tenant ${dupe} appears twice (ids are case-insensitive)` });
      })
      .optional(),
  })
  .strict();

/** A layer over a profile; what only shows once the layers meet (the types) goes to `problems`, with the layer's place. */
function apply(base: TenantProfile, layer: Layer | undefined, where: string, problems: string[]): TenantProfile {
  if (!layer) return base;
  const severities = Object.fromEntries(SEVERITIES.map((s) => [s, { ...base.severities[s], ...layer.severities?.[s] }])) as Record<Severity, SeverityInfo>;
  const types = applyTypesLayer(base.types, layer, where);
  if ('problems' in types) problems.push(...types.problems);
  return {
    channelNamePattern: layer.channelNamePattern ?? base.channelNamePattern,
    severities,
    sop: { ...base.sop, ...layer.checklists },
    texts: { ...base.texts, ...layer.texts },
    access: applyAccessLayer(base.access, layer.access),
    limits: { ...base.limits, ...layer.limits },
    types: 'types' in types ? types.types : base.types,
    recordConversation: layer.recordConversation ?? base.recordConversation,
    ...(layer.tracker ?? base.tracker ? { tracker: layer.tracker ?? base.tracker } : {}),
  };
}

/** What a lookup needs of an incident: whose it is, how bad, and of what type. */
type IncidentKey = { readonly tenantId: string; readonly severity: Severity; readonly type?: string; readonly checklist?: Incident['checklist'] };

/**
 * An incident's SOP checklist in this profile: its type's (added to or replacing the severity's
 * list). Items ticked under an earlier type or severity stay on it, done, after the list: what
 * was done is part of the record, whatever the incident turned out to be.
 */
export function checklistIn(profile: TenantProfile, incident: Omit<IncidentKey, 'tenantId'> & { readonly checklist?: Incident['checklist'] }): readonly ChecklistItem[] {
  const items = typeChecklist(typeOf(profile.types, incident.type), profile.sop, incident.severity);
  const ticked = Object.entries(incident.checklist ?? {}).filter(([id, tick]) => tick && !items.some((i) => i.id === id));
  if (ticked.length === 0) return items;
  const known = [...profile.types.list.flatMap((t) => t.checklist.items), ...SEVERITIES.flatMap((s) => profile.sop[s])];
  return [...items, ...ticked.flatMap(([id]) => known.find((i) => i.id === id) ?? [])];
}

/** Every tenant's profile, resolved once at start; lookups are by the incident's (or the activity's) tenant. */
export class TenantProfiles {
  private constructor(
    readonly fallback: TenantProfile,
    private readonly byTenant: ReadonlyMap<string, { readonly name?: string; readonly profile: TenantProfile }>,
    /** The trackers the file defines, by name. */
    readonly trackers: Readonly<Record<string, TrackerDefinition>> = {},
  ) {}

  static readonly builtIn = new TenantProfiles(BUILT_IN_PROFILE, new Map());

  /** Validates the file's JSON; every problem is named with its place in the file. */
  static parse(json: unknown): { profiles: TenantProfiles } | { problems: string[] } {
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) return { problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`) };
    const problems: string[] = [];
    const fallback = apply(BUILT_IN_PROFILE, parsed.data.default, 'default', problems);
    const byTenant = new Map(Object.entries(parsed.data.tenants ?? {}).map(([id, layer]) => [id.toLowerCase(), { name: layer.name, profile: apply(fallback, layer, `tenants.${id}`, problems) }]));
    return problems.length > 0 ? { problems } : { profiles: new TenantProfiles(fallback, byTenant, parsed.data.trackers ?? {}) };
  }

  for(tenantId: string | undefined): TenantProfile {
    return (tenantId && this.byTenant.get(tenantId.toLowerCase())?.profile) || this.fallback;
  }

  /** An incident's severity (or the level it is moving to) in its tenant's words. */
  severityOf(incident: IncidentKey, level: Severity = incident.severity): SeverityInfo {
    return this.for(incident.tenantId).severities[level];
  }

  /** The access policy of a tenant (of an incident, or of the activity's tenant). */
  policyOf(tenantId: string | undefined): AccessPolicy {
    return this.for(tenantId).access;
  }

  /** The SOP checklist of an incident: its type's at its severity, in its tenant. */
  checklistOf(incident: IncidentKey): readonly ChecklistItem[] {
    return checklistIn(this.for(incident.tenantId), incident);
  }

  /** An incident's type in its tenant: the one it names, or the tenant's default (see incidentTypes.ts `typeOf`). */
  typeOf(incident: { readonly tenantId: string; readonly type?: string }): IncidentType {
    return typeOf(this.for(incident.tenantId).types, incident.type);
  }

  /**
   * What the company-wide broadcast shows of an incident: its type's mode, never the full
   * incident when it is private. Privacy is the type's default here; an incident's own privacy,
   * once it is stored on the incident, is what to pass instead.
   */
  broadcastOf(incident: { readonly tenantId: string; readonly type?: string; readonly private?: boolean }): BroadcastMode {
    const type = this.typeOf(incident);
    // Private (declared so, or of a type private by default, also after changing to one): never broadcast in full.
    return broadcastFor(type, isPrivateIncident(type, incident.private === true));
  }

  /** The PagerDuty routing key of an incident's type's own policy, if it names one. */
  pagerDutyKeyOf(incident: { readonly tenantId: string; readonly type?: string }): string | undefined {
    return pagerDutyKeyOf(this.typeOf(incident));
  }

  /** The tracker an incident's action items go to: a name, "default" or "none" (its type's choice, else its tenant's). */
  trackerOf(incident: { readonly tenantId: string; readonly type?: string }): string {
    return pickTracker({ type: this.typeOf(incident).tracker, tenant: this.for(incident.tenantId).tracker });
  }

  /** The tenants with a section of their own, for `npm run check-config`'s summary. */
  tenants(): { id: string; name?: string; profile: TenantProfile }[] {
    return [...this.byTenant].map(([id, entry]) => ({ id, ...entry }));
  }
}
