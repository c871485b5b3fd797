import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { ConnectorStandIn } from '../../local/standins/connectorStandIn.js';
import { activity, ALEX, provisioned, startTestApp, type TestApp, toBot } from '../helpers/testApp.js';

describe('service URLs as real Teams uses them', () => {
  let t: TestApp;
  let regional: ConnectorStandIn;
  beforeEach(async () => {
    t = await startTestApp();
    // A second connector endpoint over the same Teams, like smba.trafficmanager.net/emea/.
    regional = new ConnectorStandIn(t.local.world);
    await regional.start();
    t.local.world.viewBaseUrl = t.local.connector.url;
  });
  afterEach(async () => {
    await regional.stop();
    await t.close();
  });

  it('posts the card and answers via the service URL learned from the incoming activity, not the fallback', async () => {
    const response = await fetch(`${t.app.url}/api/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(
        activity(t.app, t.local, { type: 'message', id: randomUUID(), from: ALEX, serviceUrl: `${regional.url}/`, ...toBot('declare Regional outage --sev P2') }),
      ),
    });
    expect(response.status).to.equal(200);
    const [incident] = await provisioned(t);
    expect(incident!.card!.serviceUrl).to.equal(`${regional.url}/`);
    const paths = regional.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).to.include('POST /v3/conversations');
    expect(paths.some((p) => p.startsWith('PUT /v3/conversations/'))).to.equal(true);
    expect(t.local.connector.requests.filter((r) => r.path.startsWith('/v3/'))).to.have.length(0);
  });

  it('reports healthy once ready', async () => {
    const health = await fetch(`${t.app.url}/healthz`);
    expect(health.status).to.equal(200);
    expect(await health.json()).to.deep.equal({ status: 'ok', mode: 'local' });
  });
});
