/**
 * The access policy: for each thing a person can do, who may do it. The defaults never slow a
 * response at 3 a.m. (anyone in the incidents team declares, acknowledges, takes a free role,
 * posts updates and notes, ticks the checklist, raises severity); what ends or reshapes an
 * incident (closing, lowering severity, handing over command, publishing) is the commander's,
 * the role holder's or an incident admin's; the rota is its managers'; importing history is the
 * admins'. A tenant overrides any rule, and names its admins, in TENANT_CONFIG_FILE.
 */
import { z } from 'zod';

/** Who a rule lets through, in words that complete "Only … can". `commander` lets the whole team through while nobody commands the incident. */
export const GRANTEES = {
  tenant: 'people in this organisation',
  team: 'members of the incidents team',
  commander: 'the Incident Commander',
  holder: 'whoever holds the role being changed',
  responders: 'people holding a role on the incident',
  communications: 'the Communications lead',
  incidentAdmins: 'incident admins',
  rotaManagers: 'rota managers',
  admins: 'admins',
} as const;
export type Grantee = keyof typeof GRANTEES;
export const GRANTEE_NAMES = Object.keys(GRANTEES) as Grantee[];

/** The people a tenant names for the grantees that are lists: Entra object ids or Entra group ids. */
export type NamedGrantee = 'admins' | 'incidentAdmins' | 'rotaManagers';
export const NAMED_GRANTEES: readonly NamedGrantee[] = ['admins', 'incidentAdmins', 'rotaManagers'];

export interface PolicyRuleSpec {
  readonly does: string;
  readonly grantees: readonly Grantee[];
}

const rule = (does: string, ...grantees: Grantee[]): PolicyRuleSpec => ({ does, grantees });

/** The default policy, one row per thing a person can do. */
export const DEFAULT_RULES = {
  declare: rule('declare an incident', 'team'),
  acknowledge: rule('acknowledge a page', 'team'),
  takeFreeRole: rule('take a role nobody holds', 'team'),
  assignFreeRole: rule('give someone else a role nobody holds', 'commander', 'responders', 'incidentAdmins'),
  changeRole: rule('change who holds a role', 'holder', 'commander', 'incidentAdmins'),
  handOverCommand: rule('hand over command', 'commander', 'incidentAdmins'),
  takeCommand: rule('take over command from an absent commander (with a reason, announced to them)', 'team'),
  changeStatus: rule('move the status (triage … monitoring, reopen)', 'team'),
  resolve: rule('resolve', 'commander', 'responders', 'incidentAdmins'),
  close: rule('close', 'commander', 'incidentAdmins'),
  raiseSeverity: rule('raise the severity', 'team'),
  lowerSeverity: rule('lower the severity', 'commander', 'incidentAdmins'),
  changeType: rule('change the incident type (its checklist, required roles, paging and broadcast follow)', 'commander', 'incidentAdmins'),
  updateSummary: rule('edit the status summary', 'team'),
  reportDataLoss: rule('report data loss', 'team'),
  postUpdate: rule('post an update', 'team'),
  escalate: rule('page the next level', 'team'),
  addNote: rule('add a note', 'team'),
  tickChecklist: rule('tick the checklist', 'team'),
  follow: rule('follow or unfollow an incident', 'tenant'),
  manageMembers: rule('invite people to a private incident, or remove them', 'commander', 'responders', 'incidentAdmins'),
  publishPublicStatus: rule('update the public status page', 'communications', 'commander', 'incidentAdmins'),
  writePostmortem: rule('write the post-mortem', 'team'),
  publishPostmortem: rule('publish the post-mortem (and archive the channel with ARCHIVE_ON_PUBLISH)', 'commander', 'incidentAdmins'),
  scheduleReview: rule('schedule or move the post-mortem review (in their own calendar)', 'commander', 'responders', 'incidentAdmins'),
  readTeamData: rule('list every incident, see the metrics and the rota', 'team'),
  changeRota: rule('change the on-call rota and shifts', 'rotaManagers'),
  changeTimings: rule('change acknowledgement and update timings', 'rotaManagers'),
  importIncidents: rule('import past incidents into the metrics', 'admins'),
} as const satisfies Readonly<Record<string, PolicyRuleSpec>>;
export type PolicyRule = keyof typeof DEFAULT_RULES;
export const POLICY_RULES = Object.keys(DEFAULT_RULES) as PolicyRule[];

