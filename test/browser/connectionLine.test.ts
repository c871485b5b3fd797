import { expect } from 'chai';
import { sandboxSession } from '../helpers/sandbox.js';

const ARTIFACTS = 'test-artifacts/sandbox';

/** When the app stops answering, the sandbox shows one line that says so and clears itself once it answers again. */
describe('local sandbox: losing touch with the app (screenshots in test-artifacts/sandbox/)', function () {
  this.timeout(120_000);
  const s = sandboxSession({ artifacts: ARTIFACTS, viewport: { width: 1280, height: 700 }, failOnPageError: false });

  before(async () => {
    await s.page.locator('nav button', { hasText: '# General' }).waitFor();
  });

  it('shows one status line while the app is unreachable, no pile of toasts, and clears it when the app is back', async () => {
    await s.page.route('**/sandbox/api/state**', (route) => route.abort('connectionrefused'));
    const line = s.page.locator('#connection');
    await line.getByText('Lost touch with the app').waitFor();
    await s.page.waitForTimeout(4000); // several failed polls
    expect(await s.page.locator('#connection').count()).to.equal(1);
    expect(await s.page.locator('#toasts .toast').count(), 'no stacked toasts').to.equal(0);
    await s.page.screenshot({ path: `${ARTIFACTS}/connection-lost.png` });
    await s.page.unroute('**/sandbox/api/state**');
    await line.getByText('Back in touch').waitFor();
    await line.waitFor({ state: 'hidden' });
  });

  it('answers /favicon.ico with the app icon', async () => {
    const icon = await fetch(`${s.t.app.url}/favicon.ico`);
    expect(icon.status).to.equal(200);
    expect(icon.headers.get('content-type')).to.equal('image/png');
  });
});
