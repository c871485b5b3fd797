import { expect } from 'chai';
import { LEE } from '../helpers/incidentRoom.js';
import { sandboxSession } from '../helpers/sandbox.js';

const ARTIFACTS = 'test-artifacts/sandbox-identity';
const ADELE = 'Adele Vance';

/**
 * The sandbox hosts the tab as Teams does: the tab is signed in as the person in "Act as" (a
 * Teams SSO token from the local Entra stand-in, checked as in real mode), so what people do in
 * the tab is theirs; switching person reloads the tab as them; the sandbox's theme reaches the
 * tab. Screenshots in test-artifacts/sandbox-identity/.
 */
describe('the sandbox hosts the tab as Teams does (screenshots in test-artifacts/sandbox-identity/)', function () {
  this.timeout(180_000);
  const s = sandboxSession({ artifacts: ARTIFACTS, declare: 'declare Checkout API returns 500s --sev P1' });
  const actAs = (name: string) => s.page.locator('#as').selectOption({ label: name });
  const timeline = () => s.tab.getByTestId('timeline').locator('li');

  it('acting as one person, a note added in the tab is theirs on the timeline', async () => {
    await actAs(ADELE);
    await s.page.locator('nav button', { hasText: 'inc-1-checkout-api-returns-500s' }).click();
    await s.page.getByRole('tab', { name: 'INC-1 tab' }).click();
    await s.tab.getByTestId('identity').filter({ hasText: `Signed in as ${ADELE}` }).waitFor();
    await s.tab.getByLabel('Add a note to the timeline').fill('Error rate at 12% on checkout');
    await s.tab.getByRole('button', { name: 'Add note' }).click();
    const note = timeline().filter({ hasText: 'Error rate at 12% on checkout' });
    await note.waitFor();
    expect(await note.innerText()).to.contain(ADELE);
    const events = await s.t.app.database.store.listEvents((await s.t.incidents())[0]!.id);
    expect(events.find((e) => e.kind === 'note')?.actor).to.include({ name: ADELE });
    await s.shot('1-note-as-adele');
  });

  it('switching person reloads the tab as them: taking command and ticking are theirs', async () => {
    await actAs(LEE.name);
    await s.tab.getByTestId('identity').filter({ hasText: `Signed in as ${LEE.name}` }).waitFor();
    await s.tab.getByRole('button', { name: "I'm the commander" }).click();
    await s.tab.getByTestId('action-message').filter({ hasText: /Incident Commander/ }).waitFor();
    await timeline().filter({ hasText: `made ${LEE.name} Incident Commander` }).first().waitFor();
    // The commander is Lee, by the Entra id the token carried: pages and reminders @mention Lee.
    const [incident] = await s.t.incidents();
    expect(incident!.roles.commander).to.include({ name: LEE.name, aadObjectId: LEE.aadObjectId });
    await s.tab.getByRole('tab', { name: /Checklist/ }).click();
    const box = s.tab.getByRole('checkbox', { name: /Write the incident statement/ });
    await box.click();
    await s.tab.locator('.check', { has: box }).filter({ hasText: LEE.name }).waitFor();
    await s.shot('2-commander-and-tick-as-lee');
    await s.tab.getByRole('tab', { name: 'Timeline' }).click();
    await timeline().filter({ hasText: 'ticked “Write the incident statement' }).filter({ hasText: LEE.name }).waitFor();
  });

  it('"My incidents" beside the chat with the bot lists the incidents of the person acted as', async () => {
    await s.page.locator('nav button', { hasText: 'incident-room' }).click();
    await s.page.getByRole('tab', { name: 'My incidents tab' }).click();
    const row = s.tab.getByTestId('mine-list').locator('li', { hasText: 'INC-1' });
    await row.waitFor();
    expect(await row.innerText()).to.contain('You: Incident Commander');
    await s.shot('3-my-incidents-as-lee');
    // Someone else sees their own (Adele holds no role in INC-1), beside her own chat with the bot.
    await actAs(ADELE);
    await s.page.locator('nav button', { hasText: 'incident-room' }).click();
    await s.page.getByRole('tab', { name: 'My incidents tab' }).click();
    await s.tab.getByText('Signed in as Adele Vance').waitFor();
    await s.tab.getByTestId('mine-empty').waitFor();
    expect(await s.tab.getByTestId('mine-list').count()).to.equal(0);
    await s.shot('3b-my-incidents-as-adele');
  });

  it('the sandbox’s theme button turns the tab dark too', async () => {
    await actAs(LEE.name);
    await s.page.locator('nav button', { hasText: 'inc-1-checkout-api-returns-500s' }).click();
    await s.page.getByRole('tab', { name: 'INC-1 tab' }).click();
    await s.tab.getByTestId('identity').filter({ hasText: LEE.name }).waitFor();
    const tabTheme = () => s.tab.locator('html').evaluate((html) => ({ theme: html.dataset.theme, background: getComputedStyle(document.body).backgroundColor }));
    const light = await tabTheme();
    const toDark = !(await s.page.evaluate(() => document.body.classList.contains('dark')));
    await s.page.locator('#theme').click();
    if (!toDark) await s.page.locator('#theme').click(); // it started dark: back to light, then dark
    await s.page.waitForFunction(() => document.body.classList.contains('dark'));
    await s.tab.locator('html[data-theme="dark"]').waitFor();
    const dark = await tabTheme();
    expect(dark.theme).to.equal('dark');
    if (toDark) expect(dark.background).not.to.equal(light.background);
    // The frame around the tab is dark too, not a white box.
    expect(await s.page.locator('#tab').evaluate((frame) => getComputedStyle(frame).backgroundColor)).not.to.equal('rgb(255, 255, 255)');
    await s.shot('4-dark-theme');
    await s.page.locator('#theme').click();
    await s.tab.locator('html[data-theme="default"]').waitFor();
  });

  it('a tab opened outside any host says to open it from the sandbox, with a link', async () => {
    const plain = await s.browser.newPage();
    const incident = (await s.t.incidents())[0]!;
    await plain.goto(`${s.t.app.url}/tab/incidents/${incident.id}`);
    await plain.getByRole('heading', { name: 'Open this tab from the sandbox' }).waitFor();
    expect(await plain.getByRole('link', { name: 'Open the sandbox' }).getAttribute('href')).to.equal('/');
    expect(await plain.locator('body').innerText()).not.to.contain('Checkout API');
    await plain.screenshot({ path: `${ARTIFACTS}/5-outside-any-host.png` });
    await plain.goto(`${s.t.app.url}/tab/mine`);
    await plain.getByRole('heading', { name: 'Open this tab from the sandbox' }).waitFor();
    await plain.close();
  });
});
