/**
 * The access policy (issue: "no authorization beyond member of the incidents team"): every rule
 * with the people it lets through and those it refuses, checks that fail closed, per-tenant
 * overrides, and refusals that say who can.
 */
import { expect } from 'chai';
import { Access } from '../../models/access/access.js';
import { DEFAULT_POLICY, DEFAULT_RULES, POLICY_RULES, type AccessPolicy } from '../../models/access/policy.js';
import { TenantProfiles } from '../../models/incident/tenantProfile.js';
import type { Incident, Person } from '../../models/incident/incident.js';
import type { ActionRequest } from '../../models/actions/actionRequest.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { movableClock } from '../helpers/clock.js';

const person = (n: number, name: string): Person => ({ id: `29:p${n}`, name, aadObjectId: `00000000-0000-0000-0000-0000000001${String(n).padStart(2, '0')}` });
const COMMANDER = person(1, 'Megan Bowen');
const SME = person(2, 'Lee Gu');
const COMMS = person(3, 'Adele Vance');
const MEMBER = person(4, 'Nestor Wilke');
const ADMIN = person(5, 'Irvin Sayers');
const ROTA_GROUP_MEMBER = person(6, 'Pradeep Gupta');
const OUTSIDER = person(7, 'Mallory');
const NO_ENTRA_ID: Person = { id: '29:anonymous', name: 'Someone' };
const ROTA_GROUP = 'aaaaaaaa-0000-0000-0000-00000000000a';
const TEAM = new Set([COMMANDER, SME, COMMS, MEMBER, ADMIN, ROTA_GROUP_MEMBER].map((p) => p.aadObjectId!));

function profiles(extra: object = {}): TenantProfiles {
  const parsed = TenantProfiles.parse({ default: { access: { incidentAdmins: [`user:${ADMIN.aadObjectId}`], rotaManagers: [`group:${ROTA_GROUP}`] } }, ...extra });
  if (!('profiles' in parsed)) throw new Error(parsed.problems.join('; '));
  return parsed.profiles;
}

function accessWith(options: { profiles?: TenantProfiles; directoryFails?: boolean; membershipFails?: boolean } = {}) {
  const calls = { membership: 0, directory: 0 };
  const warnings: string[] = [];
  const policies = options.profiles ?? profiles();
  const access = new Access({
    membership: {
      isTeamMember: async (oid) => {
        calls.membership += 1;
        if (options.membershipFails) throw new Error('Graph is down');
        return TEAM.has(oid);
      },
    },
    directory: {
      memberGroups: async (oid, groups) => {
        calls.directory += 1;
        if (options.directoryFails) throw new Error('403 Forbidden');
        return oid === ROTA_GROUP_MEMBER.aadObjectId ? groups.filter((g) => g === ROTA_GROUP) : [];
      },
    },
    policyOf: (tenantId) => policies.policyOf(tenantId),
    clock: movableClock(),
    log: { info: () => undefined, warn: (_o: object, msg?: string) => void warnings.push(msg ?? ''), error: () => undefined, debug: () => undefined } as never,
  });
  return { access, calls, warnings };
}

const incident = (fields: Partial<Incident> = {}): Incident => sampleIncident({ tenantId: 'tenant-a', roles: { commander: COMMANDER, communications: COMMS, smes: [SME] }, ...fields });
const request = (actor: Person, fields: Partial<ActionRequest> = {}): ActionRequest => ({ incidentId: 'i', key: 'k', actor, ...fields });

