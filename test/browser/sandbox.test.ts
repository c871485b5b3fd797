import { expect } from 'chai';
import { LEE } from '../helpers/incidentRoom.js';
import { sandboxSession } from '../helpers/sandbox.js';
import { LOCAL } from '../../local/defaults.js';

const ARTIFACTS = 'test-artifacts/sandbox';

/**
 * A whole incident run through the sandbox page only: the test types and clicks like a person;
 * everything it checks is what the page shows. Screenshots of each step in test-artifacts/sandbox/.
 */
describe('local sandbox in Chromium (screenshots in test-artifacts/sandbox/)', function () {
  this.timeout(120_000);
  const s = sandboxSession({ artifacts: ARTIFACTS });
  const nav = (name: string) => s.page.locator('nav button', { hasText: name });
  const incidentCard = () => s.page.locator('.posts .card', { hasText: 'INC-1 ·' }).first();
  const type = async (text: string) => {
    await s.page.locator('#message').fill(text);
    await s.page.locator('#message').press('Enter');
  };

  it('says it is a local simulation and shows the incidents team', async () => {
    expect(await s.page.locator('.banner').innerText()).to.match(/Local simulation of Microsoft Teams/);
    await nav('# General').waitFor();
    await nav('# production-issues').waitFor();
    await nav('incident-room').waitFor();
    expect(await s.page.locator('#as option').allInnerTexts()).to.include.members(['Alex Wilber', 'Megan Bowen']);
  });

  it('declares an incident from General; the new channel appears with its card', async () => {
    await s.page.locator('#as').selectOption({ label: 'Alex Wilber' });
    await nav('# General').click();
    await type('declare Checkout API returns 500s --sev P1');
    await s.page.locator('.posts .msg', { hasText: 'declare Checkout API returns 500s' }).waitFor();
    await s.page.locator('.posts .msg.reply', { hasText: 'incident-room' }).first().waitFor();
    await nav('inc-1-checkout-api-returns-500s').waitFor();
    await s.shot('1-declared-in-general');
    await nav('inc-1-checkout-api-returns-500s').click();
    await incidentCard().waitFor();
    await s.page.locator('.card', { hasText: 'Join the bridge' }).first().waitFor();
    await s.shot('2-incident-channel');
  });

  it('acknowledges from the card: the card refreshes in place', async () => {
    await incidentCard().getByRole('button', { name: 'Acknowledge' }).click();
    // Acknowledged: the button goes, and Details shows when.
    await incidentCard().getByRole('button', { name: 'Acknowledge' }).waitFor({ state: 'detached' });
    await incidentCard().getByRole('button', { name: 'Details' }).click();
    expect(await incidentCard().innerText()).to.match(/Acknowledged\s+\S/).and.not.match(/Acknowledged\s+not yet/);
    await s.shot('3-acknowledged');
  });

  it('assigns the commander with an @mention picked from the completion list', async () => {
    await s.page.locator('#message').fill('role commander @Meg');
    await s.page.locator('#suggestions li', { hasText: 'Megan Bowen' }).waitFor();
    await s.shot('4-mention-completion');
    await s.page.locator('#message').press('Enter'); // picks the highlighted person
    expect(await s.page.locator('#message').inputValue()).to.equal('role commander @Megan Bowen ');
    await s.page.locator('#message').press('Enter'); // sends
    await s.page.waitForFunction(() => /Commander\s*Megan Bowen/.test((document.querySelector('.posts .card') as HTMLElement | null)?.innerText ?? ''));
    await s.shot('5-commander-assigned');
  });

  it('posts an update, which shows threaded under the incident in the broadcast channel', async () => {
    await type('update Rolled back deploy 2026.11.23-2; error rate falling');
    await s.page.locator('.posts .card', { hasText: 'Rolled back deploy 2026.11.23-2' }).first().waitFor();
    await nav('# production-issues').click();
    const thread = s.page.locator('.thread', { hasText: 'INC-1' });
    await thread.locator('.msg.reply', { hasText: 'Rolled back deploy 2026.11.23-2' }).waitFor();
    expect(await thread.count()).to.equal(1);
    await s.page.waitForFunction(() => /Commander\s*Megan Bowen/.test((document.querySelector('.posts .thread .msg .card') as HTMLElement | null)?.innerText ?? ''));
    await s.shot('6-broadcast-thread');
  });

  it('opens the incident tab beside the channel', async () => {
    await nav('inc-1-checkout-api-returns-500s').click();
    await s.page.getByRole('tab', { name: 'INC-1 tab' }).click();
    const tab = s.page.frameLocator('#tab');
    await tab.locator('h1', { hasText: 'INC-1' }).waitFor();
    // The sandbox hosts the tab as Teams does: signed in as the person acted as.
    expect(await tab.getByTestId('identity').innerText()).to.equal('Signed in as Alex Wilber');
    expect(await tab.locator('body').innerText()).to.contain('acknowledged');
    await s.shot('7-tab');
  });

  it('joins the meeting from the channel header, and the channel shows who is on the bridge', async () => {
    await s.page.getByRole('tab', { name: 'Posts' }).click();
    const [meeting] = await Promise.all([s.page.waitForEvent('popup'), s.page.getByRole('link', { name: 'Join the meeting' }).click()]);
    await meeting.locator('#joined', { hasText: 'Megan Bowen' }).or(meeting.locator('#joined', { hasText: 'Alex Wilber' })).waitFor();
    await meeting.close();
    await s.page.locator('.bridge', { hasText: 'On the bridge: Alex Wilber' }).waitFor();
  });

  it('fills the status summary in a dialog without losing typed values to live updates', async () => {
    await type('summary');
    await s.page.locator('.posts .card').getByRole('button', { name: 'Edit the status summary' }).last().click();
    const dialog = s.page.getByRole('dialog');
    const component = dialog.getByLabel('Component responsible');
    await component.fill('payments-api');
    // Lee, in another browser, posts an update meanwhile; this page redraws the channel behind the dialog.
    const lee = await s.browser.newPage();
    await lee.goto(`${s.t.app.url}/`);
    await lee.locator('#as').selectOption({ label: LEE.name });
    await lee.locator('nav button', { hasText: 'inc-1-checkout-api-returns-500s' }).click();
    await lee.locator('#message').fill('update Still watching');
    await lee.locator('#message').press('Enter');
    await s.page.locator('.posts .card', { hasText: 'Still watching' }).first().waitFor();
    await lee.close();
    expect(await component.inputValue()).to.equal('payments-api');
    await dialog.getByRole('button', { name: 'Save summary' }).click();
    await dialog.getByText(/updated the status summary/).waitFor();
    await s.shot('8-summary-saved');
    await dialog.locator('button.primary', { hasText: 'Close' }).click();
    expect((await s.t.incidents())[0]!.summary?.component).to.equal('payments-api');
  });

  it('works in the dark theme and from the keyboard', async () => {
    await s.page.locator('#theme').click();
    expect(await s.page.evaluate(() => document.body.classList.contains('dark'))).to.equal(true);
    await s.page.locator('#message').focus();
    await s.page.keyboard.type('help');
    await s.page.keyboard.press('Enter');
    await s.page.locator('.posts .card', { hasText: 'incident-room commands' }).or(s.page.locator('.posts .card', { hasText: 'You are in INC-1' })).first().waitFor();
    await s.shot('9-dark-help');
  });

  it('chats with the bot in personal chat', async () => {
    await nav('incident-room').click();
    await type('list all');
    await s.page.locator('.posts .card', { hasText: 'INC-1' }).first().waitFor();
    await s.shot('10-personal-list');
  });

  it('shows a monitor-declared incident with the on-call person paged by an @mention', async () => {
    const answer = await fetch(`${s.t.app.url}/api/alerts/generic`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${LOCAL.alertSecret}` },
      body: JSON.stringify({ title: 'Search p99 above 2 s', severity: 'critical', component: 'search' }),
    });
    expect(answer.status).to.equal(202);
    await nav('inc-2-search-p99-above-2-s').waitFor({ timeout: 20_000 });
    await nav('inc-2-search-p99-above-2-s').click();
    // The timers poll every few seconds: the page arrives shortly after the channel.
    const paged = s.page.locator('.posts .msg', { hasText: 'You are paged' });
    await paged.first().waitFor({ timeout: 20_000 });
    expect(await paged.first().innerText()).to.match(/@\w+ [\w ]+/).and.contain('INC-2').and.contain('Acknowledge');
    await s.shot('11-monitor-declared-and-paged');
  });
});
