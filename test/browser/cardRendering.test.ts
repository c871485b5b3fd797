import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { CARD_STATES } from '../helpers/cardStates.js';
import { TEAMS_LIGHT_HOST_CONFIG } from '../../local/sandbox/hostConfig.js';

const require = createRequire(import.meta.url);
const ARTIFACTS = 'test-artifacts/cards';
const slug = (name: string) => name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();

interface Rendered {
  readonly error?: string;
  readonly text: string;
  readonly height: number;
  readonly buttons: string[];
  readonly attentionBoxes: number;
}

/**
 * Renders every card state with the adaptivecards renderer (the one Teams' web client is built
 * on) in headless Chromium, keeps a screenshot of each in test-artifacts/cards/, and checks that
 * what a responder needs at a glance is on screen.
 */
describe('cards rendered in Chromium (screenshots in test-artifacts/cards/)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;

  before(async function () {
    browser = await launchBrowser(this);
    page = await browser.newPage({ viewport: { width: 560, height: 900 } });
    await page.setContent('<!doctype html><html><body style="margin:0;background:#f0f0f0"><div id="card" style="width:520px;margin:12px;background:#fff;border-radius:6px;box-shadow:0 1px 3px #0003"></div></body></html>');
    await page.addScriptTag({ path: require.resolve('markdown-it/dist/markdown-it.min.js') });
    await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => browser?.close());

  const render = (card: object): Promise<Rendered> =>
    page.evaluate(
      ([json, hostConfig]) => {
        const w = window as unknown as { AdaptiveCards: any; markdownit: any };
        const md = w.markdownit({ linkify: false });
        w.AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text: string, result: { outputHtml: string; didProcess: boolean }) => {
          // Teams' {{DATE()}}/{{TIME()}} placeholders become local times in the client.
          const withDates = text.replace(/\{\{(DATE|TIME)\(([^,)]+)(?:, \w+)?\)\}\}/g, (_m, kind: string, iso: string) =>
            kind === 'DATE' ? new Date(iso).toLocaleDateString('en-GB', { timeZone: 'UTC' }) : new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' }),
          );
          result.outputHtml = md.render(withDates);
          result.didProcess = true;
        };
        const host = document.getElementById('card')!;
        host.innerHTML = '';
        try {
          const adaptive = new w.AdaptiveCards.AdaptiveCard();
          adaptive.hostConfig = new w.AdaptiveCards.HostConfig(hostConfig);
          adaptive.parse(json);
          const element: HTMLElement = adaptive.render();
          host.appendChild(element);
          return {
            text: element.innerText,
            height: element.getBoundingClientRect().height,
            buttons: [...element.querySelectorAll('button')].map((b) => b.innerText.trim()).filter(Boolean),
            attentionBoxes: [...element.querySelectorAll('.ac-container')].filter((c) => getComputedStyle(c).backgroundColor === 'rgb(252, 244, 246)').length,
          };
        } catch (error) {
          return { error: String(error), text: '', height: 0, buttons: [], attentionBoxes: 0 };
        }
      },
      [card, TEAMS_LIGHT_HOST_CONFIG] as const,
    );

  for (const [name, card] of CARD_STATES) {
    it(name, async () => {
      const rendered = await render(card);
      expect(rendered.error).to.equal(undefined);
      expect(rendered.height, 'the card renders with some height').to.be.greaterThan(40);
      expect(rendered.text).not.to.match(/\{\{(DATE|TIME)\(/);
      await page.locator('#card').screenshot({ path: `${ARTIFACTS}/${slug(name)}.png` });
    });
  }

  /** What the card shows once Details is pressed. */
  const details = async () => {
    await page.locator('#card').getByRole('button', { name: 'Details' }).click();
    return page.locator('#card').innerText();
  };

  it('an open incident card shows severity, status, age, commander and the last update first; roles, links and the summary behind Details', async () => {
    const card = CARD_STATES.find(([name]) => name.startsWith('incident card, running'))![1];
    const rendered = await render(card);
    expect(rendered.text).to.match(/INC-\d+ · P\d/).and.match(/IDENTIFIED/).and.match(/Open since/);
    expect(rendered.text).to.contain('Commander').and.contain('Alex Wilber').and.contain('Last update');
    expect(rendered.text, 'behind Details').not.to.contain('Status summary');
    expect(rendered.buttons).to.include.members(['Post update', 'Details', 'More']);
    expect(rendered.height, 'the first screen is short').to.be.below(420);
    await page.locator('#card').screenshot({ path: `${ARTIFACTS}/compact-first-screen.png` });
    const all = await details();
    expect(all).to.contain('Communications lead').and.contain('Join the bridge').and.contain('Timeline, checklist, post-mortem').and.contain('Status summary');
    await page.locator('#card').screenshot({ path: `${ARTIFACTS}/compact-details-open.png` });
  });

  it('a hostile title is shown as typed, not as a link', async () => {
    const card = CARD_STATES.find(([name]) => name === 'incident card, hostile title')![1];
    await render(card);
    expect(await page.locator('#card a[href="https://evil.example"]').count()).to.equal(0);
    expect(await page.locator('#card').innerText()).to.contain('[click me](https://evil.example)');
  });

  it('a phishing title, an update with an image, a heading and a bare link, and names with markup all read as typed', async () => {
    const card = CARD_STATES.find(([name]) => name === 'incident card, phishing title, update and names')![1];
    const rendered = await render(card);
    const fromWords = ['a[href*="evil"]', 'a[href^="javascript"]', 'img', 'h1', 'h2', 'h3', 'table:not(.ac-factset)'].map((tag) => `#card ${tag}`).join(', ');
    expect(await page.locator(fromWords).count(), 'no link, image, heading or table from the words').to.equal(0);
    const all = `${rendered.text}\n${await details()}`;
    for (const typed of ['[Re-authenticate your SSO here](https://evil.example/login)', '**Boss** <at>everyone</at>', '# Now', '![img](https://evil.example/x.png) see https://evil.example/raw | a | b |', 'Ann_B (Ops)', 'javascript:alert(1)']) {
      expect(all).to.contain(typed);
    }
    expect(await page.locator(fromWords).count(), 'nor behind Details').to.equal(0);
    expect(rendered.text).not.to.contain('\\');
  });

  it('failures and the P0 suggestion stand out in an attention box', async () => {
    const failed = await render(CARD_STATES.find(([name]) => name === 'incident card, meeting failed')![1]);
    expect(failed.attentionBoxes).to.be.greaterThan(0);
    expect(failed.text).to.contain('Grant the access policy');
    const suggest = await render(CARD_STATES.find(([name]) => name.startsWith('incident card, P1 past'))![1]);
    expect(suggest.attentionBoxes).to.be.greaterThan(0);
    expect(suggest.text).to.contain('should probably be P0');
  });
});