describe('security: the access policy', () => {
  it('has a default rule for everything a person can do, and every rule names someone', () => {
    for (const rule of POLICY_RULES) expect(DEFAULT_POLICY.rules[rule].length, rule).to.be.greaterThan(0);
  });

  it('lets anyone in the team do what a response needs at 3 a.m., and nobody outside it', async () => {
    const { access } = accessWith();
    const i = incident();
    const cases: [string, (actor: Person) => object][] = [
      ['acknowledge', () => ({})],
      ['postUpdate', () => ({ text: 'x' })],
      ['addNote', () => ({ text: 'x' })],
      ['escalate', () => ({})],
      ['changeSeverity', () => ({ to: 'P0' })],
      ['assignRole', (actor) => ({ role: 'scribe', person: actor })],
      ['assignRole', (actor) => ({ role: 'sme', person: actor })],
      ['tickChecklist', () => ({ itemId: 'a', done: true })],
    ];
    for (const [name, input] of cases) {
      expect(await access.refusal(name as never, request(MEMBER), i, input(MEMBER) as never), `${name} by a member`).to.equal(undefined);
      expect(await access.refusal(name as never, request(OUTSIDER), i, input(OUTSIDER) as never), `${name} by an outsider`).to.match(/^Only members of the incidents team can/);
    }
  });

  it('keeps closing, lowering severity, handing over command and publishing to the commander and incident admins, and says so', async () => {
    const { access } = accessWith();
    const i = incident({ severity: 'P1' });
    const cases = [
      ['close', {}],
      ['changeStatus', { to: 'closed' }],
      ['changeSeverity', { to: 'P3' }],
      ['assignRole', { role: 'commander', person: MEMBER }],
      ['publishPostmortem', { version: 1 }],
    ] as const;
    for (const [name, input] of cases) {
      expect(await access.refusal(name, request(COMMANDER), i, input as never), `${name} by the commander`).to.equal(undefined);
      expect(await access.refusal(name, request(ADMIN), i, input as never), `${name} by an incident admin`).to.equal(undefined);
      const refused = await access.refusal(name, request(SME), i, input as never);
      expect(refused, `${name} by an SME`).to.contain('Only the Incident Commander (Megan Bowen)').and.contain('incident admins').and.contain('`take command <reason>`');
    }
  });

  it('lets the role holder hand their role on, and whoever commands give free roles; taking a free role is anyone’s', async () => {
    const { access } = accessWith();
    const i = incident();
    expect(await access.refusal('assignRole', request(COMMS), i, { role: 'communications', person: MEMBER })).to.equal(undefined);
    expect(await access.refusal('assignRole', request(MEMBER), i, { role: 'communications', person: MEMBER })).to.contain('Adele Vance (who holds that role)');
    expect(await access.refusal('assignRole', request(MEMBER), i, { role: 'technical', person: MEMBER })).to.equal(undefined);
    expect(await access.refusal('assignRole', request(MEMBER), i, { role: 'technical', person: SME })).to.match(/Only the Incident Commander \(Megan Bowen\), people holding a role/);
    expect(await access.refusal('assignRole', request(SME), i, { role: 'technical', person: MEMBER }), 'a responder gives a free role').to.equal(undefined);
  });

  it('while nobody commands the incident, the commander’s rules are the team’s: nothing waits for a commander', async () => {
    const { access } = accessWith();
    const i = incident({ roles: { smes: [] }, status: 'resolved' });
    expect(await access.refusal('close', request(MEMBER), i, {})).to.equal(undefined);
    expect(await access.refusal('close', request(OUTSIDER), i, {})).to.contain('members of the incidents team (while nobody commands it)');
  });

  it('the public status page belongs to the Communications lead (and the commander, and incident admins)', async () => {
    const { access } = accessWith();
    const input = { status: 'investigating', text: 'x' } as const;
    expect(await access.refusal('publishPublicStatus', request(COMMS), incident(), input)).to.equal(undefined);
    expect(await access.refusal('publishPublicStatus', request(COMMANDER), incident(), input)).to.equal(undefined);
    expect(await access.refusal('publishPublicStatus', request(SME), incident(), input)).to.contain('Only the Communications lead (Adele Vance), the Incident Commander (Megan Bowen) or incident admins can update the public status page');
  });

  it('the rota is its managers’ (an Entra group here), importing is the admins’, and both refuse members', async () => {
    const { access } = accessWith();
    expect(await access.mayDo('changeRota', MEMBER, 'tenant-a')).to.equal('Only rota managers can change the on-call rota and shifts.');
    expect(await access.mayDo('changeRota', ROTA_GROUP_MEMBER, 'tenant-a')).to.equal(undefined);
    expect(await access.mayDo('changeTimings', ROTA_GROUP_MEMBER, 'tenant-a')).to.equal(undefined);
    expect(await access.mayDo('importIncidents', ROTA_GROUP_MEMBER, 'tenant-a')).to.equal('Only admins can import past incidents into the metrics.');
    expect(await access.mayDo('readTeamData', MEMBER, 'tenant-a')).to.equal(undefined);
  });

  it('fails closed: no Entra id, a membership or group lookup that fails, an app-only action from a person', async () => {
    expect(await accessWith().access.mayDo('readTeamData', NO_ENTRA_ID, 'tenant-a')).to.contain('Only members of the incidents team').and.contain('Teams did not say who you are');
    expect(await accessWith().access.refusal('acknowledge', request(NO_ENTRA_ID, { place: { inIncidentChannel: true } }), incident(), {}), 'in the incident channel everyone is in the team').to.equal(undefined);
    const down = accessWith({ membershipFails: true });
    expect(await down.access.refusal('acknowledge', request(MEMBER), incident(), {})).to.match(/^Only members/);
    expect(down.warnings.join()).to.contain('treating the person as not a member');
    const noGroups = accessWith({ directoryFails: true });
    expect(await noGroups.access.mayDo('changeRota', ROTA_GROUP_MEMBER, 'tenant-a')).to.contain('Only rota managers');
    expect(await accessWith().access.refusal('recordPage', request(ADMIN), incident(), { level: 0, label: 'x', people: [], at: new Date() })).to.contain('done by incident-room itself');
    expect(await accessWith().access.refusal('recordPage', request(OUTSIDER, { via: 'app' }), incident(), { level: 0, label: 'x', people: [], at: new Date() })).to.equal(undefined);
  });

  it('asks Teams and the directory only when a rule needs them, and remembers the answers for a few minutes', async () => {
    const { access, calls } = accessWith();
    await access.refusal('close', request(COMMANDER), incident(), {});
    expect(calls).to.deep.equal({ membership: 0, directory: 0 });
    for (let n = 0; n < 3; n++) await access.refusal('acknowledge', request(MEMBER), incident(), {});
    expect(calls.membership).to.equal(1);
    access.forget(MEMBER.aadObjectId!);
    await access.refusal('acknowledge', request(MEMBER), incident(), {});
    expect(calls.membership).to.equal(2);
  });

  it('a tenant overrides rules and names its own admins; other tenants keep the defaults', async () => {
    const custom = profiles({ tenants: { 'bbbbbbbb-0000-0000-0000-00000000000b': { access: { rules: { close: ['team'] }, admins: [`user:${MEMBER.aadObjectId}`] } } } });
    const { access } = accessWith({ profiles: custom });
    const theirs = incident({ tenantId: 'bbbbbbbb-0000-0000-0000-00000000000b', status: 'resolved' });
    expect(await access.refusal('close', request(SME), theirs, {})).to.equal(undefined);
    expect(await access.refusal('close', request(SME), incident({ status: 'resolved' }), {})).to.contain('Only the Incident Commander');
    expect(await access.mayDo('importIncidents', MEMBER, 'bbbbbbbb-0000-0000-0000-00000000000b')).to.equal(undefined);
    expect(await access.mayDo('importIncidents', MEMBER, 'tenant-a')).to.contain('Only admins');
  });

  it('refuses a policy file that would lock everyone out or names people by anything but their Entra ids', () => {
    const bad = TenantProfiles.parse({ default: { access: { rules: { close: [] }, admins: ['megan@contoso.com'], rotaManagers: ['group:not-a-guid'] } } });
    expect('problems' in bad && bad.problems.join('\n')).to.match(/close: name at least one grantee/).and.match(/admins\.0: must be user:<Entra object id>/).and.match(/rotaManagers\.0/);
    const unknown = TenantProfiles.parse({ default: { access: { rules: { close: ['everyone'] } } } });
    expect('problems' in unknown).to.equal(true);
  });

  it('describes every default in words (for check-config and the README)', () => {
    const policy: AccessPolicy = DEFAULT_POLICY;
    expect(Object.keys(DEFAULT_RULES)).to.have.length(POLICY_RULES.length);
    expect(POLICY_RULES.every((rule) => policy.rules[rule].length > 0)).to.equal(true);
  });
});

