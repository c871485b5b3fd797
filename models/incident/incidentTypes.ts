/**
 * Kinds of incident: a security breach is not run like a checkout outage. Each type brings its
 * own checklist, the roles that must be filled before closing, its channel names, whether it is
 * private by default and how it is broadcast, whom it pages, and the extra fields the declare
 * form, the card and the post-mortem show. Types are defined per tenant in TENANT_CONFIG_FILE
 * (incidentTypeConfig.ts parses them), over the built-in four below.
 */
import type { ChecklistItem, Sop } from './checklist.js';
import type { FieldDefinition } from './extraFields.js';
import type { Person, Role, Roles } from './incident.js';
import type { Severity } from './severity.js';
import { slugify } from '../warRoom/channelName.js';

/**
 * How a type's checklist meets the severity's one (TENANT_CONFIG_FILE `checklists`):
 * `add` keeps the severity's list and adds the type's items after it (an item with the id of a
 * severity item rewords that item in place, so a type can adapt one step without copying the
 * list); `replace` uses the type's items alone, at every severity.
 */
export const CHECKLIST_MODES = ['add', 'replace'] as const;
export type ChecklistMode = (typeof CHECKLIST_MODES)[number];
export interface TypeChecklist {
  readonly mode: ChecklistMode;
  readonly items: readonly ChecklistItem[];
}

/**
 * What the company-wide broadcast channel shows of an incident of this type: everything, one
 * line without title or details ("a private incident is in progress, severity P1"), or nothing.
 */
export const BROADCAST_MODES = ['full', 'redacted', 'none'] as const;
export type BroadcastMode = (typeof BROADCAST_MODES)[number];

export const PRIVATE_IN_METRICS = ['counted', 'hidden'] as const;
export type PrivateInMetrics = (typeof PRIVATE_IN_METRICS)[number];

/** One level of a type's own escalation policy: the rota's primary or secondary, or named people (as in ONCALL_FILE). */
export interface EscalationLevel {
  readonly target: 'primary' | 'secondary' | { readonly people: readonly Person[] };
  readonly label?: string;
}

/**
 * Whom an incident of this type pages: the tenant's on-call rota and escalation policy
 * (ONCALL_FILE, or PagerDuty's routing key), nobody, or the type's own policy (and PagerDuty
 * service) — security incidents page the security on-call, not the platform one.
 */
export type TypePaging =
  | { readonly kind: 'default' }
  | { readonly kind: 'none' }
  | { readonly kind: 'policy'; readonly name: string; readonly levels: readonly EscalationLevel[]; readonly pagerDutyRoutingKey?: string };

export interface IncidentType {
  /** Lowercase letters, digits and dashes: `declare … --type security`, and what the record stores. */
  readonly id: string;
  readonly label: string;
  readonly description: string;
  /** The severity when the declarer gives none. */
  readonly defaultSeverity: Severity;
  readonly checklist: TypeChecklist;
  /** Roles someone must hold before the incident can be closed (`sme`: at least one SME). */
  readonly requiredRoles: readonly Role[];
  /** Undefined: the tenant's `channelNamePattern`. */
  readonly channelNamePattern?: string;
  /** Incidents of this type live where only the people invited can read them. */
  readonly privateByDefault: boolean;
  /**
   * A private incident of this type in the metrics of people who may not see it: `counted` (a
   * number among the others, never a title or link: the metrics show none), or `hidden` (only
   * incident admins' metrics include it).
   */
  readonly privateInMetrics: PrivateInMetrics;
  readonly broadcast: BroadcastMode;
  readonly paging: TypePaging;
  readonly fields: readonly FieldDefinition[];
  /** Where this type's post-mortem action items go, over the tenant's choice (a tracker's name, "default" or "none"). */
  readonly tracker?: string;
  /**
   * Whether its incidents' channel conversation is kept as chat entries (models/record/chatEntries.ts):
   * undefined follows the tenant's `recordConversation`; a private incident's is kept only when this says true.
   */
  readonly recordConversation?: boolean;
}

/** A tenant's types, in the order forms offer them, and the one used when a declaration names none. */
export interface IncidentTypes {
  readonly list: readonly IncidentType[];
  readonly defaultId: string;
}

export const TYPE_ID = /^[a-z][a-z0-9-]{1,29}$/;
export const MAX_TYPES = 30;

const item = (id: string, phase: string, text: string): ChecklistItem => ({ id, phase, text });

