/**
 * What each incident type gets, as `npm run check-config` prints it: the admin sees the effect
 * of the file (an example channel name, the checklist sizes after the add/replace rule, who is
 * paged, what the broadcast shows), not just that it parsed.
 */
import { channelName } from '../models/warRoom/channelName.js';
import { describeField } from '../models/incident/extraFields.js';
import { ROLE_NAMES } from '../models/incident/incident.js';
import { broadcastFor, channelPatternFor, typeChecklist, type BroadcastMode, type IncidentType, type TypePaging } from '../models/incident/incidentTypes.js';
import { SEVERITIES } from '../models/incident/severity.js';
import type { TenantProfile } from '../models/incident/tenantProfile.js';

const items = (n: number) => `${n} item${n === 1 ? '' : 's'}`;
const EXAMPLE = { number: 42, title: 'Checkout API returns 500s', declaredAt: new Date('2026-03-07T10:00:00Z') };

const BROADCASTS: Readonly<Record<BroadcastMode, string>> = {
  full: 'the whole incident (title, status, updates)',
  redacted: 'one line without title or details ("a private incident is in progress, severity P1")',
  none: 'nothing',
};

const PAGING: { readonly [K in TypePaging['kind']]: (paging: Extract<TypePaging, { kind: K }>) => string } = {
  default: () => 'the on-call rota and escalation policy (ONCALL_FILE, or PagerDuty)',
  none: () => 'nobody',
  policy: (p) => `its own policy "${p.name}" (${p.levels.length} level${p.levels.length === 1 ? '' : 's'}${p.pagerDutyRoutingKey ? ', its own PagerDuty service' : ''})`,
};

function describeType(type: IncidentType, profile: TenantProfile, isDefault: boolean): string[] {
  const pattern = channelPatternFor(type, profile.channelNamePattern);
  const sizes = SEVERITIES.map((s) => `${s} ${typeChecklist(type, profile.sop, s).length}`).join(', ');
  const checklist =
    type.checklist.mode === 'replace'
      ? `its own ${items(type.checklist.items.length)} at every severity`
      : type.checklist.items.length > 0
        ? `the severity's list plus ${items(type.checklist.items.length)} of its own (${sizes} items)`
        : `the severity's list (${sizes} items)`;
  const broadcast = broadcastFor(type, type.privateByDefault);
  return [
    `${type.id}: ${type.label}${isDefault ? ' (the default)' : ''} — default severity ${type.defaultSeverity} ${profile.severities[type.defaultSeverity].label}, ${type.privateByDefault ? 'private by default' : 'public (private with --private)'}`,
    `  channel names like "${channelName(pattern, { ...EXAMPLE, severity: type.defaultSeverity })}" (pattern ${pattern})`,
    `  checklist: ${checklist}`,
    `  before closing: ${type.requiredRoles.length > 0 ? type.requiredRoles.map((r) => ROLE_NAMES[r]).join(', ') : 'no roles required'}`,
    `  broadcast: ${BROADCASTS[broadcast]}${!type.privateByDefault && broadcastFor(type, true) !== broadcast ? `; when private: ${BROADCASTS[broadcastFor(type, true)]}` : ''}`,
    `  pages: ${PAGING[type.paging.kind](type.paging as never)}`,
    `  private ones in the metrics of those who may not see them: ${type.privateInMetrics === 'hidden' ? 'left out (incident admins see them)' : 'counted, as numbers only'}`,
    `  extra fields: ${type.fields.length > 0 ? type.fields.map(describeField).join('; ') : 'none'}`,
    `  channel conversation on the record: ${conversationKept(type, profile)}`,
  ];
}

/** recordConversation as it applies (models/record/chatEntries.ts keepsConversation): a private incident's only on the type's own yes. */
function conversationKept(type: IncidentType, profile: TenantProfile): string {
  const open = type.recordConversation ?? profile.recordConversation;
  const secret = type.recordConversation === true;
  if (type.privateByDefault) return secret ? 'kept (private, and the type says so)' : 'not kept (private; the type would have to say recordConversation: true)';
  return `${open ? 'kept' : 'not kept'}${open !== secret ? `; when private: ${secret ? 'kept' : 'not kept'}` : ''}`;
}

/** The lines for every type of a profile, in the order the declare form offers them. */
export function describeIncidentTypes(profile: TenantProfile): string[] {
  return [
    `incident types (\`declare … --type <id>\`):`,
    ...profile.types.list.flatMap((type) => describeType(type, profile, type.id === profile.types.defaultId).map((line) => `  ${line}`)),
  ];
}
