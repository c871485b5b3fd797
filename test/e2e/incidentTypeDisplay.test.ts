import { expect } from 'chai';
import { ALEX, asRead, cardText, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { provisioned, securityInAChannel } from '../helpers/testApp.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

/** Where an incident's type and extra fields show: the card, the tab, My incidents, the post-mortem draft, the exports and the metrics. */
describe('an incident\'s type and fields are shown wherever the incident is', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  let alex: Record<string, string>;

  before(async () => {
    room = await openIncidentRoom(securityInAChannel(), 'Admin account phished --type security --field vector=Phishing --field "systems=vpn, mail"');
    await room.say('role ic me');
    await room.t.message('declare Checkout is slow', { from: ALEX });
    await provisioned(room.t, 2);
    alex = await signedInAs(room.t.app, ALEX);
  });
  after(() => room?.close());

  const get = (path: string) => fetch(`${room.t.app.url}${path}`, { headers: alex });

  it('the card: the type in its header, the type and fields in Details', async () => {
    const card = cardText((await room.say('info')).card);
    expect(card).to.contain('INC-1 · P1 Major · Security');
    expect(card).to.contain('"title":"Attack vector","value":"Phishing"').and.contain('"title":"Affected systems","value":"vpn, mail"');
  });

  it('the tab: the type and fields with the incident; the post-mortem draft names them', async () => {
    const api = tabApi(room.t.app.url, (await room.incident()).id, alex);
    const { body } = await api.get();
    expect(body.incident.type).to.deep.equal({ id: 'security', label: 'Security' });
    expect(body.incident.fields).to.deep.equal([{ label: 'Attack vector', value: 'Phishing' }, { label: 'Affected systems', value: 'vpn, mail' }]);
    const draft = (await api.get('/postmortem')).body;
    expect(draft.content.description).to.contain('A Security incident. Attack vector: Phishing; Affected systems: vpn, mail.');
  });

  it('the exports carry the type and fields', async () => {
    const api = tabApi(room.t.app.url, (await room.incident()).id, alex);
    const md = (await api.get('/export/md')).text;
    expect(asRead(md)).to.contain('Security incident. Severity P1').and.contain('| Attack vector | Phishing |');
    const csv = (await api.get('/export/csv')).text.split('\r\n');
    expect(csv[0]).to.equal('time_utc,actor,kind,description,incident_type,incident_fields');
    expect(csv[1]).to.match(/,Security,"Attack vector: Phishing; Affected systems: vpn, mail"$/);
    const json = (await api.get('/export/json')).body;
    expect(json.incident).to.deep.include({ type: { id: 'security', label: 'Security' }, fields: [{ label: 'Attack vector', value: 'Phishing' }, { label: 'Affected systems', value: 'vpn, mail' }] });
  });

  it('My incidents shows each incident\'s type', async () => {
    const mine = await (await get('/tab/api/me/incidents')).json();
    expect(mine.incidents.find((i: { label: string }) => i.label === 'INC-1').type).to.equal('Security');
  });

  it('the metrics: filtered by type, broken down by type, in JSON and CSV; an unknown type is named with the valid ones', async () => {
    const all = await (await get('/api/metrics')).json();
    expect(all.byType.map((t: { type: string; incidents: number }) => [t.type, t.incidents])).to.have.deep.members([['security', 1], ['service-outage', 1]]);
    expect(all.definitions.byType).to.be.a('string');
    const security = await (await get('/api/metrics?type=security')).json();
    expect(security.incidents).to.equal(1);
    expect(security.query.types).to.deep.equal(['security']);
    expect(security.bySeverity.map((s: { severity: string }) => s.severity)).to.deep.equal(['P1']);
    const csv = (await (await get('/api/metrics.csv')).text()).split('\r\n');
    expect(csv.filter((l) => l.startsWith('type,'))).to.have.length(2);
    expect(csv.some((l) => l.startsWith('type,security,1,'))).to.equal(true);
    const bad = await get('/api/metrics?type=securty');
    expect(bad.status).to.equal(400);
    expect((await bad.json()).error).to.contain('unknown type "securty"').and.contain('security (Security)');
  });

  it('imported history names its type (by id or label), checked like a declaration; then counts by type', async () => {
    const post = (content: string) => fetch(`${room.t.app.url}/api/incidents/import`, { method: 'POST', headers: { ...alex, 'Content-Type': 'application/json' }, body: JSON.stringify({ format: 'csv', content }) });
    const bad = await post('id,title,type,declared\nh1,Old breach,aliens,2026-01-05T10:00:00Z\n');
    expect(bad.status).to.equal(400);
    expect(JSON.stringify((await bad.json()).problems)).to.contain('unknown type \\"aliens\\"').and.contain('security (Security)');
    const good = await post('id,title,type,declared\nh1,Old breach,Security,2026-01-05T10:00:00Z\nh2,Old CI outage,internal-tooling,2026-01-06T10:00:00Z\n');
    expect(good.status).to.equal(200);
    const incidents = (await room.t.incidents()).filter((i) => i.source.kind === 'import');
    expect(incidents.map((i) => [i.title, i.type, i.severity])).to.have.deep.members([['Old breach', 'security', 'P1'], ['Old CI outage', 'internal-tooling', 'P3']]);
    const report = await (await get('/api/metrics?type=security,internal-tooling')).json();
    expect(report.byType.map((t: { type: string; incidents: number }) => [t.type, t.incidents])).to.have.deep.members([['security', 2], ['internal-tooling', 1]]);
  });
});
