import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { launchBrowser, openHostedTab } from '../helpers/browser.js';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { TENANT } from '../helpers/testApp.js';
import { movableClock } from '../helpers/clock.js';

const ARTIFACTS = 'test-artifacts/transcript';

/**
 * The bridge's transcript in the incident tab, in headless Chromium: the status line, what was
 * said with speaker and time, and the side-by-side view where choosing a timeline event brings
 * the transcript to that minute. Screenshots in test-artifacts/transcript/.
 */
describe('the bridge transcript in the tab (screenshots in test-artifacts/transcript/)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let room: IncidentRoom;

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    const clock = movableClock();
    room = await openIncidentRoom({}, 'Checkout API returns 500s --sev P1', { clock, timers: false });
    const { world, connector } = room.t.local;
    world.meetingEventRoute = { ...world.meetingEventRoute!, tenantId: TENANT };
    world.recordsDelayMs = 0;
    const incident = await room.incident();
    const meeting = world.meetings.get(incident.meeting!.id)!;
    for (const name of ['Megan Bowen', 'Lee Gu', 'Alex Wilber']) {
      const person = world.people.find((p) => p.name === name)!;
      await fetch(`${connector.url}/view/meetings/${encodeURIComponent(meeting.id)}?as=${encodeURIComponent(person.id)}`);
    }
    await room.t.app.actions.drain();
    await room.click('ack');
    // A call of some minutes: the transcript's lines spread over them.
    meeting.startedAt = new Date(Date.now() - 12 * 60_000).toISOString();
    await fetch(`${connector.url}/view/meetings/${encodeURIComponent(meeting.id)}/end`, { method: 'POST' });
    await room.t.app.actions.drain();
    clock.advanceMinutes(3);
    await room.t.app.jobs.runDue();
    await room.t.app.actions.drain();
  });
  after(async () => {
    await browser?.close();
    await room?.close();
  });

  it('shows the transcript beside the timeline; choosing an event scrolls the transcript to that minute; a search hit opens it at its moment', async () => {
    const incident = await room.incident();
    expect(incident.bridge?.records).to.equal('attached');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => {
      throw error;
    });
    const tab = await openHostedTab(page, room.t.app.url, `/tab/incidents/${incident.id}#transcript`);
    await tab.locator('[data-testid=transcript-line]').first().waitFor();
    expect(await tab.locator('[data-testid=transcript-status]').innerText()).to.match(/Transcript: attached \(6 lines, recording linked/);
    const lines = await tab.locator('[data-testid=transcript-line]').allInnerTexts();
    expect(lines).to.have.length(6);
    expect(lines[0]).to.contain('Megan Bowen').and.contain('error rate climbing');
    await tab.screenshot({ path: `${ARTIFACTS}/transcript.png`, fullPage: true });

    // The meeting's end is the last event; choosing it brings the transcript to its minute (the last lines).
    const ended = tab.locator('[data-testid=side-event]', { hasText: 'the bridge ended' });
    await ended.locator('button').click();
    await tab.locator('[data-testid=transcript-line].chosen').waitFor();
    expect(await tab.locator('[data-testid=side-event].chosen').innerText()).to.contain('the bridge ended');
    await tab.screenshot({ path: `${ARTIFACTS}/side-by-side.png`, fullPage: true });

    // The tab's one search box finds what was said; its hit opens the transcript at that moment.
    const box = tab.getByRole('searchbox', { name: 'Search this incident' });
    await box.fill('rolling back');
    await box.press('Enter');
    const hit = tab.locator('[data-testid=search-hits] li[data-source=transcript]');
    await hit.waitFor();
    expect(await hit.innerText()).to.contain('Rolling back the deploy now');
    await tab.screenshot({ path: `${ARTIFACTS}/search.png`, fullPage: true });
    await hit.getByRole('button', { name: 'Beside the transcript' }).click();
    await tab.locator('[data-testid=transcript-line].chosen', { hasText: 'Rolling back the deploy now' }).waitFor();
    await tab.screenshot({ path: `${ARTIFACTS}/search-moment.png`, fullPage: true });
    await page.close();
  });
});
