import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

const ARTIFACTS = 'test-artifacts/sandbox';

/** When the app stops answering, the sandbox shows one line that says so and clears itself once it answers again. */
describe('local sandbox: losing touch with the app (screenshots in test-artifacts/sandbox/)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let t: TestApp;
  let page: Page;

  before(async function () {
    browser = await launchBrowser(this);
    t = await startTestApp();
    mkdirSync(ARTIFACTS, { recursive: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 700 } });
    await page.goto(`${t.app.url}/`);
    await page.locator('nav button', { hasText: '# General' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows one status line while the app is unreachable, no pile of toasts, and clears it when the app is back', async () => {
    await page.route('**/sandbox/api/state**', (route) => route.abort('connectionrefused'));
    const line = page.locator('#connection');
    await line.getByText('Lost touch with the app').waitFor();
    await page.waitForTimeout(4000); // several failed polls
    expect(await page.locator('#connection').count()).to.equal(1);
    expect(await page.locator('#toasts .toast').count(), 'no stacked toasts').to.equal(0);
    await page.screenshot({ path: `${ARTIFACTS}/connection-lost.png` });
    await page.unroute('**/sandbox/api/state**');
    await line.getByText('Back in touch').waitFor();
    await line.waitFor({ state: 'hidden' });
  });

  it('answers /favicon.ico with the app icon', async () => {
    const icon = await fetch(`${t.app.url}/favicon.ico`);
    expect(icon.status).to.equal(200);
    expect(icon.headers.get('content-type')).to.equal('image/png');
  });
});
