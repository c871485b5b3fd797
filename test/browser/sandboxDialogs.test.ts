import { mkdirSync } from 'node:fs';
import { expect } from 'chai';
import restify from 'restify';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { LocalTeams } from '../../local/localTeams.js';
import { mountSandboxRoutes } from '../../local/sandbox/routes.js';
import { sandboxOrigins } from '../../local/sandbox/sameOrigin.js';
import { LOCAL, LOCAL_BOT } from '../../local/defaults.js';

const ARTIFACTS = 'test-artifacts/sandbox-dialogs';
const CARD = 'application/vnd.microsoft.card.adaptive';

/** A bot that answers dialogs the way Learn's "Use dialogs with bots" shows, and keeps what Teams sent it. */
function stubBot(received: Record<string, any>[]) {
  const card = (body: object[], actions: object[]) => ({ contentType: CARD, content: { type: 'AdaptiveCard', version: '1.5', body, actions } });
  return (activity: Record<string, any>) => {
    received.push(activity);
    const data = activity.value?.data ?? {};
    if (activity.name === 'task/fetch') {
      return {
        task: {
          type: 'continue',
          value: {
            title: 'Add a note',
            width: 'medium',
            height: 'small',
            card: card(
              [{ type: 'Input.Text', id: 'note', label: 'Note', isRequired: true, errorMessage: 'Write the note first', isMultiline: true }],
              [{ type: 'Action.Submit', title: 'Next', data: { step: 'next', noteId: data.noteId } }],
            ),
          },
        },
      };
    }
    if (activity.name === 'task/submit' && data.step === 'next') {
      return { task: { type: 'continue', value: { title: 'Who should hear about it?', card: card([{ type: 'TextBlock', text: `Your note: ${data.note}`, wrap: true }], [{ type: 'Action.Submit', title: 'Save', data: { step: 'save' } }, { type: 'Action.Submit', title: 'Drop it', data: { step: 'drop' } }]) } } };
    }
    if (activity.name === 'task/submit' && data.step === 'save') return { task: { type: 'message', value: 'Note saved.' } };
    return undefined; // the dialog closes
  };
}

/**
 * The sandbox runs a card's dialog (task module) as Teams does, here against a stub bot so what
 * the sandbox sends is checked exactly: task/fetch from an Action.Submit with msteams task/fetch,
 * a dialog (modal, focus kept inside, Escape closes), task/submit with the inputs merged into the
 * action's data, the next step, a message, and an empty answer that closes it.
 */
