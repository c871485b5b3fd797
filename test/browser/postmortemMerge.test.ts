import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Frame, FrameLocator, Page } from 'playwright-core';
import { launchBrowser, openHostedTab } from '../helpers/browser.js';
import { cardText, LEE, MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';

const ARTIFACTS = 'test-artifacts/postmortem';

/**
 * The post-mortem with two editors, and publishing flagged wording, in headless Chromium: the
 * tab hosted by the sandbox as Teams hosts it, each editor signed in as themselves. Screenshots
 * in test-artifacts/postmortem/ (the viewport ones show what the person sees where they are).
 */
describe('post-mortem merge and publish in Chromium (screenshots in test-artifacts/postmortem/)', function () {
  this.timeout(180_000);
  let browser: Browser;
  let room: IncidentRoom;
  let incidentId: string;
  const pages: Page[] = [];

  /** The incident tab in the sandbox's tab host, signed in as `person`, on the post-mortem. */
  const open = async (person: { id: string }) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('pageerror', (error) => {
      throw error;
    });
    pages.push(page);
    const tab = await openHostedTab(page, room.t.app.url, `/tab/incidents/${incidentId}#postmortem`, { as: person });
    await tab.getByRole('heading', { name: 'Blameless post-mortem' }).waitFor();
    return { page, tab };
  };
  const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage });
  const state = (tab: Frame | FrameLocator, text: string) => tab.getByTestId('pm-state').filter({ hasText: text }).waitFor();

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    room = await openIncidentRoom();
    incidentId = (await room.incident()).id;
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') for (const [n, page] of pages.entries()) await shot(page, `failed-${n}`, true).catch(() => undefined);
  });
  after(async () => {
    await browser?.close();
    await room?.close();
  });

  it('shows the second editor both texts per section next to the Save bar, keeps both, and saves version 3 with everything', async () => {
    const megan = await open(MEGAN);
    await state(megan.tab, 'pre-filled');
    await megan.tab.getByRole('button', { name: 'Add a contributing cause' }).click();
    await megan.tab.getByLabel('Cause 1', { exact: true }).fill('The connection pool was sized for last year’s peak');
    await megan.tab.getByRole('button', { name: 'Add an action item' }).click();
    await megan.tab.getByLabel('Action 1').fill('Alert on pool saturation');
    await megan.tab.getByRole('button', { name: 'Save version 1' }).click();
    await state(megan.tab, `Version 1, saved by ${MEGAN.name}`);

    // Lee opens version 1; Megan saves version 2 meanwhile.
    const lee = await open(LEE);
    await state(lee.tab, 'Version 1');
    await megan.tab.getByLabel('Cause 1', { exact: true }).fill('The connection pool was sized for the 2025 peak, not today’s');
    await megan.tab.getByRole('button', { name: 'Add a contributing cause' }).click();
    await megan.tab.getByLabel('Cause 2', { exact: true }).fill('Mobile clients retried without backoff');
    await megan.tab.getByRole('button', { name: 'Add an action item' }).click();
    await megan.tab.getByLabel('Action 2').fill('Jittered backoff in the mobile client');
    await megan.tab.locator('textarea[name=wentWell]').fill('Rollback took 4 minutes');
    await megan.tab.getByRole('button', { name: 'Save version 2' }).click();
    await state(megan.tab, 'Version 2');

    // Lee changes causes and action items too, then saves from the Save bar at the bottom.
    await lee.tab.getByRole('button', { name: 'Add a contributing cause' }).click();
    await lee.tab.getByLabel('Cause 2', { exact: true }).fill('A deploy doubled the queries per checkout');
    await lee.tab.getByLabel('Owner').first().fill(LEE.name);
    await lee.tab.locator('textarea[name=wentBadly]').fill('The alert fired 20 minutes late');
    const save = lee.tab.getByRole('button', { name: 'Save version 2' });
    await save.scrollIntoViewIfNeeded();
    await save.click();

    const panel = lee.tab.getByTestId('pm-conflict');
    await panel.waitFor();
    // Where the person is: right above the Save bar, in view, with the focus on it.
    const bar = await lee.tab.locator('.actions').boundingBox();
    const box = await panel.boundingBox();
    expect(box!.y + box!.height).to.be.closeTo(bar!.y, 40, 'the panel ends at the Save bar');
    expect(box!.y).to.be.within(0, 860);
    expect(await lee.tab.locator(':focus').getAttribute('id')).to.equal('pm-conflict-heading');
    expect(await lee.tab.getByRole('alert').first().innerText()).to.contain(`${MEGAN.name} saved version 2`);
    expect(await lee.tab.getByTestId('pm-merge-summary').innerText()).to.contain('Taken from their version (only they changed it): What went well').and.contain('Yours kept (only you changed it): What went badly');

    // Both texts, per section.
    const causes = lee.tab.getByTestId('pm-merge-rootCauses');
    expect(await causes.getByTestId('theirs').innerText()).to.contain('sized for the 2025 peak').and.contain('retried without backoff');
    expect(await causes.getByTestId('mine').innerText()).to.contain('sized for last year’s peak').and.contain('doubled the queries');
    const actions = lee.tab.getByTestId('pm-merge-actionItems');
    expect(await actions.getByTestId('theirs').innerText()).to.contain('Jittered backoff');
    expect(await actions.getByTestId('mine').innerText()).to.contain(LEE.name);
    expect(await lee.tab.getByTestId('pm-save-merge').isDisabled()).to.equal(true, 'nothing chosen yet');
    await shot(lee.page, '1-conflict-where-the-person-is');
    await lee.tab.screenshot({ path: `${ARTIFACTS}/1b-conflict-whole-tab.png`, fullPage: true });

    await causes.getByLabel('Keep both').check();
    await actions.getByLabel('Keep both').check();
    expect(await causes.getByTestId('both').innerText()).to.contain('2025 peak').and.contain('retried without backoff').and.contain('doubled the queries');
    await shot(lee.page, '2-kept-both');
    await lee.tab.getByTestId('pm-save-merge').click();
    await state(lee.tab, `Version 3, saved by ${LEE.name}`);
    expect(await lee.tab.getByTestId('pm-conflict').count()).to.equal(0);

    // Version 3 holds everything: both editors' causes and actions, her "went well", his "went badly".
    await lee.tab.reload();
    const after = lee.tab;
    await state(after, 'Version 3');
    const causeTexts = await after.locator('fieldset', { hasText: 'Contributing causes' }).locator('textarea').evaluateAll((areas) => areas.map((a) => (a as HTMLTextAreaElement).value));
    expect(causeTexts).to.deep.equal(['The connection pool was sized for the 2025 peak, not today’s', 'Mobile clients retried without backoff', 'A deploy doubled the queries per checkout']);
    expect(await after.getByLabel('Action 1').inputValue()).to.equal('Alert on pool saturation');
    expect(await after.getByLabel('Owner').first().inputValue()).to.equal(LEE.name);
    expect(await after.getByLabel('Action 2').inputValue()).to.equal('Jittered backoff in the mobile client');
    expect(await after.locator('textarea[name=wentWell]').inputValue()).to.equal('Rollback took 4 minutes');
    expect(await after.locator('textarea[name=wentBadly]').inputValue()).to.equal('The alert fired 20 minutes late');
    await after.screenshot({ path: `${ARTIFACTS}/3-version-3.png`, fullPage: true });
  });

  it('asks before publishing flagged wording, and the card’s link opens the post-mortem view', async () => {
    await room.click('ack');
    await room.click('takeRole', { role: 'commander' }, { from: MEGAN }); // the commander publishes
    await room.click('status', { statusTo: 'identified' });
    await room.click('resolve');
    const megan = await open(MEGAN);
    await state(megan.tab, 'Version 3');
    await megan.tab.locator('textarea[name=wentBadly]').fill('It was human error: the deploy should have been checked.');
    await megan.tab.getByRole('button', { name: 'Save version 4' }).click();
    await state(megan.tab, 'Version 4');
    await megan.tab.getByRole('button', { name: 'Publish version 4' }).click();

    const check = megan.tab.getByTestId('pm-publish-check');
    await check.waitFor();
    expect(await check.innerText()).to.contain('“human error” in What went badly').and.contain('“should have” in What went badly');
    expect(await megan.tab.locator(':focus').getAttribute('id')).to.equal('pm-publish-heading');
    const bar = await megan.tab.locator('.actions').boundingBox();
    const box = await check.boundingBox();
    expect(box!.y + box!.height).to.be.closeTo(bar!.y, 40, 'the question is next to the Publish button');
    expect((await room.incident()).postmortem?.publishedVersion).to.equal(undefined, 'nothing published before the answer');
    await shot(megan.page, '4-publish-check');

    await megan.tab.getByRole('button', { name: 'Publish version 4 as it is' }).click();
    await megan.tab.getByRole('status').filter({ hasText: /published/i }).waitFor();
    await room.t.app.actions.drain();
    const incident = await room.incident();
    expect(incident.postmortem?.publishedVersion).to.equal(4);
    const summary = room.t.local.world.activities.find((a) => a.conversationId.startsWith(incident.channel!.id) && cardText(a.attachments).includes('post-mortem published'));
    const card = summary!.attachments![0]!.content as { actions: { title: string; url: string }[] };
    expect(cardText(card)).not.to.contain('Blameless by design');
    expect(cardText(card)).to.contain('Published with wording the blameless check flagged');

    // The card's link: local Teams opens the channel tab on the post-mortem, not the timeline.
    const reader = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    pages.push(reader);
    await reader.goto(card.actions.find((a) => a.title === 'Read the whole post-mortem')!.url);
    const tab = reader.frameLocator('#tab');
    await tab.getByRole('heading', { name: 'Blameless post-mortem' }).waitFor();
    expect(await tab.getByRole('tab', { name: 'Post-mortem' }).getAttribute('aria-selected')).to.equal('true');
    await state(tab, 'version 4 published');
    await shot(reader, '5-card-link-opens-post-mortem');
  });
});
