import { chromium } from 'playwright-core';
import { SYSTEM, timelineEvent } from '../models/incident/timeline.js';
import { toBot } from '../local/teamsActivities.js';
import type { Incident } from '../models/incident/incident.js';
import { BENCH_PERSON, CHROMIUM_PATH, startBenchApp } from './benchApp.js';
const bench = await startBenchApp();
const { app } = bench;
await fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(bench.activity({ type: 'message', id: `b-${Date.now()}`, from: BENCH_PERSON, ...toBot('declare Long --sev P1') })) });
const [incident] = (await bench.provisioned(1)) as [Incident];
for (let from = 0; from < 10000; from += 500) await Promise.all(Array.from({ length: 500 }, (_, k) => app.database.store.appendEvent(timelineEvent(incident.id, 'note', `b-${from + k}`, { at: new Date(Date.now() - 1e7 + (from + k) * 1000), actor: SYSTEM, payload: { text: `Event ${from + k}` } }))));
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox'] });
for (let n = 0; n < 6; n++) {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    new MutationObserver((_, o) => { if (document.querySelector('[data-testid=timeline] li')) { (window as any).firstRows = performance.now(); o.disconnect(); } }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${app.url}/sandbox/tab?${new URLSearchParams({ url: `/tab/incidents/${incident.id}`, as: '29:alex' })}`);
  const tab = (await (await page.locator('#tab').elementHandle())!.contentFrame())!;
  await tab.waitForFunction(() => (window as any).firstRows !== undefined);
  const r = await tab.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const res = performance.getEntriesByType('resource').map((e: any) => `${e.name.replace(location.origin, '').slice(0, 60)} ${e.startTime.toFixed(0)}→${e.responseEnd.toFixed(0)} (${e.transferSize}B)`);
    return { first: (window as any).firstRows.toFixed(0), navResp: nav.responseEnd.toFixed(0), dcl: nav.domContentLoadedEventEnd.toFixed(0), res };
  });
  console.log(JSON.stringify(r, null, 1));
  await page.close();
}
await browser.close(); await bench.close(); process.exit(0);
