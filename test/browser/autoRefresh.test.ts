import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { provisioned, startTestApp, type TestApp } from '../helpers/testApp.js';

const ARTIFACTS = 'test-artifacts/sandbox';
/** 61 people: more than Teams refreshes cards for without refresh.userIds. */
const PEOPLE = ['Alex Wilber', 'Megan Bowen', ...Array.from({ length: 59 }, (_, i) => `Member ${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`)];

/**
 * The sandbox refreshes the incident card by itself the way Teams does in a channel of more than
 * 60 people: only for those the card lists in refresh.userIds; the others see it as posted.
 */
describe('local sandbox: automatic card refresh in a large channel (screenshots in test-artifacts/sandbox/)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let t: TestApp;

  before(async function () {
    browser = await launchBrowser(this);
    t = await startTestApp({ LOCAL_PEOPLE: PEOPLE.join(',') });
    mkdirSync(ARTIFACTS, { recursive: true });
    await t.message('declare Checkout API returns 500s --sev P1');
    await t.app.actions.drain();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function viewAs(name: string): Promise<{ page: Page; automatic: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const automatic: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/sandbox/api/send') && /"trigger":"automatic"/.test(request.postData() ?? '')) automatic.push(request.postData()!);
    });
    await page.goto(`${t.app.url}/`);
    await page.locator('#as').selectOption({ label: name });
    await page.locator('nav button', { hasText: 'inc-1-' }).click();
    await page.locator('.posts .card', { hasText: 'INC-1 ·' }).first().waitFor();
    // Give a refresh the page would ask for time to be asked for.
    await page.waitForTimeout(1500);
    return { page, automatic };
  }

  it('refreshes for the reporter the card lists, and not for a member it does not', async () => {
    const incident = (await provisioned(t))[0]!;
    const card = t.local.world.activitiesIn(incident.channel!.id).find((a) => a.id === incident.card!.activityId)!.attachments![0]!.content as { refresh: { userIds: string[] } };
    const reporter = t.local.world.people.find((p) => p.name === 'Alex Wilber')!;
    const bystander = t.local.world.people.find((p) => p.name === 'Member Cg')!;
    expect(card.refresh.userIds).to.include(reporter.id).and.not.include(bystander.id);

    const listed = await viewAs('Alex Wilber');
    expect(listed.automatic, 'Teams refreshes the card for Alex').to.have.length(1);
    await listed.page.screenshot({ path: `${ARTIFACTS}/large-channel-listed.png` });
    const other = await viewAs('Member Cg');
    expect(other.automatic, 'not for someone the card does not list, in a channel of 61').to.have.length(0);
    const posted = other.page.locator('.posts .card', { hasText: 'INC-1 ·' }).first();
    // The page redraws a card whose message changed (its next poll), which closes Details again: open it on the card as drawn now.
    const refreshButton = posted.getByRole('button', { name: 'Refresh this card' });
    for (let tries = 0; tries < 5 && !(await refreshButton.isVisible()); tries++) {
      await posted.getByRole('button', { name: 'Details' }).click();
      await refreshButton.waitFor({ timeout: 1_000 }).catch(() => undefined);
    }
    expect(await posted.innerText(), 'the card as posted is right for them too').to.contain('Refresh this card');
    await other.page.screenshot({ path: `${ARTIFACTS}/large-channel-not-listed.png` });
  });
});
