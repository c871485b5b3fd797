import { expect } from 'chai';
import { deterministicId } from '../../models/support/ids.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { ALEX, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { TENANT } from '../helpers/testApp.js';
import { signedInAs } from '../helpers/tabApi.js';

/** GET /api/metrics and /api/metrics.csv over HTTP, and the `metrics` chat command. */
describe('metrics API and command', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  /** Signed in as Alex, local mode's admin: importing is the admins'. */
  let alex: Record<string, string>;

  before(async () => {
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P1');
    alex = await signedInAs(room.t.app, ALEX);
    const now = Date.now();
    for (let n = 1; n <= 5; n++) {
      const declared = new Date(now - n * 86_400_000);
      await room.t.app.database.store.insertIncident(
        sampleIncident({ id: deterministicId('metrics-api', String(n)), tenantId: TENANT, number: 100 + n, component: n % 2 ? '=cmd|calc' : 'search', milestones: { declared, acknowledged: new Date(declared.getTime() + n * 60_000) } }),
      );
    }
  });
  after(() => room?.close());

  const get = (path: string, auth = true) => fetch(`${room.t.app.url}${path}`, { headers: auth ? alex : {} });

  it('answers the last 12 months by default, with definitions, for the signed-in tenant', async () => {
    const answer = await get('/api/metrics');
    expect(answer.status).to.equal(200);
    const report = await answer.json();
    expect(report.incidents).to.equal(6); // five generated + the one declared in chat
    expect(report.overall.mtta.count).to.be.at.least(5);
    expect(report.query.timeZone).to.equal('UTC');
    expect(report.perMonth.length).to.be.within(12, 13);
    expect(report.definitions.mttrRepair).to.contain('resolved − started');
  });

  it('filters, and exports CSV that a spreadsheet will not execute', async () => {
    const only = await (await get('/api/metrics?severity=p1&component=search')).json();
    expect(only.incidents).to.equal(2);
    const csv = await get('/api/metrics.csv?tz=Europe/Berlin');
    expect(csv.status).to.equal(200);
    expect(csv.headers.get('content-type')).to.contain('text/csv');
    expect(csv.headers.get('content-disposition')).to.match(/attachment; filename="incident-metrics-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv"/);
    const lines = (await csv.text()).split('\r\n');
    expect(lines[0]).to.equal('section,key,incidents,mtta_median_min,mtta_p90_min,mtta_missing,recovery_median_min,recovery_p90_min,recovery_missing,repair_median_min,repair_p90_min,repair_missing,items,done,completion_rate,median_days_to_done,due,days_overdue,owner,item');
    expect(lines.some((l) => l.startsWith('component,"\'=cmd|calc",3,'))).to.equal(true);
    expect(lines.filter((l) => l.startsWith('day_of_week,'))).to.have.length(7);
  });

  it('explains bad queries with 400 and refuses callers who are not signed in', async () => {
    const cases: [string, RegExp][] = [
      ['/api/metrics?from=yesterday', /from must be a date/],
      ['/api/metrics?from=2026-05-01&to=2026-01-01', /from must be before to/],
      ['/api/metrics?from=2020-01-01&to=2026-01-01', /limited to 60 months/],
      ['/api/metrics?tz=Mars/Olympus', /unknown time zone/],
      ['/api/metrics?severity=P7', /severities/],
      ['/api/metrics?sort=desc', /Unrecognized key/i],
      ['/api/metrics?component[$ne]=x', /component|Unrecognized/i],
    ];
    for (const [path, message] of cases) {
      const answer = await get(path);
      expect(answer.status, path).to.equal(400);
      expect((await answer.json()).error, path).to.match(message);
    }
    expect((await get('/api/metrics', false)).status).to.equal(401);
  });

  it('`metrics` in chat answers with a summary card for the last 30 days', async () => {
    const reply = await room.say('metrics');
    const text = JSON.stringify(reply.card);
    expect(text).to.contain('Incidents, last 30 days').and.contain('MTTA').and.contain('median').and.contain('/tab/metrics');
    expect((await room.say('metrics 9999')).text).to.contain('1 to 730');
  });

  const post = (body: unknown) => fetch(`${room.t.app.url}/api/incidents/import`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...alex }, body: JSON.stringify(body) });

  it('imports past incidents from CSV through the same validation, once, and they count in the metrics', async () => {
    const csv = [
      'id,title,severity,component,declared,acknowledged,mitigated,resolved,closed',
      'OLD-1,"Checkout down, again",P1,payments,2025-06-03T10:00:00Z,2025-06-03T10:04:00Z,2025-06-03T10:40:00Z,2025-06-03T12:00:00Z,2025-06-05T09:00:00Z',
      'OLD-2,Search slow,sev2,search,2025-06-10 08:00,,,,',
    ].join('\n');
    const first = await post({ format: 'csv', content: csv });
    expect(first.status).to.equal(200);
    expect(await first.json()).to.deep.include({ imported: 2, alreadyThere: 0 });
    const again = await (await post({ format: 'csv', content: csv })).json();
    expect(again).to.deep.include({ imported: 0, alreadyThere: 2 });
    const june = await (await get('/api/metrics?from=2025-06-01&to=2025-07-01')).json();
    expect(june.incidents).to.equal(2);
    expect(june.overall.mtta).to.deep.include({ count: 1, missing: 1, medianMinutes: 4 });
    expect(june.overall.mttrRepair).to.deep.include({ count: 1, medianMinutes: 120 });
    const imported = (await room.t.incidents()).filter((i) => i.source.kind === 'import');
    expect(imported.map((i) => [i.title, i.status, i.severity])).to.deep.equal([['Checkout down, again', 'closed', 'P1'], ['Search slow', 'investigating', 'P2']]);
    expect(imported.every((i) => i.provisioning.complete)).to.equal(true, 'history builds no war room');
  });

  it('imports nothing from a file with problems, and names each with its row', async () => {
    const rows = [
      { title: 'Fine', declared: '2025-07-01T00:00:00Z' },
      { title: '', severity: 'P9', declared: 'last tuesday', resolved: '2025-01-01T00:00:00Z' },
      { title: 'Backwards', declared: '2025-07-02T10:00:00Z', acknowledged: '2025-07-02T09:00:00Z', $where: 'sleep(1)' },
      'not an object',
    ];
    const answer = await post({ format: 'json', content: JSON.stringify(rows) });
    expect(answer.status).to.equal(400);
    const body = await answer.json();
    expect(body.error).to.match(/^Nothing was imported/);
    const said = body.problems.map((p: { row: number; field?: string; message: string }) => `${p.row}:${p.field ?? ''}:${p.message}`);
    expect(said).to.include.members(['2::a title is required, e.g. `declare Checkout API returns 500s --sev P1`', '2:declared:must be a date and time like 2026-03-14T09:30:00Z', '3:acknowledged:is before declared', '4::each incident must be an object']);
    expect(said.some((p: string) => p.startsWith('2::unknown severity "P9"'))).to.equal(true);
    expect(said.some((p: string) => p.startsWith('3:$where:unknown column'))).to.equal(true);
    expect((await room.t.incidents()).some((i) => i.title === 'Fine')).to.equal(false);
    expect((await post({ format: 'csv', content: 'title\n"unterminated' })).status).to.equal(400);
    expect((await post({ format: 'xml', content: '<a/>' })).status).to.equal(400);
    expect((await post({ format: 'json', content: '[]' })).status).to.equal(400);
  });
});
