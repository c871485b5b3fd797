import { InvalidInputError } from '../support/errors.js';
import { deterministicId } from '../support/ids.js';
import { pendingSteps, PERSON_SOURCES, type Incident, type IncidentSource, type Person, type Provisioning } from '../incident/incident.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';
import type { Clock } from '../ports/clock.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import { DEFAULT_SEVERITY, parseSeverity, SEVERITIES, type Severity } from '../incident/severity.js';
import { SYSTEM, timelineEvent, type Actor } from '../incident/timeline.js';
import type { FieldValues } from '../incident/extraFields.js';
import { BUILT_IN_TYPES, typeById, type IncidentTypes } from '../incident/incidentTypes.js';
import { checkTyped, type TypedInput } from '../incident/typedDeclaration.js';

export const LIMITS = { title: 120, description: 4000, component: 80 } as const;

/** What someone asked for, as typed: strings, possibly empty or wrong (the type by id or label, field values by field id). */
export interface DeclareInput extends TypedInput {
  readonly title?: string;
  readonly severity?: string;
  readonly component?: string;
  readonly description?: string;
  /** `--private`: the incident lives in a group chat with its members, and only they (and incident admins) see it. */
  readonly private?: boolean;
}

export interface DeclareRequest {
  readonly tenantId: string;
  readonly reporter: Person;
  readonly source: IncidentSource;
  readonly input: DeclareInput;
}

export interface ValidDeclaration {
  readonly title: string;
  readonly severity: Severity;
  readonly component?: string;
  readonly description?: string;
  /** The incident type's id: the one named, or the tenant's default (none when the tenant's types were not given: read as its default). */
  readonly type?: string;
  /** The type's extra fields that were given a value. */
  readonly fields?: FieldValues;
  /** Lives where only its members can read it (`--private`, or its type's default). */
  readonly private?: boolean;
}

/**
 * Every problem at once, in words a reporter can act on. Without a severity, the type's default
 * severity. Without the tenant's `types` (a caller that does not know them), a named type is
 * checked against the built-in ones and an unnamed one is left for the tenant's default.
 */
export function validateDeclaration(input: DeclareInput, types?: IncidentTypes): ValidDeclaration {
  const problems: string[] = [];
  const typed = checkTyped(types ?? BUILT_IN_TYPES, input);
  if ('problems' in typed) problems.push(...typed.problems);
  const title = (input.title ?? '').replace(/\s+/g, ' ').trim();
  if (!title) problems.push('a title is required, e.g. `declare Checkout API returns 500s --sev P1`');
  else if (title.length > LIMITS.title) problems.push(`the title is ${title.length} characters; keep it under ${LIMITS.title} and put details in the description`);
  let severity: Severity = 'type' in typed ? typed.type.defaultSeverity : DEFAULT_SEVERITY;
  if (input.severity !== undefined && input.severity.trim() !== '') {
    const parsed = parseSeverity(input.severity);
    if (parsed) severity = parsed;
    else problems.push(`unknown severity "${input.severity.slice(0, 20)}"; use one of ${SEVERITIES.join(', ')}`);
  }
  const component = input.component?.trim() || undefined;
  if (component && component.length > LIMITS.component) problems.push(`the component name is longer than ${LIMITS.component} characters`);
  const description = input.description?.trim() || undefined;
  if (description && description.length > LIMITS.description) problems.push(`the description is longer than ${LIMITS.description} characters`);
  if (problems.length > 0 || !('type' in typed)) throw new InvalidInputError(problems);
  const fields = Object.keys(typed.fields).length > 0 ? typed.fields : undefined;
  const known = types !== undefined || Boolean(input.type?.trim());
  // Private when asked, or when its type is private by default (a security incident is not the whole company's).
  const isPrivate = input.private === true || (known && typed.type.privateByDefault);
  return { title, severity, component, description, ...(known ? { type: typed.type.id } : {}), ...(fields ? { fields } : {}), ...(isPrivate ? { private: true } : {}) };
}

/** One incident per (tenant, source key): a retried activity or a repeated alert finds the first. */
export function incidentIdFor(tenantId: string, sourceKey: string): string {
  return deterministicId('incident', tenantId, sourceKey);
}

