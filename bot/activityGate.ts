/**
 * Which activities the bot acts on: Microsoft Teams ones (channelId `msteams`) from the tenants it
 * serves. A Bot Framework token says only that *some* Bot Framework channel sent the activity (Web
 * Chat and Direct Line are signed by the same issuer), and the tenant fields are the sender's to
 * fill, so both are checked here, after the token and before anything is stored: a Web Chat
 * message had replaced the tenant's service URL (cards for new incidents then went nowhere), and
 * another tenant's activities were stored under it. In local mode any tenant is accepted (the
 * sandbox and hand-made activities use their own), but still only Teams activities.
 */
import type { TurnContext } from 'botbuilder';
import type { Logger } from '../models/ports/logger.js';
import { refusalFor, tenantsNamed, type CheckedActivity, type Refusal } from './activitySchema.js';

export interface GateSettings {
  /** Real mode: the tenants served (any case); absent in local mode, where any tenant is accepted. */
  readonly allowedTenantIds?: readonly string[];
  /** Local mode: the tenant of an activity that names none (a hand-made one). */
  readonly defaultTenantId: string;
  readonly log: Logger;
}

const TEAMS = 'msteams';
const NOT_HERE = 'incident-room acts only on Microsoft Teams activities from the organisation it serves; nothing was done.';
const ADMITTED = Symbol('incident-room: the tenant this turn was admitted for');

export type Admission = { readonly tenantId: string } | { readonly refusal: Refusal };

export class ActivityGate {
  private readonly allowed?: ReadonlySet<string>;

  constructor(private readonly settings: GateSettings) {
    this.allowed = settings.allowedTenantIds && new Set(settings.allowedTenantIds.map((t) => t.toLowerCase()));
  }

  /** The tenant this activity is acted on for, or how it is refused (with a warning in the log). */
  admit(activity: Pick<CheckedActivity, 'type' | 'name' | 'id' | 'channelId' | 'conversation' | 'channelData'>): Admission {
    const named = tenantsNamed(activity);
    const why = this.problem(activity.channelId, named);
    if (!why) {
      // Real mode: the configured spelling (lowercase), so one tenant never splits into two in the record.
      const tenantId = named[0] ?? this.settings.defaultTenantId;
      return { tenantId: this.allowed ? tenantId.toLowerCase() : tenantId };
    }
    // What came, never the text or any token: enough to tell a misrouted registration from an attempt.
    this.settings.log.warn({ channelId: activity.channelId, tenantIds: named, type: activity.type, name: activity.name, activityId: activity.id }, `refused an activity: ${why}`);
    return { refusal: refusalFor(activity, 403, NOT_HERE) };
  }

  private problem(channelId: string | undefined, tenants: readonly string[]): string | undefined {
    if (channelId !== TEAMS) return `it is not from Microsoft Teams (channelId ${JSON.stringify(channelId ?? null)})`;
    if (!this.allowed) return undefined;
    if (tenants.length === 0) return 'it names no tenant';
    if (tenants.some((t) => !this.allowed!.has(t.toLowerCase()))) return 'it is from a tenant this app does not serve (ALLOWED_TENANT_IDS)';
    return undefined;
  }
}

/** Marks the turn as admitted for this tenant (before the bot runs it). */
export function admitTurn(context: TurnContext, tenantId: string): void {
  context.turnState.set(ADMITTED, tenantId);
}

/** The tenant the gate admitted this turn for; a turn that did not pass the gate has none, and fails. */
export function admittedTenant(context: TurnContext): string {
  const tenantId = context.turnState.get(ADMITTED) as string | undefined;
  if (!tenantId) throw new Error('this turn did not pass the activity gate (bot/messagesRoute.ts): it has no tenant');
  return tenantId;
}
