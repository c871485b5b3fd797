import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { LEE } from '../helpers/incidentRoom.js';
import { provisioned, startTestApp, type TestApp } from '../helpers/testApp.js';

const ARTIFACTS = 'test-artifacts/sandbox-identity';
const ADELE = 'Adele Vance';

/**
 * The sandbox hosts the tab as Teams does: the tab is signed in as the person in "Act as" (a
 * Teams SSO token from the local Entra stand-in, checked as in real mode), so what people do in
 * the tab is theirs; switching person reloads the tab as them; the sandbox's theme reaches the
 * tab. Screenshots in test-artifacts/sandbox-identity/.
 */
describe('the sandbox hosts the tab as Teams does (screenshots in test-artifacts/sandbox-identity/)', function () {
  this.timeout(180_000);
  let browser: Browser;
  let t: TestApp;
  let page: Page;
  let tab: FrameLocator;
  const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
  const actAs = (name: string) => page.locator('#as').selectOption({ label: name });
  const timeline = () => tab.getByTestId('timeline').locator('li');

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await startTestApp();
    await t.message('declare Checkout API returns 500s --sev P1');
    await provisioned(t);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${t.app.url}/`);
    tab = page.frameLocator('#tab');
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await shot(`failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('acting as one person, a note added in the tab is theirs on the timeline', async () => {
    await actAs(ADELE);
    await page.locator('nav button', { hasText: 'inc-1-checkout-api-returns-500s' }).click();
    await page.getByRole('tab', { name: 'INC-1 tab' }).click();
    await tab.getByTestId('identity').filter({ hasText: `Signed in as ${ADELE}` }).waitFor();
    await tab.getByLabel('Add a note to the timeline').fill('Error rate at 12% on checkout');
    await tab.getByRole('button', { name: 'Add note' }).click();
    const note = timeline().filter({ hasText: 'Error rate at 12% on checkout' });
    await note.waitFor();
    expect(await note.innerText()).to.contain(ADELE);
    const events = await t.app.database.store.listEvents((await t.incidents())[0]!.id);
    expect(events.find((e) => e.kind === 'note')?.actor).to.include({ name: ADELE });
    await shot('1-note-as-adele');
  });

  it('switching person reloads the tab as them: taking command and ticking are theirs', async () => {
    await actAs(LEE.name);
    await tab.getByTestId('identity').filter({ hasText: `Signed in as ${LEE.name}` }).waitFor();
    await tab.getByRole('button', { name: "I'm the commander" }).click();
    await tab.getByTestId('action-message').filter({ hasText: /Incident Commander/ }).waitFor();
    await timeline().filter({ hasText: `made ${LEE.name} Incident Commander` }).first().waitFor();
    // The commander is Lee, by the Entra id the token carried: pages and reminders @mention Lee.
    const [incident] = await t.incidents();
    expect(incident!.roles.commander).to.include({ name: LEE.name, aadObjectId: LEE.aadObjectId });
    await tab.getByRole('tab', { name: /Checklist/ }).click();
    const box = tab.getByRole('checkbox', { name: /Write the incident statement/ });
    await box.click();
    await tab.locator('.check', { has: box }).filter({ hasText: LEE.name }).waitFor();
    await shot('2-commander-and-tick-as-lee');
    await tab.getByRole('tab', { name: 'Timeline' }).click();
    await timeline().filter({ hasText: 'ticked “Write the incident statement' }).filter({ hasText: LEE.name }).waitFor();
  });

  it('"My incidents" beside the chat with the bot lists the incidents of the person acted as', async () => {
    await page.locator('nav button', { hasText: 'incident-room' }).click();
    await page.getByRole('tab', { name: 'My incidents tab' }).click();
    const row = tab.getByTestId('mine-list').locator('li', { hasText: 'INC-1' });
    await row.waitFor();
    expect(await row.innerText()).to.contain('You: Incident Commander');
    await shot('3-my-incidents-as-lee');
    // Someone else sees their own (Adele holds no role in INC-1), beside her own chat with the bot.
    await actAs(ADELE);
    await page.locator('nav button', { hasText: 'incident-room' }).click();
    await page.getByRole('tab', { name: 'My incidents tab' }).click();
    await tab.getByText('Signed in as Adele Vance').waitFor();
    await tab.getByTestId('mine-empty').waitFor();
    expect(await tab.getByTestId('mine-list').count()).to.equal(0);
    await shot('3b-my-incidents-as-adele');
  });

  it('the sandbox’s theme button turns the tab dark too', async () => {
    await actAs(LEE.name);
    await page.locator('nav button', { hasText: 'inc-1-checkout-api-returns-500s' }).click();
    await page.getByRole('tab', { name: 'INC-1 tab' }).click();
    await tab.getByTestId('identity').filter({ hasText: LEE.name }).waitFor();
    const tabTheme = () => tab.locator('html').evaluate((html) => ({ theme: html.dataset.theme, background: getComputedStyle(document.body).backgroundColor }));
    const light = await tabTheme();
    const toDark = !(await page.evaluate(() => document.body.classList.contains('dark')));
    await page.locator('#theme').click();
    if (!toDark) await page.locator('#theme').click(); // it started dark: back to light, then dark
    await page.waitForFunction(() => document.body.classList.contains('dark'));
    await tab.locator('html[data-theme="dark"]').waitFor();
    const dark = await tabTheme();
    expect(dark.theme).to.equal('dark');
    if (toDark) expect(dark.background).not.to.equal(light.background);
    // The frame around the tab is dark too, not a white box.
    expect(await page.locator('#tab').evaluate((frame) => getComputedStyle(frame).backgroundColor)).not.to.equal('rgb(255, 255, 255)');
    await shot('4-dark-theme');
    await page.locator('#theme').click();
    await tab.locator('html[data-theme="default"]').waitFor();
  });

  it('a tab opened outside any host says to open it from the sandbox, with a link', async () => {
    const plain = await browser.newPage();
    const incident = (await t.incidents())[0]!;
    await plain.goto(`${t.app.url}/tab/incidents/${incident.id}`);
    await plain.getByRole('heading', { name: 'Open this tab from the sandbox' }).waitFor();
    expect(await plain.getByRole('link', { name: 'Open the sandbox' }).getAttribute('href')).to.equal('/');
    expect(await plain.locator('body').innerText()).not.to.contain('Checkout API');
    await plain.screenshot({ path: `${ARTIFACTS}/5-outside-any-host.png` });
    await plain.goto(`${t.app.url}/tab/mine`);
    await plain.getByRole('heading', { name: 'Open this tab from the sandbox' }).waitFor();
    await plain.close();
  });
});