export interface DeclareDeps {
  readonly store: IncidentStore;
  readonly clock: Clock;
  /** Each tenant's limits on how many incidents people may declare (monitors are deduplicated instead). */
  readonly profiles?: Pick<TenantProfiles, 'for'>;
  /**
   * The provisioning lease to store a new record with (the declaring process's): it then starts
   * the war room at once, without another write to claim it. A crash before it does leaves the
   * record to be resumed when the lease expires.
   */
  readonly lease?: () => Pick<Provisioning, 'lease' | 'claims'>;
  /** Told as soon as a new record is stored, before its metrics row and `declared` event are written: the war room need not wait for those writes. */
  readonly onStored?: (incident: Incident) => void;
}

const HOUR_MS = 3_600_000;

/** Why this person may not declare another incident now, if they may not. */
async function overQuota(deps: DeclareDeps, request: DeclareRequest): Promise<string | undefined> {
  if (!deps.profiles || !(PERSON_SOURCES as readonly string[]).includes(request.source.kind)) return undefined;
  const limits = deps.profiles.for(request.tenantId).limits;
  const since = new Date(deps.clock.now().getTime() - HOUR_MS);
  const [mine, all] = await Promise.all([deps.store.countDeclaredSince(request.tenantId, since, request.reporter), deps.store.countDeclaredSince(request.tenantId, since)]);
  const raise = 'an admin can raise it (`limits` in TENANT_CONFIG_FILE)';
  if (mine >= limits.declaresPerPersonPerHour) return `you have declared ${mine} incidents in the last hour, the most one person may (${limits.declaresPerPersonPerHour}); add to an open one (\`list\`), ask a colleague to declare, or ${raise}`;
  if (all >= limits.declaresPerTenantPerHour) return `${all} incidents were declared here in the last hour, the most this organisation allows (${limits.declaresPerTenantPerHour}); add to an open one (\`list\`), or ${raise}`;
  return undefined;
}

/**
 * Declare: validate, then store the record before any Teams call, so nothing is lost if Teams
 * fails. Provisioning the war room is a separate, resumable saga (see provisioning.ts).
 */
export async function declareIncident(deps: DeclareDeps, request: DeclareRequest): Promise<{ incident: Incident; created: boolean }> {
  const valid = validateDeclaration(request.input, deps.profiles?.for(request.tenantId).types);
  const id = incidentIdFor(request.tenantId, request.source.key);
  // Both reads at once: a retry is rare, and a new incident should not wait for one and then the other.
  const [existing, quota] = await Promise.all([deps.store.findById(id), overQuota(deps, request)]);
  if (existing) {
    // A retry of a declare that crashed between the insert and the event still gets its event.
    await recordDeclared(deps.store, existing, typeNamed(deps, existing));
    return { incident: existing, created: false };
  }
  if (quota) throw new InvalidInputError([quota]);
  const now = deps.clock.now();
  const number = await deps.store.nextNumber(request.tenantId);
  const incident: Incident = {
    id,
    tenantId: request.tenantId,
    number,
    ...valid,
    status: 'triage',
    reporter: request.reporter,
    ...(valid.private ? { members: [request.reporter] } : {}),
    roles: { smes: [] },
    source: request.source,
    milestones: { declared: now, detected: now },
    provisioning: { complete: false, steps: pendingSteps(), ...deps.lease?.() },
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  const { incident: stored, inserted } = await deps.store.insertIncident(incident, deps.onStored);
  await recordDeclared(deps.store, stored, typeNamed(deps, stored));
  return { incident: stored, created: inserted };
}

/** The type's label for the timeline, when it is not the tenant's default (the default goes without saying). */
function typeNamed(deps: DeclareDeps, incident: Incident): string | undefined {
  const types = deps.profiles?.for(incident.tenantId).types ?? BUILT_IN_TYPES;
  return incident.type && incident.type !== types.defaultId ? typeById(types, incident.type)?.label : undefined;
}

function recordDeclared(store: IncidentStore, incident: Incident, typeLabel: string | undefined): Promise<boolean> {
  const actor: Actor = incident.source.kind === 'webhook' ? { ...SYSTEM, kind: 'monitor' } : { kind: 'user', ...incident.reporter };
  return store.appendEvent(
    timelineEvent(incident.id, 'declared', 'once', {
      at: incident.milestones.declared,
      actor,
      payload: {
        number: incident.number,
        title: incident.title,
        severity: incident.severity,
        component: incident.component,
        ...(incident.type ? { type: incident.type } : {}),
        ...(typeLabel ? { typeLabel } : {}),
        source: incident.source.kind,
        ...(incident.source.message ? { message: incident.source.message } : {}),
      },
    }),
  );
}
