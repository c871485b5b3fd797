import { expect } from 'chai';
import { deterministicId } from '../../models/ids.js';
import { TabAuthError } from '../../tab/auth.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { TENANT } from '../helpers/testApp.js';

/** GET /api/metrics and /api/metrics.csv over HTTP, and the `metrics` chat command. */
describe('metrics API and command', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let signedIn = true;

  before(async () => {
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P1', {
      tabAuthenticator: async (header) => {
        if (!signedIn || !header) throw new TabAuthError(401, 'Sign-in required');
        return { userId: 'u', tenantId: TENANT, name: 'Megan Bowen' };
      },
    });
    const now = Date.now();
    for (let n = 1; n <= 5; n++) {
      const declared = new Date(now - n * 86_400_000);
      await room.t.app.database.store.insertIncident(
        sampleIncident({ id: deterministicId('metrics-api', String(n)), tenantId: TENANT, number: 100 + n, component: n % 2 ? '=cmd|calc' : 'search', milestones: { declared, acknowledged: new Date(declared.getTime() + n * 60_000) } }),
      );
    }
  });
  after(() => room?.close());

  const get = (path: string, auth = true) => fetch(`${room.t.app.url}${path}`, { headers: auth ? { Authorization: 'Bearer test' } : {} });

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
    expect(lines[0]).to.equal('section,key,incidents,mtta_median_min,mtta_p90_min,mtta_missing,recovery_median_min,recovery_p90_min,recovery_missing,repair_median_min,repair_p90_min,repair_missing');
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
});
