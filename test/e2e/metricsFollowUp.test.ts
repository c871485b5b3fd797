import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { deterministicId } from '../../models/support/ids.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { ALEX, LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { TENANT } from '../helpers/testApp.js';
import { signedInAs } from '../helpers/tabApi.js';
import { draftPostmortem, type PostmortemContent } from '../../models/postmortem/postmortem.js';
import type { Incident } from '../../models/incident/incident.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Contact directory: `search` is the Search squad's, `payments` the Payments team's; other components have no team. */
function onCallFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'oncall-')), 'oncall.json');
  writeFileSync(path, JSON.stringify({
    rota: { name: 'sre', people: [MEGAN, LEE, ALEX] },
    directory: [{ component: 'search', team: 'Search squad', people: [MEGAN] }, { component: 'Payments', team: 'Payments team', people: [LEE] }],
  }));
  return path;
}

/**
 * The follow-through figures of GET /api/metrics and the CSV: completion rate and median time to
 * done, by type and by team (the contact directory's owning team of the component), and the
 * overdue items with their incident — a private incident's title, item and owner kept from
 * someone who may not see it.
 */
describe('metrics: follow-through of post-mortem action items', function () {
  this.timeout(60_000);
  let room: IncidentRoom;
  const now = Date.now();
  const today = new Date(now).toISOString().slice(0, 10);
  const date = (daysFromToday: number) => new Date(Date.parse(`${today}T00:00:00Z`) + daysFromToday * DAY).toISOString().slice(0, 10);
  const at = (ms: number) => new Date(ms).toISOString();
  type Item = PostmortemContent['actionItems'][number];
  const item = (id: string, fields: Partial<Item>): Item => ({ id, description: `Do ${id}`, owner: 'Megan Bowen', due: '', kind: 'proper fix', link: '', done: false, ...fields });

  before(async () => {
    room = await openIncidentRoom({ ONCALL_FILE: onCallFile() }, 'Checkout API returns 500s --sev P1');
    const { store } = room.t.app.database;
    const declare = async (n: number, fields: Partial<Incident>, items: Item[]) => {
      const declared = new Date(now - n * DAY);
      const incident = sampleIncident({ id: deterministicId('follow-up', String(n)), tenantId: TENANT, number: 200 + n, title: `Incident ${n}`, milestones: { declared }, ...fields });
      await store.insertIncident(incident);
      const saved = await store.savePostmortem(incident.id, TENANT, 0, `pm-${n}`, { ...draftPostmortem(incident, []), actionItems: items }, ALEX, declared);
      expect(saved).to.have.property('saved');
    };
    const added = now - 20 * DAY;
    // search (Search squad, service outage): 3 items, 2 done after 2 and 6 days.
    await declare(1, { component: 'search', type: 'service-outage' }, [
      item('s1', { done: true, addedAt: at(added), doneAt: at(added + 2 * DAY) }),
      item('s2', { done: true, addedAt: at(added), doneAt: at(added + 6 * DAY) }),
      item('s3', { due: date(-3), owner: 'Lee Gu' }),
    ]);
    // payments (Payments team, matched whatever its case; security): 2 items, 1 done after 12 hours, one done from before the times were kept.
    await declare(2, { component: 'payments', type: 'security' }, [item('p1', { done: true, addedAt: at(added), doneAt: at(added + 12 * HOUR) }), item('p2', { done: true })]);
    // No component (no team), private: one overdue item.
    await declare(3, { type: 'security', private: true, members: [ALEX], reporter: ALEX, title: 'Leaked export' }, [item('x1', { due: date(-10), description: 'Purge the export', owner: 'Lee Gu' })]);
  });
  after(() => room?.close());

  const get = async (path: string, who = ALEX) => fetch(`${room.t.app.url}${path}`, { headers: await signedInAs(room.t.app, who) });

  it('gives completion rate and median time to done overall, by type and by team', async () => {
    const { followUp } = await (await get('/api/metrics')).json();
    expect(followUp).to.deep.include({ items: 6, done: 4, completionRate: 0.67, medianDaysToDone: 2, timed: 3, overdueTotal: 2 });
    expect(followUp.byType).to.deep.equal([
      { type: 'security', items: 3, done: 2, completionRate: 0.67, medianDaysToDone: 0.5, timed: 1 },
      { type: 'service-outage', items: 3, done: 2, completionRate: 0.67, medianDaysToDone: 2, timed: 2 },
    ]);
    expect(followUp.byTeam).to.deep.equal([
      { team: 'Search squad', items: 3, done: 2, completionRate: 0.67, medianDaysToDone: 2, timed: 2 },
      { team: 'Payments team', items: 2, done: 2, completionRate: 1, medianDaysToDone: 0.5, timed: 1 },
      { team: '(no team)', items: 1, done: 0, completionRate: 0, timed: 0 },
    ]);
  });

  it('lists the overdue items, most overdue first, with titles only for those who may see the incident', async () => {
    const forAdmin = (await (await get('/api/metrics')).json()).followUp.overdue;
    expect(forAdmin).to.deep.equal([
      { incidentId: deterministicId('follow-up', '3'), itemId: 'x1', item: 'Purge the export', owner: 'Lee Gu', due: date(-10), daysOverdue: 10, incident: 'INC-203 (private)', title: 'Leaked export' },
      { incidentId: deterministicId('follow-up', '1'), itemId: 's3', item: 'Do s3', owner: 'Lee Gu', due: date(-3), daysOverdue: 3, incident: 'INC-201', title: 'Incident 1' },
    ]);
    const forMegan = await (await get('/api/metrics', MEGAN)).json();
    expect(forMegan.followUp.overdue[0]).to.deep.equal({ incidentId: deterministicId('follow-up', '3'), itemId: 'x1', item: '', owner: '', due: date(-10), daysOverdue: 10, incident: 'INC-203 (private)' });
    expect(JSON.stringify(forMegan)).not.to.contain('Leaked').and.not.to.contain('Purge');
    const csv = await (await get('/api/metrics.csv', MEGAN)).text();
    expect(csv).not.to.contain('Leaked').and.not.to.contain('Purge');
    const rows = csv.trim().split('\r\n').map((line) => line.split(','));
    expect(rows.find((r) => r[0] === 'follow_up')!.slice(12, 16)).to.deep.equal(['6', '4', '0.67', '2']);
    expect(rows.find((r) => r[0] === 'follow_up_team' && r[1] === 'Search squad')!.slice(12, 16)).to.deep.equal(['3', '2', '0.67', '2']);
    expect(rows.filter((r) => r[0] === 'overdue_item').map((r) => [r[1], ...r.slice(16)])).to.deep.equal([['INC-203 (private)', date(-10), '10', '', ''], ['INC-201: Incident 1', date(-3), '3', 'Lee Gu', 'Do s3']]);
  });
});
