import { existsSync } from 'node:fs';
import { ALEX } from './people.js';
import { chromium, type Browser, type Frame, type Keyboard, type Page } from 'playwright-core';

/** Debian's chromium package (installed by .ci/run); CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Starts headless Chromium, or explains why it cannot. Outside CI a machine without Chromium
 * skips the browser tests with that reason; in CI (.ci/run sets REQUIRE_BROWSER=1) it fails.
 */
export async function launchBrowser(context: Mocha.Context): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
    if (process.env.REQUIRE_BROWSER) throw new Error(reason);
    console.warn(`      skipping browser tests: ${reason}`);
    context.skip();
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
}

/** A tab as a person has it open: its frame (which reads like a page), and the page hosting it. */
export type HostedTab = Frame & {
  readonly host: Page;
  readonly keyboard: Keyboard;
  /** Loads the tab again inside its host, as Teams does when a person reloads it. */
  reload(): Promise<void>;
  /** What the person sees: the host page with the tab in it (`fullPage`: the tab's whole length, as if the window were that tall). */
  screenshot(options: { path: string; fullPage?: boolean }): Promise<Buffer>;
};

export interface TabHostOptions {
  /** Who is signed in (the sandbox's "Act as"): Alex, local mode's admin, unless said. */
  readonly as?: { readonly id: string };
  readonly frame?: 'content' | 'sidePanel';
  readonly theme?: 'default' | 'dark' | 'contrast';
}

/**
 * Opens one of the app's tabs (`/tab/…`) the way a person does: framed by the sandbox's tab host
 * page (/sandbox/tab), which hosts it as Teams does (teams-js context, the Teams SSO token of the
 * person acted as from the local Entra stand-in, the theme and its changes).
 */
export async function openHostedTab(page: Page, appUrl: string, tabPath: string, options: TabHostOptions = {}): Promise<HostedTab> {
  const query = new URLSearchParams({ url: tabPath, as: options.as?.id ?? ALEX.id, frame: options.frame ?? 'content', theme: options.theme ?? 'default' });
  await page.goto(`${appUrl}/sandbox/tab?${query}`);
  const frame = await (await page.locator('#tab').elementHandle())!.contentFrame();
  if (!frame) throw new Error('the host page has no tab frame');
  await frame.waitForLoadState();
  const extras = {
    host: page,
    keyboard: page.keyboard,
    reload: async () => {
      const navigated = page.waitForEvent('framenavigated', (f) => f === frame);
      await frame.evaluate(() => location.reload());
      await navigated;
      await frame.waitForLoadState();
    },
    screenshot: async (o: { path: string; fullPage?: boolean }) => {
      if (!o.fullPage) return page.screenshot({ path: o.path });
      const height = await frame.evaluate(() => document.documentElement.scrollHeight);
      const tall = (h: number | undefined) => page.evaluate((px) => {
        const tab = document.getElementById('tab')!;
        document.body.style.height = px === undefined ? '' : 'auto';
        tab.style.flex = px === undefined ? '' : 'none';
        tab.style.height = px === undefined ? '' : `${px}px`;
      }, h);
      await tall(height);
      try {
        return await page.screenshot({ path: o.path, fullPage: true });
      } finally {
        await tall(undefined);
      }
    },
  };
  return new Proxy(frame, {
    get(target, property) {
      if (property in extras) return extras[property as keyof typeof extras];
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as HostedTab;
}
