import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openHostedTab, type HostedTab } from '../helpers/browser.js';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

const ARTIFACTS = 'test-artifacts/record-search';

/**
 * The tab's search box in headless Chromium (issue 23, item 4): typed as a person types, the
 * results from the parts of the record, the phrase marked; the views come back after. Screenshots
 * in test-artifacts/record-search/.
 */
describe('record search in the tab, in Chromium (screenshots in test-artifacts/record-search/)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let room: IncidentRoom;
  let page: Page;
  let tab: HostedTab;
  const shot = (name: string, options: { theme?: 'dark' } = {}) => page.screenshot({ path: `${ARTIFACTS}/${name}${options.theme ? `-${options.theme}` : ''}.png`, fullPage: true });

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    room = await openIncidentRoom();
    const incident = await room.incident();
    await room.click('ack');
    const api = tabApi(room.t.app.url, incident.id, signedInAs(room.t.app));
    await api.note('Primary DB failover started by hand');
    await room.say('update DB failover done; replicas catching up');
    await api.note('Nothing to do with the failover: the CDN is fine');
    await room.t.app.actions.drain();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (error) => {
      throw error;
    });
    tab = await openHostedTab(page, room.t.app.url, `/tab/incidents/${incident.id}`);
    await tab.locator('h1', { hasText: 'INC-1' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await room?.close();
  });

  it('searches from the box beside the views: hits oldest first, marked, counted per part of the record', async () => {
    const box = tab.getByRole('searchbox', { name: 'Search this incident' });
    await box.fill('db   FAILOVER');
    await box.press('Enter');
    const hits = tab.getByTestId('search-hits').locator('li');
    await hits.first().waitFor();
    expect(await hits.count()).to.equal(2);
    expect(await hits.nth(0).innerText()).to.contain('noted: Primary DB failover started by hand');
    expect(await hits.nth(1).innerText()).to.contain('posted an update: DB failover done');
    expect(await tab.locator('mark').allInnerTexts()).to.deep.equal(['DB failover', 'DB failover']);
    expect(await tab.getByTestId('search-summary').innerText()).to.contain('2 in the timeline · 0 in key messages');
    // What was typed stays in the box.
    expect(await box.inputValue()).to.equal('db   FAILOVER');
    await shot('1-results');
  });

  it('says plainly when nothing matches, and why a search was not run', async () => {
    const box = tab.getByRole('searchbox', { name: 'Search this incident' });
    await box.fill('kubernetes');
    await box.press('Enter');
    await tab.getByTestId('search-summary').filter({ hasText: 'Nothing in this incident' }).waitFor();
    await box.fill('x');
    await box.press('Enter');
    await tab.getByRole('alert').filter({ hasText: 'type at least 2 characters' }).waitFor();
    await shot('2-too-short');
  });

  it('goes back to a view from the bar, and an empty search closes the results', async () => {
    await tab.getByRole('tab', { name: /Checklist/ }).click();
    await tab.locator('#panel-checklist').waitFor();
    const box = tab.getByRole('searchbox', { name: 'Search this incident' });
    await box.fill('failover');
    await box.press('Enter');
    await tab.getByTestId('search-hits').locator('li').first().waitFor();
    await box.fill('');
    await box.press('Enter');
    await tab.getByTestId('timeline').waitFor();
  });
});
