import { securityInAChannel } from '../helpers/testApp.js';
import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openHostedTab } from '../helpers/browser.js';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';

const ARTIFACTS = 'test-artifacts/incident-types';

/** A security incident's type and fields in the tab, changing its type there, and My incidents' type; screenshots in test-artifacts/incident-types/. */
describe('incident types in the tab and My incidents (Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let room: IncidentRoom;
  const pages: Page[] = [];
  const page = async () => {
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    p.on('pageerror', (error) => {
      throw error;
    });
    pages.push(p);
    return p;
  };

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    room = await openIncidentRoom(securityInAChannel(), 'Admin account phished --type security --field vector=Phishing --field "systems=vpn, mail"');
    await room.click('takeRole', { role: 'commander' });
  });
  after(async () => {
    await browser?.close();
    await room?.close();
  });

  it('shows the type and fields in the header, and changes the type from the type picker', async () => {
    const tab = await openHostedTab(await page(), room.t.app.url, `/tab/incidents/${(await room.incident()).id}`);
    await tab.locator('h1', { hasText: 'INC-1' }).waitFor();
    expect(await tab.getByTestId('type').textContent()).to.equal('Security');
    expect(await tab.getByTestId('field').allTextContents()).to.deep.equal(['Attack vector: Phishing', 'Affected systems: vpn, mail']);
    await tab.screenshot({ path: `${ARTIFACTS}/1-security-header.png`, fullPage: true });
    await tab.locator('label.inline', { hasText: 'Type' }).locator('select').selectOption({ label: 'Data incident' });
    await tab.getByRole('button', { name: 'Change type' }).click();
    await tab.getByTestId('action-message').filter({ hasText: 'from Security to Data incident' }).waitFor();
    expect(await tab.getByTestId('type').textContent()).to.equal('Data incident');
    await tab.screenshot({ path: `${ARTIFACTS}/2-changed-to-data-incident.png`, fullPage: true });
    expect((await room.incident()).type).to.equal('data-incident');
  });

  it('My incidents shows the type', async () => {
    const tab = await openHostedTab(await page(), room.t.app.url, '/tab/mine');
    await tab.getByTestId('mine-list').waitFor();
    expect(await tab.getByTestId('mine-type').allTextContents()).to.deep.equal(['Data incident']);
    await tab.screenshot({ path: `${ARTIFACTS}/3-my-incidents.png`, fullPage: true });
  });

  it('the metrics view breaks down by type and filters by it', async () => {
    const tab = await openHostedTab(await page(), room.t.app.url, '/tab/metrics');
    const byType = tab.getByTestId('by-type');
    await byType.locator('tbody tr').first().waitFor();
    expect(await byType.locator('tbody td:first-child').allTextContents()).to.deep.equal(['data-incident']);
    // As the component box: the filter applies when the box is left (a change event), not at every key.
    await tab.getByTestId('type-filter').fill('security');
    await tab.getByTestId('type-filter').press('Tab');
    await tab.getByTestId('by-type').locator('tbody tr').first().waitFor({ state: 'detached' });
    await tab.getByTestId('type-filter').fill('data-incident');
    await tab.getByTestId('type-filter').press('Tab');
    await byType.locator('tbody tr').first().waitFor();
    await tab.screenshot({ path: `${ARTIFACTS}/4-metrics-by-type-filtered.png`, fullPage: true });
  });
});
