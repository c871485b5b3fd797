import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { UnsecuredJWT } from 'jose';
import { doctor, formatReport } from '../../admin/doctor.js';
import { runDoctor, type DoctorDeps, type Finding } from '../../admin/doctorChecks.js';
import { loadConfig, type Config } from '../../config.js';
import { createGraphClient } from '../../adapters/graph/graphClient.js';
import { applicationPermissions, GRAPH_OPERATIONS, setupGrants, type GraphOperation } from '../../adapters/graph/permissions.js';
import { openDiagnostics } from '../../models/mongo/diagnostics.js';
import { LocalTeams } from '../../local/localTeams.js';
import { LOCAL } from '../../local/defaults.js';
import { testDatabase, type TestDatabase } from '../helpers/database.js';
import { tenantConfigFile } from '../helpers/testApp.js';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const TENANT = '66666666-7777-8888-9999-000000000000';
const TEAM = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const ORGANIZER = '99999999-8888-7777-6666-555555555555';
const PUBLIC = 'https://incidents.example.com';

/**
 * `npm run doctor` against the stand-ins: Graph enforces the permissions each call needs, as its
 * Microsoft Learn pages list them, so withholding one grant at a time must make the doctor name it.
 */
describe('npm run doctor', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let local: LocalTeams;
  let site: Server;
  let siteUrl: string;
  let siteStatus = 200;
  let groupPolicyFile: string;

  const settings = (overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> => ({
    LOG_LEVEL: 'silent',
    MICROSOFT_APP_ID: APP_ID,
    MICROSOFT_APP_PASSWORD: 'a-client-secret',
    MICROSOFT_APP_TENANT_ID: TENANT,
    TEAMS_TEAM_ID: TEAM,
    TEAMS_APP_CATALOG_ID: 'catalog-id',
    MEETING_ORGANIZER_ID: ORGANIZER,
    BROADCAST_CHANNEL_ID: LOCAL.broadcastChannelId,
    MONGODB_URI: db.uri,
    PUBLIC_BASE_URL: PUBLIC,
    ...overrides,
  });

  /** The app's token, as Entra would issue it: the consented application permissions as roles. */
  const tokenWith = (roles: string[]) => async () => new UnsecuredJWT({ roles, tid: TENANT, appid: APP_ID }).setAudience('https://graph.microsoft.com').encode();
  const applicationGrants = () => [...local.graph.granted].filter((p) => !p.endsWith('.Group') && !p.endsWith('.Chat'));

  const depsFor = (config: Config, overrides: Partial<DoctorDeps> = {}): DoctorDeps => {
    const tokens = overrides.tokens ?? tokenWith(applicationGrants());
    return {
      config,
      tokens,
      graph: createGraphClient(local.graph.url, tokens),
      // The public address is the app behind TLS; here a local server answers for it.
      fetch: (async (input: string | URL | Request, init?: RequestInit) => fetch(String(input).replace(PUBLIC, siteUrl), init)) as typeof fetch,
      openDatabase: (uri) => openDiagnostics(uri, 2_000),
      now: () => new Date(),
      ...overrides,
    };
  };
  const run = (overrides: Record<string, string | undefined> = {}, deps: Partial<DoctorDeps> = {}) => runDoctor(depsFor(loadConfig(settings(overrides)), deps));
  const failures = (findings: Finding[]) => findings.filter((f) => f.verdict === 'fail');
  const finding = (findings: Finding[], check: string) => findings.find((f) => f.check === check)!;

  before(async () => {
    db = await testDatabase();
    groupPolicyFile = tenantConfigFile({ default: { access: { rotaManagers: ['group:aaaaaaaa-0000-0000-0000-00000000000a'] } } });
    local = await LocalTeams.start({ teamId: TEAM, appCatalogId: 'catalog-id', meetingOrganizers: [ORGANIZER] });
    local.world.botAppId = APP_ID;
    site = createServer((req, res) => {
      res.writeHead(req.url === '/healthz' ? siteStatus : 404, { 'Content-Type': 'application/json' });
      res.end('{"status":"ok"}');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  });
  after(async () => {
    await local?.stop();
    await new Promise((resolve) => site?.close(resolve));
    await db?.drop();
  });
  afterEach(() => {
    local.graph.granted.clear();
    for (const permission of setupGrants()) local.graph.granted.add(permission);
    siteStatus = 200;
  });

  it('passes a deployment set up as the README says, and prints a report an admin can read', async () => {
    const findings = await run();
    expect(failures(findings), formatReport(findings)).to.deep.equal([]);
    expect(finding(findings, 'team').detail).to.contain('installed in the incidents team');
    expect(finding(findings, 'meeting organizer').verdict).to.equal('ok');
    expect(finding(findings, 'broadcast channel').detail).to.contain('production-issues');
    expect(finding(findings, 'MongoDB').detail).to.match(/MongoDB \d+\.\d+/);
    expect(finding(findings, 'permissions:archive').verdict, 'archiving is off by default').to.equal('skipped');
    // The meeting is made once, then found: the doctor may run every deploy without filling a calendar.
    await run();
    expect([...local.world.meetings.values()].filter((m) => m.externalId === 'incident-room-doctor')).to.have.length(1);
  });

  it('names exactly the permission that is missing, for every grant the setup steps ask for', async () => {
    for (const permission of setupGrants()) {
      local.graph.granted.delete(permission);
      // Some operations take either grant: the channel tab is allowed by TeamsTab.Create (which the chat tab needs) as well as by its RSC permission.
      const stillAllowed = Object.values(GRAPH_OPERATIONS).every((op: GraphOperation) => {
        const application = applicationPermissions(op);
        if (op.rsc !== permission && !application.includes(permission)) return true;
        return op.rsc === permission ? application.every((p) => local.graph.granted.has(p)) : local.graph.granted.has(op.rsc ?? '');
      });
      // Every feature on: archiving, filing post-mortems, an access policy that names an Entra group, and action items in Planner.
      const findings = await run({ ARCHIVE_ON_PUBLISH: 'true', FILE_POSTMORTEMS: 'true', TENANT_CONFIG_FILE: groupPolicyFile, TRACKER: 'planner', PLANNER_PLAN_ID: 'plan-1', PLANNER_BUCKET_ID: 'bucket-1' });
      const failed = failures(findings);
      if (stillAllowed) expect(failed, `withholding ${permission}, which another grant covers`).to.deep.equal([]);
      else expect(findings.filter((f) => f.verdict !== 'ok').map((f) => `${f.detail} ${f.fix}`).join('\n'), `withholding ${permission}`).to.contain(permission);
      local.graph.granted.add(permission);
    }
  });

  it('with ARCHIVE_ON_PUBLISH, asks for the application permission archiving needs (no RSC permission exists)', async () => {
    local.graph.granted.delete('ChannelSettings.ReadWrite.All');
    const findings = await run({ ARCHIVE_ON_PUBLISH: 'true' });
    const archive = finding(findings, 'permissions:archive');
    expect(archive.verdict).to.equal('fail');
    expect(archive.fix).to.contain('ChannelSettings.ReadWrite.All');
    local.graph.granted.add('ChannelSettings.ReadWrite.All');
    expect(finding(await run({ ARCHIVE_ON_PUBLISH: 'true' }), 'permissions:archive').verdict).to.equal('ok');
  });

  it('says which setting is wrong, one at a time', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ TEAMS_TEAM_ID: '00000000-0000-0000-0000-00000000dead' }, 'team', /TEAMS_TEAM_ID/],
      [{ MEETING_ORGANIZER_ID: '00000000-0000-0000-0000-00000000beef' }, 'meeting organizer', /Grant-CsApplicationAccessPolicy/],
      [{ BROADCAST_CHANNEL_ID: '19:nothing-here@thread.tacv2' }, 'broadcast channel', /BROADCAST_CHANNEL_ID/],
      [{ MONGODB_URI: 'mongodb://127.0.0.1:1/none' }, 'MongoDB', /MONGODB_URI/],
    ];
    for (const [override, check, fix] of cases) {
      const found = finding(await run(override), check);
      expect(found.verdict, JSON.stringify(override)).to.equal('fail');
      expect(found.fix, JSON.stringify(override)).to.match(fix);
    }
    siteStatus = 503;
    expect(finding(await run(), 'public URL').verdict).to.equal('fail');
    siteStatus = 200;
    expect(finding(await run(), 'channel budget').verdict).to.equal('ok');
    while (local.world.channels.size < 800) local.world.createChannel({ displayName: `old-${local.world.channels.size}`, membershipType: 'standard' });
    expect(finding(await run(), 'channel budget').detail).to.contain('800 of its 1000 channels');
  });

  it('says when the token cannot be had, and the checks after it still run', async () => {
    const findings = await run({}, { tokens: async () => Promise.reject(new Error('AADSTS7000215: Invalid client secret provided.')) });
    expect(finding(findings, 'token').verdict).to.equal('fail');
    expect(finding(findings, 'token').fix).to.contain('MICROSOFT_APP_PASSWORD');
    expect(finding(findings, 'MongoDB').verdict, 'the database check does not need Graph').to.equal('ok');
  });

  it('warns when no one joining a bridge was ever recorded: the meeting event subscription is off', async () => {
    const connection = await mongoose.createConnection(db.uri).asPromise();
    try {
      const declared = new Date(Date.now() - 3 * 3_600_000);
      const resolved = new Date(Date.now() - 2 * 3_600_000);
      const ids = [new mongoose.Types.ObjectId(), new mongoose.Types.ObjectId()];
      await connection.collection('incidents').insertMany(
        ids.map((_id, i) => ({ _id, tenantId: TENANT, number: 900 + i, title: 'Bridge', severity: 'P1', status: 'resolved', milestones: { declared, resolved }, meeting: { id: `m${i}`, joinUrl: 'https://teams.microsoft.com/meet/1', chatId: `19:meeting_${i}@thread.v2` }, provisioning: { steps: { meetingTab: { status: 'done' } } } })),
      );
      const silent = finding(await run(), 'meeting events');
      expect(silent.verdict).to.equal('warn');
      expect(silent.fix).to.contain('Meeting event subscriptions');
      await connection.collection('timeline_events').insertOne({ _id: new mongoose.Types.ObjectId(), incidentId: ids[0], at: declared, kind: 'meeting_joined', actor: { kind: 'user', id: '29:a', name: 'Alex' }, payload: {} });
      expect(finding(await run(), 'meeting events').verdict).to.equal('ok');
    } finally {
      await connection.close();
    }
  });

  it('exits non-zero on a failure, answers JSON with --json, and explains settings that do not load', async () => {
    local.graph.granted.delete('TeamMember.Read.Group');
    const result = await doctor(settings(), { json: true }, (config) => depsFor(config));
    expect(result.ok).to.equal(false);
    const parsed = JSON.parse(result.output) as { ok: boolean; findings: Finding[] };
    expect(parsed.findings.find((f) => f.check === 'permissions:membership')!.verdict).to.equal('fail');
    const broken = await doctor(settings({ PUBLIC_BASE_URL: 'not a url' }), { json: false });
    expect(broken.ok).to.equal(false);
    expect(broken.output).to.contain('PUBLIC_BASE_URL');
  });
});
