import { mkdirSync } from 'node:fs';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { provisioned, startTestApp, type TestApp } from './testApp.js';

export interface SandboxSessionOptions {
  /** Where screenshots go (made if missing). */
  readonly artifacts: string;
  /** A message declared (and waited for until provisioned) before the page opens. */
  readonly declare?: string;
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Whether an uncaught error in the page fails the test (yes unless said). */
  readonly failOnPageError?: boolean;
}

/** One person at the sandbox page of a test app; filled in by the session's `before` hook. */
export interface SandboxSession {
  readonly browser: Browser;
  readonly t: TestApp;
  readonly page: Page;
  /** The tab the sandbox hosts beside the channel. */
  readonly tab: FrameLocator;
  /** Saves what the page shows as `<artifacts>/<name>.png`. */
  shot(name: string): Promise<Buffer>;
}

/**
 * Registers, in the calling `describe`, the hooks of a sandbox session: Chromium and a test app
 * before the tests, the sandbox page open at the app's root; a screenshot of a failed test; both
 * closed after. A file's own `before` hooks, registered after this call, run once the page is open.
 */
export function sandboxSession(options: SandboxSessionOptions): SandboxSession {
  const { artifacts, declare, viewport = { width: 1280, height: 900 }, failOnPageError = true } = options;
  const opened: { browser?: Browser; t?: TestApp; page?: Page } = {};
  const started = <K extends keyof typeof opened>(key: K) => {
    const value = opened[key];
    if (!value) throw new Error(`the sandbox session has no ${key} yet (its before hook has not run)`);
    return value as NonNullable<(typeof opened)[K]>;
  };
  const session: SandboxSession = {
    get browser() {
      return started('browser');
    },
    get t() {
      return started('t');
    },
    get page() {
      return started('page');
    },
    get tab() {
      return started('page').frameLocator('#tab');
    },
    shot: (name) => started('page').screenshot({ path: `${artifacts}/${name}.png` }),
  };

  before(async function () {
    opened.browser = await launchBrowser(this);
    mkdirSync(artifacts, { recursive: true });
    opened.t = await startTestApp();
    if (declare) {
      await opened.t.message(declare);
      await provisioned(opened.t);
    }
    opened.page = await opened.browser.newPage({ viewport });
    if (failOnPageError) {
      opened.page.on('pageerror', (error) => {
        throw error;
      });
    }
    await opened.page.goto(`${opened.t.app.url}/`);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && opened.page) await session.shot(`failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`);
  });
  after(async () => {
    await opened.browser?.close();
    await opened.t?.close();
  });
  return session;
}