describe('security: who sees a private incident (Access.canSee)', () => {
  const secret = () => incident({ private: true, members: [COMMANDER, SME] });

  it('its members and incident admins see it; nobody else in the team, nor anyone outside; a public incident everyone', async () => {
    const { access } = accessWith();
    for (const p of [COMMANDER, SME, ADMIN]) expect(await access.canSee(secret(), p), p.name).to.equal(true);
    for (const p of [COMMS, MEMBER, OUTSIDER, NO_ENTRA_ID]) expect(await access.canSee(secret(), p), p.name).to.equal(false);
    expect(await access.canSee(incident(), OUTSIDER)).to.equal(true);
    expect((await access.visible([incident({ number: 1 }), secret(), incident({ number: 3 })], MEMBER)).map((i) => i.number)).to.deep.equal([1, 3]);
  });

  it('refuses every action by someone who may not see it before any rule, naming nothing of it', async () => {
    const { access } = accessWith();
    const refused = await access.refusal('follow', request(MEMBER), secret(), {});
    expect(refused).to.contain('no such incident').and.not.contain('INC-').and.not.contain(COMMANDER.name);
    expect(await access.refusal('follow', request(SME), secret(), {})).to.equal(undefined);
  });

  it('membership changes belong to the commander, role holders and incident admins', async () => {
    const { access } = accessWith();
    const i = incident({ private: true, members: [COMMANDER, SME, MEMBER] });
    for (const p of [COMMANDER, SME, ADMIN]) expect(await access.refusal('invite', request(p), i, { person: COMMS }), p.name).to.equal(undefined);
    expect(await access.refusal('invite', request(MEMBER), i, { person: COMMS })).to.match(/^Only the Incident Commander \(Megan Bowen\)/);
  });
});

describe('security: the README shows the access policy as the code has it', () => {
  it('has the default table between its markers', async () => {
    const { readFileSync } = await import('node:fs');
    const { policyTableMarkdown } = await import('../../models/access/policy.js');
    const block = /<!-- policy:start[^>]*-->\n([\s\S]*?)\n<!-- policy:end -->/.exec(readFileSync('README.md', 'utf8'))?.[1];
    expect(block, 'the marked table in the README').to.equal(policyTableMarkdown());
  });
});
