import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
