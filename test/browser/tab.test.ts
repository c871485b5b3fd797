import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { DEFAULT_SOP } from '../../models/incident/checklist.js';
import { launchBrowser, openHostedTab, type HostedTab } from '../helpers/browser.js';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

const ARTIFACTS = 'test-artifacts/tab';
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';

/**
 * The incident tab in headless Chromium against the real server (local mode), opened as a person
 * opens it: hosted by the sandbox as Teams hosts it, signed in as Alex. What a responder sees and
 * does. Screenshots of each view in test-artifacts/tab/.
 */
describe('incident tab in Chromium (screenshots in test-artifacts/tab/)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let room: IncidentRoom;
  let tabPath: string;
  const pages: Page[] = [];

  /** The tab in its host; `suffix` is `?theme=…` (the host's theme) and/or a `#view`. */
  const open = async (suffix = '', viewport = { width: 1280, height: 900 }): Promise<HostedTab> => {
    const page = await browser.newPage({ viewport });
    page.on('pageerror', (error) => {
      throw error;
    });
    pages.push(page);
    const theme = /theme=(\w+)/.exec(suffix)?.[1] as 'dark' | 'contrast' | undefined;
    const tab = await openHostedTab(page, room.t.app.url, `${tabPath}${suffix.replace(/\?theme=\w+/, '')}`, { theme });
    await tab.locator('h1', { hasText: 'INC-1' }).waitFor();
    return tab;
  };
  const shot = (page: Page | HostedTab, name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    room = await openIncidentRoom();
    const incident = await room.incident();
    tabPath = `/tab/incidents/${incident.id}`;
    await room.click('ack');
    await room.click('takeRole', { role: 'commander' });
    const api = tabApi(room.t.app.url, incident.id, signedInAs(room.t.app));
    await api.note('Error rate at 12% on checkout; rolled back deploy 4711');
    await api.note(XSS);
    await room.t.app.actions.drain();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') for (const [n, page] of pages.entries()) await shot(page, `failed-${n}-${this.currentTest.title.slice(0, 30).replace(/\W+/g, '-')}`).catch(() => undefined);
  });
  after(async () => {
    await browser?.close();
    await room?.close();
  });

  it('opens with the first rows already there, from one sign-in token the host fetched for every call, and goes back to the story after a filter', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    pages.push(page);
    const asked: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path === '/sandbox/api/sso-token' || path.startsWith('/tab/api/')) asked.push(path.startsWith('/tab/api/') ? 'api' : 'token');
    });
    // The rows come with the page's first render, with the overview: the heading and the rows appear together.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (!document.querySelector('h1')) return;
        (window as unknown as { rowsWithHeading: number }).rowsWithHeading = document.querySelectorAll('[data-testid=timeline] li').length;
        observer.disconnect();
      }).observe(document, { childList: true, subtree: true });
    });
    const tab = await openHostedTab(page, room.t.app.url, tabPath);
    await tab.locator('h1', { hasText: 'INC-1' }).waitFor();
    const rows = tab.getByTestId('timeline').locator('li');
    const shown = await rows.count();
    expect(await tab.evaluate(() => (window as unknown as { rowsWithHeading: number }).rowsWithHeading)).to.equal(shown).and.above(0);
    expect(await tab.getByTestId('timeline-count').innerText()).to.equal(`Showing ${shown} of ${shown} events`);
    expect(asked.filter((a) => a === 'token'), 'one token request, asked before the tab needed it').to.have.length(1);
    expect(asked.filter((a) => a === 'api').length).to.be.at.least(2);
    await tab.getByTestId('kind-filter').selectOption('all');
    await tab.getByTestId('timeline').locator('li[data-kind="channel_created"]').waitFor();
    await tab.getByTestId('kind-filter').selectOption('story');
    await tab.waitForFunction(() => document.querySelectorAll('[data-testid=timeline] li[data-kind="channel_created"]').length === 0);
    expect(await rows.count()).to.equal(shown);
  });

  it('shows the incident and its timeline, filters by kind, and never runs user text as HTML', async () => {
    const page = await open();
    expect(await page.getByTestId('identity').innerText()).to.equal('Signed in as Alex Wilber');
    expect(await page.getByTestId('status').textContent()).to.equal('triage');
    const rows = page.getByTestId('timeline').locator('li');
    await rows.first().waitFor();
    const story = await rows.allInnerTexts();
    expect(story.join('\n')).to.contain('acknowledged').and.contain('rolled back deploy 4711');
    // Provisioning steps are left out of "the story" but there under "Every event".
    expect(await page.getByTestId('timeline').locator('li[data-kind="channel_created"]').count()).to.equal(0);
    await page.getByTestId('kind-filter').selectOption('all');
    await page.getByTestId('timeline').locator('li[data-kind="channel_created"]').waitFor();
    await shot(page, '1-timeline');

    await page.getByTestId('kind-filter').selectOption('note');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=timeline] li')].every((li) => li.getAttribute('data-kind') === 'note'));
    expect(await rows.count()).to.equal(2);
    expect(await rows.allInnerTexts()).to.satisfy((texts: string[]) => texts.some((t) => t.includes('<img src=x')));
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).to.equal(undefined);
    expect(await page.locator('[data-testid=timeline] img, [data-testid=timeline] script').count()).to.equal(0);
    await shot(page, '2-timeline-notes-only');
  });

  it('adds a note that appears on the timeline', async () => {
    const page = await open();
    await page.getByLabel('Add a note to the timeline').fill('Database failover finished at 03:12');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByTestId('timeline').locator('li', { hasText: 'Database failover finished at 03:12' }).waitFor();
    expect(await page.getByLabel('Add a note to the timeline').inputValue()).to.equal('');
    await shot(page, '3-note-added');
  });

  it('shows changes made elsewhere while the tab is open (live)', async () => {
    const page = await open();
    await room.click('status', { statusTo: 'identified' });
    await page.getByTestId('status').filter({ hasText: 'identified' }).waitFor();
    await page.getByTestId('timeline').locator('li[data-kind="status_changed"]').waitFor();
  });

  it('ticks a checklist item that stays ticked after a reload', async () => {
    const page = await open('#checklist');
    const total = DEFAULT_SOP.P2.length;
    // Some items tick themselves from what the record proves (a first update, say): count from there.
    const auto = Object.values((await room.incident()).checklist ?? {}).filter(Boolean).length;
    await page.getByRole('heading', { name: `P2 checklist · ${auto} of ${total} done` }).waitFor();
    const box = page.getByRole('checkbox', { name: /Write the incident statement/ });
    await box.click(); // the box follows the server's answer, not the click alone
    await page.getByRole('heading', { name: `P2 checklist · ${auto + 1} of ${total} done` }).waitFor();
    expect(await page.getByRole('checkbox', { name: /Write the incident statement/ }).locator('xpath=ancestor::*[contains(@class,"check")][1]').innerText()).to.contain('Alex Wilber');
    await shot(page, '4-checklist');

    await page.reload();
    await page.getByRole('heading', { name: `P2 checklist · ${auto + 1} of ${total} done` }).waitFor();
    expect(await page.getByRole('checkbox', { name: /Write the incident statement/ }).isChecked()).to.equal(true);
    expect(await page.getByRole('tab', { name: /Checklist/ }).innerText()).to.contain(`${auto + 1}/${total}`);
  });

  it('pre-fills the post-mortem, saves it, and detects a second editor’s conflicting save', async () => {
    const first = await open('#postmortem');
    await first.getByTestId('pm-state').filter({ hasText: 'pre-filled' }).waitFor();
    expect(await first.locator('textarea[name=description]').inputValue()).to.contain('Checkout API returns 500s');
    expect(await first.locator('textarea[name=timeline]').inputValue()).to.contain('acknowledged');
    await first.locator('textarea[name=impact]').fill('12% of checkouts failed for 40 minutes');
    await first.getByRole('button', { name: 'Add a contributing cause' }).click();
    await first.getByLabel('Cause 1', { exact: true }).fill('The connection pool was sized for last year’s peak');
    await first.getByRole('button', { name: 'Add an action item' }).click();
    await first.getByLabel('Action 1').fill('Alert on pool saturation');
    // A name from outside the incidents team is kept, and the form says it gets no reminders; one picked from the team does.
    await first.getByLabel('Owner').fill('Pat from the vendor');
    await first.getByText('Not in the team: no reminders.').waitFor();
    expect(await first.locator('datalist#team-people option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value))).to.include('Megan Bowen');
    await first.getByLabel('Owner').fill('Megan Bowen');
    await first.getByText('Gets reminders in Teams.').waitFor();
    await first.getByRole('button', { name: 'Save version 1' }).click();
    await first.getByTestId('pm-state').filter({ hasText: 'Version 1, saved by Alex Wilber' }).waitFor();
    await shot(first, '5-postmortem-saved');

    // A second editor opens version 1; the first saves version 2; the second's save must not win silently.
    const second = await open('#postmortem');
    await second.getByTestId('pm-state').filter({ hasText: 'Version 1' }).waitFor();
    await first.locator('textarea[name=wentWell]').fill('Rollback took 4 minutes');
    await first.getByRole('button', { name: 'Save version 2' }).click();
    await first.getByTestId('pm-state').filter({ hasText: 'Version 2' }).waitFor();

    await second.locator('textarea[name=wentBadly]').fill('The alert fired 20 minutes late');
    await second.getByRole('button', { name: 'Save version 2' }).click();
    await second.getByTestId('pm-conflict').waitFor();
    expect(await second.getByTestId('pm-conflict').innerText()).to.contain('saved version 2');
    // They changed only "What went well", I only "What went badly": nothing to choose, both are kept.
    expect(await second.getByTestId('pm-merge-summary').innerText()).to.contain('Taken from their version (only they changed it): What went well').and.contain('Yours kept (only you changed it): What went badly');
    expect(await second.locator('textarea[name=wentBadly]').inputValue()).to.equal('The alert fired 20 minutes late');
    await shot(second, '6-postmortem-conflict');

    await second.getByRole('button', { name: 'Save the merge as version 3' }).click();
    await second.getByTestId('pm-state').filter({ hasText: 'Version 3' }).waitFor();
    await second.reload();
    await second.getByTestId('pm-state').filter({ hasText: 'Version 3' }).waitFor();
    expect(await second.locator('textarea[name=wentBadly]').inputValue()).to.equal('The alert fired 20 minutes late');
    expect(await second.locator('textarea[name=wentWell]').inputValue()).to.equal('Rollback took 4 minutes');

    // Every version is kept: version 1 can be copied back and saved on top as version 4.
    await second.getByText('Saved versions (3)').click();
    await second.getByTestId('pm-versions').getByText('Version 1 ·').waitFor();
    await second.getByRole('button', { name: 'Copy version 1 into the form' }).click();
    await second.getByText('Version 1 copied into the form; save to make it version 4.').waitFor();
    expect(await second.locator('textarea[name=wentBadly]').inputValue()).to.equal('');
    await shot(second, '6b-postmortem-versions');
    await second.getByRole('button', { name: 'Save version 4' }).click();
    await second.getByTestId('pm-state').filter({ hasText: 'Version 4' }).waitFor();
    expect(await second.locator('textarea[name=impact]').inputValue()).to.equal('12% of checkouts failed for 40 minutes');
  });

  it('follows the theme (dark, high contrast) and works by keyboard', async () => {
    const dark = await open('?theme=dark');
    expect(await dark.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.to.equal('rgb(250, 250, 250)');
    await shot(dark, '7-dark');
    const contrast = await open('?theme=contrast#checklist');
    expect(await contrast.evaluate(() => getComputedStyle(document.body).backgroundColor)).to.equal('rgb(0, 0, 0)');
    await shot(contrast, '8-high-contrast');

    const page = await open();
    await page.getByRole('tab', { name: 'Timeline' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('heading', { name: /checklist/ }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.match(/^Checklist/);
    await page.keyboard.press('ArrowRight');
    await page.getByRole('heading', { name: 'Blameless post-mortem' }).waitFor();
  });

  it('fits a narrow side panel', async () => {
    const page = await open('', { width: 360, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).to.be.at.most(0);
    await shot(page, '9-narrow');
  });
});
