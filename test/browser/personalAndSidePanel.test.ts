import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openHostedTab, type HostedTab } from '../helpers/browser.js';
import { LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { provisioned } from '../helpers/testApp.js';

const ARTIFACTS = 'test-artifacts/teams-native';

/**
 * The personal "My incidents" tab, and the incident tab as the meeting side panel shows it
 * (~320 px wide), in Chromium against the real server, each hosted by the sandbox as Teams hosts
 * it and signed in as Megan. Screenshots in test-artifacts/teams-native/.
 */
describe('"My incidents" and the meeting side panel in Chromium (screenshots in test-artifacts/teams-native/)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let room: IncidentRoom;
  let page: Page;
  let tab: HostedTab;
  const shot = (name: string) => tab.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P1');
    await room.t.message('declare Search results are stale --sev P3');
    const [, second] = await provisioned(room.t, 2);
    await room.click('assignRole', { role: 'commander', person: MEGAN.aadObjectId });
    await room.click('follow', {}, { from: MEGAN, incidentId: second!.id, conversationId: `${second!.channel!.id};messageid=${second!.card!.activityId}` });
    await room.click('assignRole', { role: 'communications', person: LEE.aadObjectId });
  });
  after(async () => {
    await browser?.close();
    await room?.close();
  });
  afterEach(async () => {
    await page?.close();
  });

  it('the personal tab lists my incidents with severity, status, my role and links, and stops following', async () => {
    page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    page.on('pageerror', (error) => {
      throw error;
    });
    // Megan signed in (by Entra id, as Teams SSO gives it).
    tab = await openHostedTab(page, room.t.app.url, '/tab/mine', { as: MEGAN });
    const list = tab.getByTestId('mine-list');
    await list.waitFor();
    const items = list.locator('li');
    expect(await items.count()).to.equal(2);
    const [newest, oldest] = [await items.nth(0).innerText(), await items.nth(1).innerText()];
    expect(newest).to.contain('INC-2').and.to.contain('P3').and.to.contain('Following').and.to.contain('Stop following');
    expect(oldest).to.contain('INC-1').and.to.contain('P1').and.to.contain('You: Incident Commander').and.to.contain('Join the bridge');
    expect(oldest).not.to.contain('Stop following');
    await shot('1-my-incidents');
    await items.nth(0).getByRole('button', { name: 'Stop following' }).click();
    await tab.getByRole('status').filter({ hasText: 'You no longer follow INC-2.' }).waitFor();
    await tab.waitForFunction(() => document.querySelectorAll('[data-testid="mine-list"] li').length === 1);
    await shot('2-my-incidents-after-unfollow');
  });

  it('the incident tab in the meeting side panel: one column, the card actions at hand, acknowledging from the call', async () => {
    page = await browser.newPage({ viewport: { width: 320, height: 800 } });
    page.on('pageerror', (error) => {
      throw error;
    });
    const incident = await room.incident();
    tab = await openHostedTab(page, room.t.app.url, `/tab/incidents/${incident.id}`, { as: MEGAN, frame: 'sidePanel' });
    await tab.getByTestId('timeline').waitFor();
    expect(await tab.locator('.app.side-panel').count()).to.equal(1);
    // Nothing wider than the panel: no sideways scrolling during the call.
    expect(await tab.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(320);
    await shot('3-side-panel');
    await tab.getByRole('button', { name: 'Acknowledge' }).click();
    await tab.getByTestId('action-message').filter({ hasText: 'acknowledged INC-1' }).waitFor();
    await tab.getByPlaceholder('Post an update to the channel and broadcast').fill('Rolled back; watching error rates');
    await tab.getByRole('button', { name: 'Post update' }).click();
    await tab.getByTestId('action-message').filter({ hasText: /update/i }).waitFor();
    await tab.locator('.timeline li', { hasText: 'Rolled back; watching error rates' }).waitFor();
    expect((await room.incident()).milestones.acknowledged).to.be.instanceOf(Date);
    // The call's side panel acts as the person signed in: Megan acknowledged it.
    await tab.locator('.timeline li', { hasText: 'acknowledged the incident' }).filter({ hasText: MEGAN.name }).waitFor();
    await shot('4-side-panel-after-actions');
  });
});
