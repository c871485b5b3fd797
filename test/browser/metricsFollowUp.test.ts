import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { deterministicId } from '../../models/support/ids.js';
import { draftPostmortem, type PostmortemContent } from '../../models/postmortem/postmortem.js';
import { ALEX, LEE, MEGAN } from '../helpers/people.js';
import { launchBrowser, openHostedTab } from '../helpers/browser.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { startTestApp, TENANT, type TestApp } from '../helpers/testApp.js';

const ARTIFACTS = 'test-artifacts/metrics';
const DAY = 86_400_000;

/** The metrics view's follow-through section in Chromium: completion, time to done, by type and team, the overdue list. */
describe('metrics view: follow-through of action items in Chromium (screenshot in test-artifacts/metrics/)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let t: TestApp;
  let page: Page;

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    // The contact directory names the components' owning teams (the figures by team).
    const onCall = join(mkdtempSync(join(tmpdir(), 'oncall-')), 'oncall.json');
    writeFileSync(onCall, JSON.stringify({ rota: { name: 'sre', people: [MEGAN, LEE, ALEX] }, directory: [{ component: 'payments', team: 'Payments team' }, { component: 'search', team: 'Search squad' }] }));
    t = await startTestApp({ ONCALL_FILE: onCall });
    const now = Date.now();
    const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
    const due = (days: number) => new Date(today + days * DAY).toISOString().slice(0, 10);
    const at = (days: number) => new Date(now - days * DAY).toISOString();
    type Item = PostmortemContent['actionItems'][number];
    const item = (id: string, description: string, owner: string, fields: Partial<Item> = {}): Item => ({ id, description, owner, due: '', kind: 'proper fix', link: '', done: false, ...fields });
    const incidents: [string, string | undefined, boolean, Item[]][] = [
      ['Checkout API returns 500s', 'payments', false, [item('a', 'Add a canary stage to the payments deploy', 'Megan Bowen', { done: true, addedAt: at(30), doneAt: at(27) }), item('b', 'Alert on checkout 5xx rate', 'Lee Gu', { due: due(-4) })]],
      ['Search results empty for some users', 'search', false, [item('c', 'Backfill the search index nightly', 'Alex Wilber', { done: true, addedAt: at(20), doneAt: at(19) }), item('d', 'Document the reindex runbook', 'Megan Bowen', { done: true, addedAt: at(20), doneAt: at(12) })]],
      ['Admin account phished', undefined, true, [item('e', 'Rotate the admin credentials', 'Lee Gu', { due: due(-9) })]],
    ];
    for (const [n, [title, component, isPrivate, items]] of incidents.entries()) {
      const declared = new Date(now - (40 - n) * DAY);
      const incident = sampleIncident({ id: deterministicId('follow-up-view', String(n)), tenantId: TENANT, number: 10 + n, title, component, milestones: { declared }, ...(isPrivate ? { private: true, type: 'security', members: [ALEX], reporter: ALEX } : {}) });
      await t.app.database.store.insertIncident(incident);
      await t.app.database.store.savePostmortem(incident.id, TENANT, 0, `pm-${n}`, { ...draftPostmortem(incident, []), actionItems: items }, ALEX, declared);
    }
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => {
      throw error;
    });
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows completion, time to done, the breakdowns and the overdue items; a private incident by number only to a non-member', async () => {
    const tab = await openHostedTab(page, t.app.url, '/tab/metrics');
    const section = tab.getByTestId('follow-up');
    await tab.getByTestId('overdue-items').waitFor();
    const text = await section.innerText();
    expect(text).to.contain('60 %').and.contain('done · 3 of 5').and.contain('median time to done');
    expect(await tab.getByTestId('follow-up-by-type').innerText()).to.contain('service-outage').and.contain('security');
    expect(await tab.getByTestId('follow-up-by-team').innerText()).to.match(/Payments team\s+2\s+1\s+50 %/).and.match(/Search squad\s+2\s+2\s+100 %/).and.contain('(no team)');
    const overdue = await tab.getByTestId('overdue-items').innerText();
    expect(overdue).to.match(/INC-12 \(private\): Admin account phished\s+Rotate the admin credentials\s+Lee Gu/).and.match(/INC-10: Checkout API returns 500s\s+Alert on checkout 5xx rate\s+Lee Gu/);
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: `${ARTIFACTS}/4-follow-up.png` });

    const asMegan = await openHostedTab(page, t.app.url, '/tab/metrics', { as: MEGAN });
    await asMegan.getByTestId('overdue-items').waitFor();
    const hers = await asMegan.getByTestId('overdue-items').innerText();
    expect(hers).to.contain('INC-12 (private)').and.contain('(not shown)').and.not.contain('phished').and.not.contain('Rotate');
    await asMegan.getByTestId('follow-up').screenshot({ path: `${ARTIFACTS}/5-follow-up-non-member.png` });
  });
});
