import { expect } from 'chai';
import { sandboxSession } from '../helpers/sandbox.js';
import { eventually } from '../helpers/testApp.js';
import { signedInAs, tabApi } from '../helpers/tabApi.js';

const ARTIFACTS = 'test-artifacts/sandbox-conversation';

/**
 * The channel conversation and "Add to timeline" in the sandbox page, as a person does them: a
 * message to the people in the incident channel ("to the bot" off) reaches the bot as Teams sends
 * it and is kept on the record; editing and deleting one's own message are reflected there; the
 * message's "…" menu adds it to the timeline with a note. Screenshots in test-artifacts/sandbox-conversation/.
 */
describe('sandbox: the channel conversation, edits, deletes and "Add to timeline" (screenshots in test-artifacts/sandbox-conversation/)', function () {
  this.timeout(120_000);
  const s = sandboxSession({ artifacts: ARTIFACTS, declare: 'declare Checkout API returns 500s --sev P1' });
  const type = async (text: string) => {
    await s.page.locator('#message').fill(text);
    await s.page.locator('#message').press('Enter');
  };
  const chat = async () => {
    const [incident] = await s.t.incidents();
    return (await tabApi(s.t.app.url, incident!.id, signedInAs(s.t.app)).get('/chat?order=asc')).body;
  };

  before(async () => {
    await s.page.locator('#as').selectOption({ label: 'Alex Wilber' });
    await s.page.locator('nav button', { hasText: 'inc-1-checkout-api-returns-500s' }).click();
  });

  it('a message to the people in the channel is kept on the record, edits and deletes too; the bot does not answer it', async () => {
    await s.page.locator('#to-bot').uncheck();
    await type('Error rate is 40% since the deploy');
    await type('wrong channel, sorry');
    const found = s.page.locator('.posts .msg', { hasText: 'Error rate is 40%' }).first();
    await found.waitFor();
    // By its id from here: while it is edited its text is in a box, not on the page.
    const first = s.page.locator(`[id="${await found.getAttribute('id')}"]`);
    await eventually(async () => (await chat()).total === 2);
    await first.getByRole('button', { name: 'Edit this message' }).click();
    const box = first.getByRole('textbox', { name: 'Edit your message' });
    await box.fill('Error rate is 45% since the deploy');
    await s.shot('1-editing');
    await first.getByRole('button', { name: 'Save' }).click();
    await s.page.locator('.posts .msg', { hasText: 'Error rate is 45%' }).first().waitFor();
    const second = s.page.locator('.posts .msg', { hasText: 'wrong channel' }).first();
    await second.getByRole('button', { name: 'Delete this message' }).click();
    await s.page.locator('.posts .text.deleted', { hasText: 'This message has been deleted.' }).first().waitFor();
    const page = await eventually(async () => {
      const now = await chat();
      return now.entries[0]?.edited && now.entries[1]?.deleted ? now : undefined;
    });
    expect(page.entries.map((e: { text: string }) => e.text)).to.deep.equal(['Error rate is 45% since the deploy', '']);
    // Nobody @mentioned the bot: it did not answer (no help card for an unknown command).
    expect(s.t.local.world.activities.filter((a) => a.byBot && /don.t know|Here is what I can do/i.test(JSON.stringify(a)))).to.deep.equal([]);
    await s.shot('2-edited-and-deleted');
  });

  it('"Add to timeline" from the … menu asks why it matters and keeps the message as a key message', async () => {
    const message = s.page.locator('.posts .msg', { hasText: 'Error rate is 45%' }).first();
    await message.getByRole('button', { name: 'More options' }).click();
    await s.page.getByRole('menu').getByRole('menuitem', { name: /Add to timeline/ }).click();
    const dialog = s.page.getByRole('dialog', { name: 'Add to timeline' });
    await dialog.waitFor();
    await dialog.getByText('Add this message to the INC-1 timeline').waitFor();
    await dialog.getByRole('textbox').fill('The first number that showed the size of it');
    await s.shot('3-add-to-timeline-dialog');
    await dialog.getByRole('button', { name: 'Add to timeline' }).click();
    await s.page.getByText("Alex Wilber added Alex Wilber's message to the INC-1 timeline.").waitFor();
    await s.shot('4-added');
    const [incident] = await s.t.incidents();
    const events = (await tabApi(s.t.app.url, incident!.id, signedInAs(s.t.app)).get('/events?kinds=key_message')).body.events;
    expect(events).to.have.length(1);
    expect(events[0].text).to.contain('Error rate is 45% since the deploy').and.contain('The first number that showed the size of it');
  });
});
