import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchBrowser, openHostedTab } from '../helpers/browser.js';
import { MEGAN, openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';

const SHOTS = 'test-artifacts/postmortem-review';

/** The tab's post-mortem after the incident is resolved: scheduling the review, then seeing when it is and moving it. */
describe('the post-mortem review from the tab (Chromium; screenshots in test-artifacts/postmortem-review/)', function () {
  this.timeout(90_000);
  let room: IncidentRoom;
  let browser: Browser;

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(SHOTS, { recursive: true });
    room = await openIncidentRoom();
    await room.click('ack');
    await room.click('takeRole', { role: 'commander' });
    await room.say('role sme', { mentions: [MEGAN] });
    await room.click('resolve');
  });
  after(async () => {
    await browser?.close();
    await room?.close();
  });

  it('schedules the review, then shows when it is with its Outlook link, and offers to move it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const tab = await openHostedTab(page, room.t.app.url, `/tab/incidents/${(await room.incident()).id}`);
    await tab.getByRole('tab', { name: 'Post-mortem' }).click();
    await tab.getByRole('button', { name: 'Schedule the review' }).click();
    await tab.getByRole('status').filter({ hasText: 'post-mortem review is set for' }).waitFor();
    // The next poll brings the review into the header's record: the button now moves it.
    await tab.getByRole('button', { name: 'Move the review' }).waitFor();
    const at = tab.getByTestId('pm-review-at');
    expect(await at.innerText()).to.match(/Review .+ in Outlook/);
    expect(await at.getByRole('link', { name: 'in Outlook' }).getAttribute('href')).to.equal((await room.incident()).review!.webLink);
    await tab.screenshot({ path: `${SHOTS}/1-review-scheduled.png` });
    await page.close();
  });
});