export const BUILT_IN_TYPES: IncidentTypes = {
  defaultId: 'service-outage',
  list: [
    {
      id: 'service-outage',
      label: 'Service outage',
      description: 'Customers cannot use the product, or part of it: errors, slowness, downtime.',
      defaultSeverity: 'P2',
      checklist: { mode: 'add', items: [] },
      requiredRoles: ['commander'],
      privateByDefault: false,
      privateInMetrics: 'counted',
      broadcast: 'full',
      paging: { kind: 'default' },
      fields: [],
    },
    {
      id: 'security',
      label: 'Security',
      description: 'A breach, an attack or an exposed secret. Need-to-know: private by default, broadcast without details.',
      defaultSeverity: 'P1',
      checklist: {
        mode: 'add',
        items: [
          item('need-to-know', 'Security', 'Keep it need-to-know: invite only who must act, and discuss details only here.'),
          item('evidence', 'Security', 'Preserve evidence before changing anything: snapshot affected machines, export the logs, note the times.'),
          item('contain', 'Security', 'Contain: isolate affected hosts and accounts, revoke their sessions and tokens.'),
          item('rotate', 'Security', 'Rotate every credential, key and secret that may have been exposed.'),
          item('disclosure', 'Security', 'With the security lead and legal counsel, decide who must be told (customers, regulators) and by when.'),
        ],
      },
      requiredRoles: ['commander', 'technical'],
      channelNamePattern: 'sec-{number}',
      privateByDefault: true,
      privateInMetrics: 'counted',
      broadcast: 'redacted',
      paging: { kind: 'default' },
      fields: [
        { id: 'vector', label: 'Attack vector', kind: 'choice', options: ['Phishing', 'Stolen credentials', 'Malware', 'Exploited vulnerability', 'Insider', 'Unknown'], required: false },
        { id: 'systems', label: 'Affected systems', kind: 'text', maxLength: 500, multiline: false, required: false },
      ],
    },
    {
      id: 'data-incident',
      label: 'Data incident',
      description: 'Data lost, corrupted or exposed. Private by default; may need telling regulators in time.',
      defaultSeverity: 'P1',
      checklist: {
        mode: 'add',
        items: [
          item('stop-spread', 'Data', 'Stop the writes, jobs or exports that spread the bad or exposed data.'),
          item('scope', 'Data', 'Scope it: which records, which customers, since when. Keep the queries you used.'),
          item('restore-point', 'Data', 'Find the last good backup or restore point before changing anything.'),
          item('notify', 'Data', 'With the privacy officer, decide whether regulators and customers must be told (under GDPR: within 72 hours).'),
        ],
      },
      requiredRoles: ['commander', 'communications'],
      channelNamePattern: 'data-{number}',
      privateByDefault: true,
      privateInMetrics: 'counted',
      broadcast: 'redacted',
      paging: { kind: 'default' },
      fields: [
        { id: 'records', label: 'Records affected', kind: 'number', integer: true, min: 0, unit: 'records', required: false },
        { id: 'data-kind', label: 'Kind of data', kind: 'choice', options: ['Personal data', 'Customer content', 'Financial', 'Credentials', 'Other'], required: false },
        { id: 'privacy-officer', label: 'Privacy officer informed', kind: 'person', required: false },
      ],
    },
    {
      id: 'internal-tooling',
      label: 'Internal tooling',
      description: 'A tool our own people use is broken (CI, deploys, the wiki). No customer impact, no broadcast, no page.',
      defaultSeverity: 'P3',
      checklist: {
        mode: 'replace',
        items: [
          item('context', 'Two-minute context', 'What is broken, for whom, since when, what changed recently?'),
          item('workaround', 'First steps', 'Tell the people who use it, with a workaround if there is one.'),
          item('owner', 'First steps', 'Name an owner and when the next update is due.'),
          item('one-fix', 'Working loop', 'One change at a time: change, observe, then the next.'),
          item('follow-up', 'After the fix', 'Decide whether it needs a post-mortem or a follow-up ticket.'),
        ],
      },
      requiredRoles: ['commander'],
      channelNamePattern: 'tool-{number}-{slug}',
      privateByDefault: false,
      privateInMetrics: 'counted',
      broadcast: 'none',
      paging: { kind: 'none' },
      fields: [{ id: 'tool', label: 'Tool', kind: 'text', maxLength: 80, multiline: false, required: false }],
    },
  ],
};

