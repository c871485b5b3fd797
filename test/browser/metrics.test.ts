import { ALEX } from '../helpers/people.js';
import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { deterministicId } from '../../models/support/ids.js';
import { SEVERITIES } from '../../models/incident/severity.js';
import { launchBrowser, openHostedTab, type HostedTab } from '../helpers/browser.js';
import { signedInAs } from '../helpers/tabApi.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { startTestApp, TENANT, type TestApp } from '../helpers/testApp.js';

const ARTIFACTS = 'test-artifacts/metrics';
const MIN = 60_000;

/** The metrics view in Chromium against the real server, with a year of generated incidents. */
describe('metrics view in Chromium (screenshots in test-artifacts/metrics/)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let t: TestApp;
  let page: Page;
  /** The metrics tab, opened from the sandbox's host as a person opens it (signed in as Alex, local mode's admin, who may import). */
  let tab: HostedTab;
  const shot = (name: string) => tab.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await startTestApp();
    const now = Date.now();
    for (let n = 1; n <= 60; n++) {
      const declared = new Date(now - (n * 5 + (n % 3)) * 86_400_000 + (n % 7) * 3_600_000);
      const resolved = n % 5 === 0 ? undefined : new Date(declared.getTime() + (30 + n * 7) * MIN);
      await t.app.database.store.insertIncident(
        sampleIncident({
          id: deterministicId('metrics-view', String(n)),
          tenantId: TENANT,
          number: n,
          severity: SEVERITIES[n % 4]!,
          component: ['payments', 'search', 'auth'][n % 3],
          status: resolved ? 'resolved' : 'investigating',
          milestones: { declared, acknowledged: n % 4 === 0 ? undefined : new Date(declared.getTime() + (2 + (n % 9)) * MIN), mitigated: resolved && new Date(resolved.getTime() - 10 * MIN), resolved },
        }),
      );
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

  it('shows the figures, charts with table alternatives, and the definitions', async () => {
    tab = await openHostedTab(page, t.app.url, '/tab/metrics');
    await tab.getByTestId('tile-incidents').waitFor();
    const incidents = Number((await tab.getByTestId('tile-incidents').innerText()).match(/\d+/)![0]);
    const api = (await (await fetch(`${t.app.url}/api/metrics?${new URL(tab.url()).search.slice(1)}`, { headers: await signedInAs(t.app, ALEX) })).json()) as { incidents: number };
    expect(incidents).to.be.greaterThan(0);
    expect(incidents).to.be.at.most(60);
    expect(api.incidents).to.be.a('number');
    expect(await tab.locator('canvas').count()).to.equal(4);
    for (const canvas of await tab.locator('canvas').all()) expect(await canvas.getAttribute('aria-label')).to.match(/the same figures are in the table below/);
    expect(await tab.getByTestId('tile-worst-day').innerText()).to.match(/(Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day\s+worst day/);
    expect(await tab.locator('.definitions').innerText()).to.contain('acknowledged − declared').and.contain('nearest-rank');
    expect(await tab.getByTestId('by-severity').innerText()).to.contain('P0').and.contain('P3');
    await shot('1-metrics-light');
  });

  it('narrows to one severity and follows the dark and high-contrast themes', async () => {
    await tab.getByLabel('P1', { exact: true }).check();
    await tab.getByTestId('by-severity').filter({ hasNotText: 'P0' }).waitFor();
    expect(await tab.getByTestId('by-severity').innerText()).to.contain('P1').and.not.contain('P2');
    for (const [theme, name] of [['dark', '2-metrics-dark'], ['contrast', '3-metrics-high-contrast']] as const) {
      tab = await openHostedTab(page, t.app.url, '/tab/metrics', { theme });
      await tab.getByTestId('tile-incidents').waitFor();
      expect(await tab.evaluate(() => document.documentElement.dataset.theme)).to.equal(theme);
      await shot(name);
    }
  });

  it('imports history from a CSV file and counts it', async () => {
    tab = await openHostedTab(page, t.app.url, '/tab/metrics');
    await tab.getByTestId('tile-incidents').waitFor();
    const before = Number((await tab.getByTestId('tile-incidents').innerText()).match(/\d+/)![0]);
    const declared = new Date(Date.now() - 20 * 86_400_000).toISOString();
    await tab.getByTestId('import-file').setInputFiles({ name: 'history.csv', mimeType: 'text/csv', buffer: Buffer.from(`title,severity,declared\nOld outage,P0,${declared}\n`) });
    await tab.getByText('Imported 1 incident(s).').waitFor();
    await tab.getByTestId('tile-incidents').filter({ hasText: String(before + 1) }).waitFor();
    await tab.getByTestId('import-file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('title,severity,declared\n,P7,soon\n') });
    await tab.getByRole('alert').filter({ hasText: 'Nothing was imported' }).waitFor();
    expect(await tab.getByRole('alert').innerText()).to.contain('Row 1 (declared): must be a date and time');
    await shot('5-metrics-import-problems');
  });

  it('fits a narrow side panel', async () => {
    const narrow = await browser.newPage({ viewport: { width: 360, height: 800 } });
    const panel = await openHostedTab(narrow, t.app.url, '/tab/metrics', { frame: 'sidePanel' });
    await panel.getByTestId('tile-incidents').waitFor();
    expect(await panel.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(360);
    await panel.screenshot({ path: `${ARTIFACTS}/4-metrics-narrow.png`, fullPage: true });
    await narrow.close();
  });
});
