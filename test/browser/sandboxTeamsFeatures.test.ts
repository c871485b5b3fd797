import { expect } from 'chai';
import type { Locator } from 'playwright-core';
import { sandboxSession } from '../helpers/sandbox.js';
import { eventually } from '../helpers/testApp.js';
import { TeamsWorld } from '../../local/world/teamsWorld.js';

const ARTIFACTS = 'test-artifacts/sandbox-teams';

/**
 * What Teams does around the bot's cards, in the sandbox page: the people picker searches the
 * whole team as you type and submits the Entra id; a follower's news lands in their one chat with
 * the bot; a message's "…" menu runs the app's message action in a dialog. The test types and
 * clicks like a person. Screenshots in test-artifacts/sandbox-teams/.
 */
describe('sandbox: people picker, personal chat and message action dialog in Chromium (screenshots in test-artifacts/sandbox-teams/)', function () {
  this.timeout(120_000);
  const s = sandboxSession({ artifacts: ARTIFACTS });
  const nav = (name: string) => s.page.locator('nav button', { hasText: name });
  const incidentCard = () => s.page.locator('.posts .card', { hasText: 'INC-1' }).first();
  const actAs = (name: string) => s.page.locator('#as').selectOption({ label: name });
  const type = async (text: string) => {
    await s.page.locator('#message').fill(text);
    await s.page.locator('#message').press('Enter');
  };
  /**
   * Opens the card's show card that holds this control (the card keeps rarer actions a tap away),
   * again if the card is redrawn meanwhile (the bot refreshes it after each change).
   */
  const reveal = async (card: Locator, target: Locator, showCard = 'More') => {
    for (let attempt = 0; attempt < 40 && !(await target.isVisible()); attempt++) {
      const button = card.getByRole('button', { name: showCard, exact: true });
      if ((await button.isVisible()) && (await button.getAttribute('aria-expanded')) !== 'true') await button.click();
      await s.page.waitForTimeout(250);
    }
    await target.waitFor();
  };

  before(async () => {
    await actAs('Alex Wilber');
    await nav('# General').click();
    await type('declare Checkout API returns 500s --sev P1');
    await nav('inc-1-checkout-api-returns-500s').click();
    await incidentCard().waitFor();
  });

  it('assigns a role to someone not yet involved by typing part of their name; the card names them', async () => {
    const picker = incidentCard().getByRole('combobox', { name: 'Person' });
    await reveal(incidentCard(), picker);
    await incidentCard().locator('select').filter({ has: s.page.locator('option', { hasText: 'Communications lead' }) }).selectOption({ label: 'Communications lead' });
    await picker.click();
    await picker.pressSequentially('wil');
    const options = s.page.getByRole('listbox', { name: 'People' }).getByRole('option');
    // Word starts match: both Wilbers and Wilkes of the team, not only the people on the incident.
    await options.filter({ hasText: 'Nestor Wilke' }).waitFor();
    expect(await options.allInnerTexts()).to.have.length(2);
    await picker.pressSequentially('k');
    await s.page.waitForFunction(() => document.querySelectorAll('[role="listbox"] [role="option"]').length === 1);
    expect(await picker.getAttribute('aria-expanded')).to.equal('true');
    await s.shot('1-people-picker-search');
    await picker.press('Enter');
    expect(await picker.inputValue()).to.equal('Nestor Wilke');
    expect(await picker.getAttribute('aria-expanded')).to.equal('false');
    await incidentCard().getByRole('button', { name: 'Assign', exact: true }).click();
    // What Teams submits for a picked person: their Entra object id, which the bot resolves in the team.
    const nestor = s.t.local.world.people.find((p) => p.name === 'Nestor Wilke')!;
    const incident = await eventually(async () => (await s.t.incidents()).find((i) => i.roles.communications), 10_000, 'the communications lead');
    expect(incident.roles.communications).to.deep.include({ name: 'Nestor Wilke', aadObjectId: nestor.aadObjectId });
    const named = incidentCard().getByText('Nestor Wilke');
    await reveal(incidentCard(), named, 'Details');
    await s.shot('2-role-assigned');
  });

  it('says so when nobody in the directory matches', async () => {
    const picker = incidentCard().getByRole('combobox', { name: 'Person' });
    await reveal(incidentCard(), picker);
    await picker.fill('');
    await picker.pressSequentially('zzq');
    await incidentCard().getByRole('status').filter({ hasText: 'No one in the directory matches "zzq".' }).waitFor();
    await picker.press('Escape');
    await picker.fill('');
  });

  it("a follower's news appears in their one chat with the bot, the conversation the bot created", async () => {
    await actAs('Megan Bowen');
    const follow = incidentCard().getByRole('button', { name: 'Follow in my chat' });
    await reveal(incidentCard(), follow);
    await follow.click();
    await s.page.locator('.toast', { hasText: /follow/i }).first().waitFor();
    await actAs('Alex Wilber');
    await type('update Rolled back deploy 2026.11.23-2; error rate falling');
    await s.page.locator('.posts .card', { hasText: 'Rolled back deploy 2026.11.23-2' }).first().waitFor();
    await actAs('Megan Bowen');
    await nav('incident-room').click();
    await s.page.locator('.posts .msg', { hasText: 'update from Alex Wilber' }).waitFor();
    // Megan writes in the same conversation the bot wrote to: one chat, whoever spoke first.
    await type('list');
    await s.page.locator('.posts .msg', { hasText: 'list' }).first().waitFor();
    const megan = s.t.local.world.people.find((p) => p.name === 'Megan Bowen')!;
    const chat = TeamsWorld.personalChatOf(megan.aadObjectId);
    const inChat = s.t.local.world.activities.filter((a) => a.conversationId === chat);
    expect(inChat.some((a) => a.byBot && /update from Alex Wilber/.test(a.text ?? ''))).to.equal(true);
    expect(inChat.some((a) => !a.byBot && a.text === 'list')).to.equal(true);
    await s.shot('3-follower-chat');
  });

  it('"Declare incident" from a message\'s … menu opens the dialog, declares, and closes from the keyboard', async () => {
    await actAs('Lee Gu');
    await nav('# General').click();
    await type('Search is timing out for EU users since 09:50');
    const message = s.page.locator('.posts .msg', { hasText: 'Search is timing out for EU users' }).first();
    await message.waitFor();
    const more = message.getByRole('button', { name: 'More options' });
    await more.click();
    await s.page.getByRole('menu').getByRole('menuitem', { name: /Declare incident/ }).waitFor();
    await s.shot('4-message-menu');
    await s.page.keyboard.press('Enter');
    const dialog = s.page.getByRole('dialog');
    await s.page.getByRole('dialog', { name: 'Declare an incident' }).waitFor();
    const title = dialog.getByRole('textbox').first();
    expect(await title.inputValue()).to.contain('Search is timing out for EU users');
    // The page behind is out of reach while the dialog is open.
    expect(await s.page.locator('main').evaluate((m) => (m as HTMLElement).inert)).to.equal(true);
    await s.shot('5-declare-dialog');
    await title.fill('EU search timeouts');
    await dialog.getByRole('button', { name: /Declare/ }).click();
    await dialog.getByText(/INC-2 \(P\d[^)]*\) declared: EU search timeouts/).waitFor();
    await s.shot('6-declared-in-dialog');
    await s.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await s.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).to.equal('More options');
    await nav('inc-2-eu-search-timeouts').waitFor();
    const incidents = await s.t.incidents();
    expect(incidents[1]!.source).to.deep.include({ kind: 'message' });
    expect(incidents[1]!.source.message).to.deep.include({ author: 'Lee Gu' });
  });
  it("posts an update from the card's dialog; what is typed there survives the card changing underneath", async () => {
    await actAs('Alex Wilber');
    await nav('inc-1-checkout-api-returns-500s').click();
    const open = incidentCard().getByRole('button', { name: 'Post update', exact: true });
    await reveal(incidentCard(), open);
    await open.click();
    const dialog = s.page.getByRole('dialog', { name: /Post an update/ });
    await dialog.waitFor();
    await dialog.getByRole('textbox').fill('Error rate back under 0.1 %; watching for 30 min');
    // Someone else changes the incident meanwhile: the card behind redraws, the dialog does not.
    await s.t.message('sev P2', { conversationId: s.t.local.world.channelNamed('inc-1-checkout-api-returns-500s')!.id });
    await s.page.locator('.posts .card', { hasText: 'P2' }).first().waitFor();
    expect(await dialog.getByRole('textbox').inputValue()).to.equal('Error rate back under 0.1 %; watching for 30 min');
    await s.shot('7-update-dialog');
    await dialog.getByRole('button', { name: 'Post to channel and broadcast' }).click();
    await dialog.getByRole('status').waitFor();
    await s.shot('8-update-posted');
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await dialog.waitFor({ state: 'detached' });
    await s.page.locator('.posts .card', { hasText: 'Error rate back under 0.1 %' }).first().waitFor();
  });
});