/** What a new type in TENANT_CONFIG_FILE gets for what it doesn't name (its label it must name). */
export const NEW_TYPE_DEFAULTS: Omit<IncidentType, 'id' | 'label'> = {
  description: '',
  defaultSeverity: 'P2',
  checklist: { mode: 'add', items: [] },
  requiredRoles: ['commander'],
  privateByDefault: false,
  privateInMetrics: 'counted',
  broadcast: 'full',
  paging: { kind: 'default' },
  fields: [],
};

export function typeById(types: IncidentTypes, id: string | undefined): IncidentType | undefined {
  return id === undefined ? undefined : types.list.find((t) => t.id === id);
}

export function defaultType(types: IncidentTypes): IncidentType {
  // The parser guarantees the default is one of the list; the first type is the last resort.
  return typeById(types, types.defaultId) ?? types.list[0]!;
}

/**
 * The type of an incident: the one it names, or the tenant's default (incidents from before
 * types existed name none). A type the tenant later removed also falls back to the default, so
 * whatever must survive that (privacy) is stored on the incident itself, not looked up here.
 */
export function typeOf(types: IncidentTypes, id: string | undefined): IncidentType {
  return typeById(types, id) ?? defaultType(types);
}

/** What people type after `--type`: the id, or the label in any case ("security", "Data incident", "data-incident"). */
export function findType(types: IncidentTypes, text: string): IncidentType | undefined {
  const wanted = slugify(text);
  return wanted ? types.list.find((t) => t.id === wanted || slugify(t.label) === wanted) : undefined;
}

const CHECKLIST_RULES: Readonly<Record<ChecklistMode, (severityList: readonly ChecklistItem[], typeItems: readonly ChecklistItem[]) => readonly ChecklistItem[]>> = {
  add: (severityList, typeItems) => {
    const byId = new Map(typeItems.map((i) => [i.id, i]));
    const reworded = severityList.map((i) => byId.get(i.id) ?? i);
    const kept = new Set(severityList.map((i) => i.id));
    return [...reworded, ...typeItems.filter((i) => !kept.has(i.id))];
  },
  replace: (_severityList, typeItems) => typeItems,
};

/** The checklist of an incident of this type at this severity, from the tenant's per-severity SOP. */
export function typeChecklist(type: IncidentType, sop: Sop, severity: Severity): readonly ChecklistItem[] {
  return CHECKLIST_RULES[type.checklist.mode](sop[severity], type.checklist.items);
}

const HOLDS: Readonly<Record<Role, (roles: Roles) => boolean>> = {
  commander: (r) => Boolean(r.commander),
  communications: (r) => Boolean(r.communications),
  business: (r) => Boolean(r.business),
  technical: (r) => Boolean(r.technical),
  scribe: (r) => Boolean(r.scribe),
  sme: (r) => r.smes.length > 0,
};

/** The roles this type requires before closing that nobody holds yet (empty: closing may go ahead on this count). */
export function missingRoles(type: IncidentType, roles: Roles): Role[] {
  return type.requiredRoles.filter((role) => !HOLDS[role](roles));
}

/** The PagerDuty routing key (Events API v2 integration key) of a type's own policy, if it names one. */
export function pagerDutyKeyOf(type: IncidentType): string | undefined {
  return type.paging.kind === 'policy' ? type.paging.pagerDutyRoutingKey : undefined;
}

/** The channel-name pattern for an incident of this type: the type's own, or the tenant's. */
export function channelPatternFor(type: IncidentType, tenantPattern: string): string {
  return type.channelNamePattern ?? tenantPattern;
}

/**
 * Whether an incident of this type is private: when the type says so, or when the declarer
 * asks (`--private`). Asking for a public incident of a private-by-default type is not a declare
 * option: making a security incident readable by everyone is a deliberate later change.
 */
export function isPrivateIncident(type: IncidentType, askedPrivate = false): boolean {
  return type.privateByDefault || askedPrivate;
}

/**
 * What the broadcast channel shows, given the type and whether this incident is private: a
 * private incident is never broadcast in full — only the type's redacted line if it has one.
 */
const BROADCAST_RULES: Readonly<Record<BroadcastMode, Readonly<Record<'public' | 'private', BroadcastMode>>>> = {
  full: { public: 'full', private: 'none' },
  redacted: { public: 'redacted', private: 'redacted' },
  none: { public: 'none', private: 'none' },
};

export function broadcastFor(type: IncidentType, isPrivate: boolean): BroadcastMode {
  return BROADCAST_RULES[type.broadcast][isPrivate ? 'private' : 'public'];
}