describe('sandbox: a card opens a dialog, steps through it and closes (stub bot; screenshots in test-artifacts/sandbox-dialogs/)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let local: LocalTeams;
  let server: restify.Server;
  let page: Page;
  let url: string;
  const received: Record<string, any>[] = [];
  const shot = (name: string) => page.screenshot({ path: `${ARTIFACTS}/${name}.png` });
  const dialog = () => page.getByRole('dialog');

  before(async function () {
    browser = await launchBrowser(this);
    mkdirSync(ARTIFACTS, { recursive: true });
    local = await LocalTeams.start({ teamId: LOCAL.teamId, appCatalogId: LOCAL.appCatalogId, meetingOrganizers: [] });
    server = restify.createServer();
    server.use(restify.plugins.bodyParser());
    const answer = stubBot(received);
    server.post('/api/messages', async (req, res) => {
      const body = answer(req.body);
      if (body) res.send(200, body);
      else res.send(200);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    mountSandboxRoutes(server, { local, tenantId: LOCAL.tenantId, appUrl: url, origins: sandboxOrigins(url, url), bot: LOCAL_BOT, tabApp: { appId: '00000000-0000-0000-0000-000000000001' } });
    // The bot's card in General, with a button that opens a dialog.
    local.world.activities.push({
      id: '1700000000001',
      conversationId: '19:general@thread.tacv2;messageid=1700000000001',
      type: 'message',
      byBot: true,
      from: { id: LOCAL_BOT.id, name: LOCAL_BOT.name },
      attachments: [{ contentType: CARD, content: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Deploy 2026.11.23-2', weight: 'Bolder' }], actions: [{ type: 'Action.Submit', title: 'Add a note', data: { msteams: { type: 'task/fetch' }, noteId: 'n-1' } }] } }],
      createdAt: new Date().toISOString(),
      version: 1,
    });
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${url}/`);
    await page.locator('#as').selectOption({ label: 'Megan Bowen' });
  });
  after(async () => {
    await browser?.close();
    server?.close();
    await local?.stop();
  });

  it('fetches the dialog with task/fetch, as Teams sends it', async () => {
    const open = page.locator('.posts .card', { hasText: 'Deploy 2026.11.23-2' }).getByRole('button', { name: 'Add a note' });
    await open.click();
    await page.getByRole('dialog', { name: 'Add a note' }).waitFor();
    const fetch = received.find((a) => a.name === 'task/fetch')!;
    expect(fetch).to.deep.include({ type: 'invoke', replyToId: '1700000000001' });
    expect(fetch.conversation).to.deep.include({ id: '19:general@thread.tacv2;messageid=1700000000001', conversationType: 'channel' });
    expect(fetch.from).to.deep.include({ id: '29:megan', name: 'Megan Bowen' });
    expect(fetch.value).to.deep.equal({ data: { msteams: { type: 'task/fetch' }, noteId: 'n-1' }, context: { theme: 'default' } });
    // Focus is in the dialog's first field; the page behind cannot be reached.
    expect(await page.evaluate(() => document.activeElement?.tagName)).to.equal('TEXTAREA');
    expect(await page.locator('main').evaluate((m) => (m as HTMLElement).inert)).to.equal(true);
    await shot('1-dialog-open');
  });

  it('keeps focus inside the dialog and checks required inputs before sending', async () => {
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')))).to.equal(true);
    }
    await dialog().getByRole('button', { name: 'Next' }).click();
    await dialog().getByText('Write the note first').waitFor();
    expect(received.filter((a) => a.name === 'task/submit')).to.have.length(0);
  });

  it('submits with task/submit (the inputs merged into the data) and shows the next step', async () => {
    await dialog().getByRole('textbox').fill('Rolled back at 10:02');
    await dialog().getByRole('button', { name: 'Next' }).click();
    await page.getByRole('dialog', { name: 'Who should hear about it?' }).waitFor();
    const submit = received.filter((a) => a.name === 'task/submit')[0]!;
    expect(submit).to.deep.include({ type: 'invoke', replyToId: '1700000000001' });
    expect(submit.value).to.deep.equal({ data: { step: 'next', noteId: 'n-1', note: 'Rolled back at 10:02' }, context: { theme: 'default' } });
    await dialog().getByText('Your note: Rolled back at 10:02').waitFor();
    await shot('2-next-step');
  });

  it("shows the bot's message, and closes with its button; focus goes back to the card", async () => {
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().getByRole('status').filter({ hasText: 'Note saved.' }).waitFor();
    await shot('3-message');
    await dialog().getByRole('button', { name: 'Close', exact: true }).last().click();
    await dialog().waitFor({ state: 'detached' });
    expect(await page.locator('main').evaluate((m) => (m as HTMLElement).inert)).to.equal(false);
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Add a note');
  });

  it('closes when the bot answers nothing, and Escape closes it without telling the bot', async () => {
    const open = page.locator('.posts .card', { hasText: 'Deploy 2026.11.23-2' }).getByRole('button', { name: 'Add a note' });
    await open.click();
    await dialog().getByRole('textbox').fill('second');
    await dialog().getByRole('button', { name: 'Next' }).click();
    await dialog().getByRole('button', { name: 'Drop it' }).click();
    await dialog().waitFor({ state: 'detached' });
    const sent = received.length;
    await open.click();
    await dialog().waitFor();
    await page.keyboard.press('Escape');
    await dialog().waitFor({ state: 'detached' });
    expect(received.length).to.equal(sent + 1); // the fetch only
  });

  it('works in the dark theme and tells the bot the theme', async () => {
    await page.locator('#theme').click();
    await page.locator('.posts .card', { hasText: 'Deploy 2026.11.23-2' }).getByRole('button', { name: 'Add a note' }).click();
    await dialog().waitFor();
    expect(received.at(-1)!.value.context).to.deep.equal({ theme: 'dark' });
    await shot('4-dark');
    await page.keyboard.press('Escape');
  });

  it('refuses what Teams would not send: a fetch without msteams task/fetch, a card that is not there, another person\'s chat', async () => {
    const post = (body: object) => fetch(`${url}/sandbox/api/send`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const where = { as: '29:megan', conversationId: '19:general@thread.tacv2', activityId: '1700000000001' };
    expect((await post({ kind: 'taskFetch', ...where, data: { noteId: 'n-1' } })).status).to.equal(400);
    expect((await post({ kind: 'taskFetch', ...where, activityId: 'nope', data: { msteams: { type: 'task/fetch' } } })).status).to.equal(404);
    expect((await post({ kind: 'messageActionFetch', ...where, commandId: 'shout' })).status).to.equal(400);
    expect((await post({ kind: 'taskSubmit', ...where, theme: 'sepia' })).status).to.equal(400);
    const alex = local.world.people.find((p) => p.name === 'Alex Wilber')!;
    const intoAlexsChat = await post({ kind: 'message', as: '29:megan', conversationId: local.world.personalChatWith(alex), text: 'hi' });
    expect(intoAlexsChat.status).to.equal(403);
    expect((await intoAlexsChat.json()).error).to.match(/Megan Bowen is not in conversation/);
  });
});
