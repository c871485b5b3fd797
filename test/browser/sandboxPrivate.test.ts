import { expect } from 'chai';
import { MEGAN } from '../helpers/incidentRoom.js';
import { sandboxSession } from '../helpers/sandbox.js';

const ARTIFACTS = 'test-artifacts/sandbox-private';

/**
 * A private incident in the sandbox, as in Teams: its group chat is listed for its members only,
 * its card works there, and somebody else sees neither the chat nor the incident.
 * Screenshots in test-artifacts/sandbox-private/.
 */
describe('a private incident in the sandbox: its group chat, for its members only (screenshots)', function () {
  this.timeout(180_000);
  const s = sandboxSession({ artifacts: ARTIFACTS, declare: 'declare Admin account phished --type security --field vector=Phishing' });
  const chatButton = () => s.page.locator('nav button', { hasText: '🔒 INC-1' });

  it('the reporter finds the group chat under Chat, with the card, and acknowledges from it', async () => {
    await chatButton().click();
    const card = s.page.locator('.card').filter({ hasText: 'Admin account phished' }).first();
    await card.waitFor();
    await card.getByRole('button', { name: 'Acknowledge' }).click();
    // The refreshed card has nothing left to acknowledge.
    await s.page.locator('.card').filter({ hasText: 'Admin account phished' }).getByRole('button', { name: 'Acknowledge' }).waitFor({ state: 'detached' });
    const [incident] = await s.t.incidents();
    expect(incident).to.deep.include({ private: true });
    expect(incident!.milestones.acknowledged).to.be.instanceOf(Date);
    await s.shot('1-private-chat-as-reporter');
  });

  it('invite @person in the chat makes them a member: the chat is then theirs too', async () => {
    await s.page.locator('#message').fill('invite @Meg');
    await s.page.locator('#suggestions li', { hasText: MEGAN.name }).waitFor();
    await s.page.locator('#message').press('Enter'); // picks Megan
    await s.page.locator('#message').press('Enter'); // sends
    await s.page.locator('.posts', { hasText: `${MEGAN.name} is now a member` }).waitFor();
    const [incident] = await s.t.incidents();
    expect(incident!.members!.map((m) => m.name)).to.include(MEGAN.name);
    await s.shot('2-megan-invited');
    await s.page.locator('#as').selectOption({ label: MEGAN.name });
    await chatButton().waitFor();
    await s.page.locator('#as').selectOption({ label: 'Alex Wilber' });
  });

  it('someone who is not a member has no such chat, and no channel for it', async () => {
    await s.page.locator('#as').selectOption({ label: 'Adele Vance' });
    await s.page.locator('nav button', { hasText: 'General' }).first().waitFor();
    expect(await chatButton().count()).to.equal(0);
    expect(await s.page.locator('nav button', { hasText: /phished/ }).count()).to.equal(0);
    await s.shot('3-not-a-member');
  });
});