/** A tenant's policy: its rules and the people and groups its named grantees are. */
export interface AccessPolicy {
  readonly rules: Readonly<Record<PolicyRule, readonly Grantee[]>>;
  readonly named: Readonly<Record<NamedGrantee, { readonly users: readonly string[]; readonly groups: readonly string[] }>>;
}

const NOBODY = { users: [], groups: [] } as const;

export const DEFAULT_POLICY: AccessPolicy = {
  rules: Object.fromEntries(POLICY_RULES.map((name) => [name, DEFAULT_RULES[name].grantees])) as Record<PolicyRule, readonly Grantee[]>,
  named: { admins: NOBODY, incidentAdmins: NOBODY, rotaManagers: NOBODY },
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `user:<Entra object id>` or `group:<Entra group id>`: ids, because display names and UPNs change. */
const principal = z
  .string()
  .trim()
  .regex(/^(user|group):[0-9a-f-]{36}$/i, 'must be user:<Entra object id> or group:<Entra group id> (GUIDs)')
  .refine((value) => GUID.test(value.slice(value.indexOf(':') + 1)), 'the id after user: or group: must be a GUID');

/** The `access` section of a TENANT_CONFIG_FILE layer. */
export const accessLayerSchema = z
  .object({
    admins: z.array(principal).max(100),
    incidentAdmins: z.array(principal).max(100),
    rotaManagers: z.array(principal).max(100),
    rules: z
      .object(Object.fromEntries(POLICY_RULES.map((name) => [name, z.array(z.enum(GRANTEE_NAMES as [Grantee, ...Grantee[]])).min(1, 'name at least one grantee (nobody at all could do it)').max(GRANTEE_NAMES.length)])) as Record<PolicyRule, z.ZodArray<z.ZodEnum<Record<Grantee, Grantee>>>>)
      .partial()
      .strict(),
  })
  .partial()
  .strict();
export type AccessLayer = z.infer<typeof accessLayerSchema>;

/** A layer over a policy: named lists replace, rules replace one by one. */
export function applyAccessLayer(base: AccessPolicy, layer: AccessLayer | undefined): AccessPolicy {
  if (!layer) return base;
  const named = Object.fromEntries(
    NAMED_GRANTEES.map((who) => {
      const list = layer[who];
      if (!list) return [who, base.named[who]];
      const ids = (kind: string) => list.filter((p) => p.toLowerCase().startsWith(`${kind}:`)).map((p) => p.slice(kind.length + 1).toLowerCase());
      return [who, { users: ids('user'), groups: ids('group') }];
    }),
  ) as AccessPolicy['named'];
  return { rules: { ...base.rules, ...layer.rules }, named };
}

/** Every group a policy names (one membership lookup answers for all of them). */
export function namedGroups(policy: AccessPolicy): string[] {
  return [...new Set(NAMED_GRANTEES.flatMap((who) => policy.named[who].groups))];
}

/** "the Incident Commander (Megan Bowen) or incident admins": who may, for a refusal. */
export function whoMay(grantees: readonly Grantee[], label: (grantee: Grantee) => string = (g) => GRANTEES[g]): string {
  const parts = grantees.map(label);
  return parts.length <= 1 ? (parts[0] ?? 'nobody') : `${parts.slice(0, -1).join(', ')} or ${parts.at(-1)}`;
}

/** The policy as lines for `npm run check-config` and the README's table. */
export function describePolicy(policy: AccessPolicy): string[] {
  const named = NAMED_GRANTEES.map((who) => `${GRANTEES[who]}: ${policy.named[who].users.length} people, ${policy.named[who].groups.length} groups`);
  return [
    ...POLICY_RULES.map((name) => `${DEFAULT_RULES[name].does}: ${whoMay(policy.rules[name])}`),
    ...named,
    'admins may also do what incident admins and rota managers may; while nobody commands an incident, members may do what its commander may',
  ];
}

export function policyTableMarkdown(): string {
  return ['| to … | who may (default) | rule name |', '|---|---|---|', ...POLICY_RULES.map((name) => `| ${DEFAULT_RULES[name].does} | ${whoMay(DEFAULT_RULES[name].grantees)} | \`${name}\` |`)].join('\n');
}
