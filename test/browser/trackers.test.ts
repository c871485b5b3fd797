import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openHostedTab } from '../helpers/browser.js';
import { openIncidentRoom, type IncidentRoom } from '../helpers/incidentRoom.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

const ARTIFACTS = 'test-artifacts/trackers';

/** The post-mortem tab shows where each action item is in GitHub, and which are not there yet (screenshot in test-artifacts/trackers/). */
describe('trackers in the post-mortem tab, in Chromium (screenshots in test-artifacts/trackers/)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let room: IncidentRoom;
  let page: Page | undefined;

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    room = await openIncidentRoom({ TRACKER: 'github' }, 'Checkout API returns 500s --sev P2', { timers: false });
  });
  after(async () => {
    await browser?.close();
    await room?.close();
  });

  it('links each filed item to its issue and marks the one GitHub has not taken yet', async () => {
    const incident = await room.incident();
    const api = tabApi(room.t.app.url, incident.id, signedInAs(room.t.app));
    const draft = (await api.get('/postmortem')).body.content;
    const item = (id: string, description: string) => ({ id, description, owner: 'Megan Bowen', due: '2026-12-15', kind: 'proper fix', link: '', done: false });
    await api.put('/postmortem', { baseVersion: 0, key: randomUUID(), content: { ...draft, actionItems: [item('canary', 'Add a canary stage to the payments deploy')] } });
    await room.t.app.actions.drain();
    await room.t.app.jobs.runDue();
    // GitHub goes down before the second item is filed.
    room.t.local.github!.faults.add({ method: 'POST', path: /\/issues$/, status: 503, times: 100 });
    const v1 = (await api.get('/postmortem')).body;
    await api.put('/postmortem', { baseVersion: v1.version, key: randomUUID(), content: { ...v1.content, actionItems: [...v1.content.actionItems, item('alert', 'Alert on checkout 5xx rate')] } });
    await room.t.app.actions.drain();
    await room.t.app.jobs.runDue();

    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => {
      throw error;
    });
    const tab = await openHostedTab(page, room.t.app.url, `/tab/incidents/${incident.id}#postmortem`);
    await tab.getByRole('heading', { name: 'Blameless post-mortem' }).waitFor();
    const filed = tab.getByRole('link', { name: 'GitHub #1' });
    await filed.waitFor();
    expect(await filed.getAttribute('href')).to.equal('https://github.com/contoso/incident-actions/issues/1');
    const pending = tab.locator('.tracker-place.warning');
    await pending.waitFor();
    expect(await pending.textContent()).to.contain('Not yet in GitHub').and.contain('HTTP 503');
    await pending.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}/action-items-in-github.png` });
  });
});
