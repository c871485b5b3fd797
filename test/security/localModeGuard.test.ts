import { request } from 'node:http';
import { configProblems } from '../helpers/configProblems.js';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../config.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

const problems = configProblems;

/** A request with the Host and Origin headers the test chooses (fetch would not let it set Host), to 127.0.0.1 at the app's port. */
function post(appUrl: string, path: string, headers: Record<string, string>, body: unknown, method = 'POST'): Promise<{ status: number; body: any }> {
  const { port } = new URL(appUrl);
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, path, method, headers: { ...(text ? { 'Content-Type': 'application/json' } : {}), ...headers } }, (res) => {
      let answer = '';
      res.setEncoding('utf8');
      res.on('data', (part: string) => (answer += part));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: answer ? JSON.parse(answer) : undefined }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

/**
 * Local mode has no sign-in and a published alert secret, so it must never start where it could
 * be reached by others: not in production under any spelling of NODE_ENV, not on a network
 * address unless that is asked for by name; and its sandbox acts only for its own page.
 */
describe('security: local mode guard', () => {
  describe('configuration', () => {
    it('treats any spelling of production as production', () => {
      for (const nodeEnv of ['production', 'Production', 'PRODUCTION', 'prod', 'Prod', ' production ', 'prod-eu']) {
        expect(problems({ NODE_ENV: nodeEnv }).join(), nodeEnv).to.match(/local mode .* refused with NODE_ENV=/);
        expect(loadConfig({ NODE_ENV: nodeEnv, ALLOW_LOCAL_MODE_IN_PRODUCTION: 'true' }).mode, nodeEnv).to.equal('local');
      }
      for (const nodeEnv of ['development', 'test', 'staging', '']) expect(loadConfig({ NODE_ENV: nodeEnv }).mode, nodeEnv).to.equal('local');
    });

    it('listens on loopback only, unless ALLOW_LOCAL_MODE_ON_NETWORK=true', () => {
      expect(loadConfig({}).host).to.equal('127.0.0.1');
      for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.1.1']) expect(loadConfig({ HOST: host }).host, host).to.equal(host);
      for (const host of ['0.0.0.0', '::', '192.168.1.20', 'incidents.example.com']) {
        const found = problems({ HOST: host }).join();
        expect(found, host).to.contain(`HOST=${host} would put local mode`).and.contain('ALLOW_LOCAL_MODE_ON_NETWORK=true');
        expect(loadConfig({ HOST: host, ALLOW_LOCAL_MODE_ON_NETWORK: 'true' }).host, host).to.equal(host);
      }
      // Both guards at once: a production container (HOST=0.0.0.0) in local mode needs both settings.
      expect(problems({ NODE_ENV: 'production', HOST: '0.0.0.0' })).to.have.length(2);
      expect(problems({ NODE_ENV: 'production', HOST: '0.0.0.0', ALLOW_LOCAL_MODE_IN_PRODUCTION: 'true', ALLOW_LOCAL_MODE_ON_NETWORK: 'true' })).to.deep.equal([]);
      expect(problems({ ALLOW_LOCAL_MODE_ON_NETWORK: 'yes' }).join()).to.contain('ALLOW_LOCAL_MODE_ON_NETWORK');
    });

    it('leaves real mode on 0.0.0.0 by default', () => {
      const real = {
        MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555',
        MICROSOFT_APP_PASSWORD: 'secret',
        MICROSOFT_APP_TENANT_ID: '66666666-7777-8888-9999-000000000000',
        TEAMS_TEAM_ID: 'team',
        TEAMS_APP_CATALOG_ID: 'catalog',
        MONGODB_URI: 'mongodb://db.example:27017/incident-room',
        PUBLIC_BASE_URL: 'https://incidents.example.com',
        NODE_ENV: 'Production',
      };
      expect(loadConfig(real)).to.include({ mode: 'real', host: '0.0.0.0' });
    });
  });

  describe('the sandbox API answers only its own page', function () {
    this.timeout(60_000);
    let t: TestApp;
    let port: string;
    before(async () => {
      t = await startTestApp({}, { timers: false });
      port = new URL(t.app.url).port;
    });
    after(() => t?.close());
    const help = { kind: 'message', as: '29:alex', conversationId: '19:general@thread.tacv2', text: 'help' };

    it('refuses a POST from another site (a cross-site form or fetch) with 403, and sends nothing to the bot', async () => {
      const before = t.local.world.activities.length;
      for (const origin of ['https://evil.example', `http://evil.example:${port}`, 'null', `http://127.0.0.1:${Number(port) + 1}`]) {
        const answer = await post(t.app.url, '/sandbox/api/send', { Host: `127.0.0.1:${port}`, Origin: origin }, help);
        expect(answer.status, origin).to.equal(403);
        expect(answer.body.error, origin).to.match(/another site/);
      }
      expect(t.local.world.activities.length).to.equal(before);
    });

    it('refuses a rebound host name (DNS rebinding) with 403, on the send and the state', async () => {
      const before = t.local.world.activities.length;
      const rebound = `evil.example:${port}`;
      const send = await post(t.app.url, '/sandbox/api/send', { Host: rebound, Origin: `http://${rebound}` }, help);
      expect(send.status).to.equal(403);
      expect(send.body.error).to.match(/names host "evil\.example:\d+"/);
      expect((await post(t.app.url, '/sandbox/api/send', { Host: rebound }, help)).status).to.equal(403);
      expect((await post(t.app.url, '/sandbox/api/state', { Host: rebound }, undefined, 'GET')).status).to.equal(403);
      expect(t.local.world.activities.length).to.equal(before);
    });

    it('works from its own page under each loopback name, and for clients that send no Origin', async () => {
      const own: Record<string, string>[] = [
        { Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}` },
        { Host: `localhost:${port}`, Origin: `http://localhost:${port}` },
        { Host: `LOCALHOST:${port}`, Origin: `http://localhost:${port}` },
        { Host: `127.0.0.1:${port}` },
      ];
      for (const headers of own) {
        const before = t.local.world.activities.length;
        const answer = await post(t.app.url, '/sandbox/api/send', headers, help);
        expect(answer.status, JSON.stringify(headers)).to.equal(200);
        expect(answer.body.status, JSON.stringify(headers)).to.equal(200);
        expect(t.local.world.activities.length, JSON.stringify(headers)).to.be.greaterThan(before);
      }
      expect((await post(t.app.url, '/sandbox/api/state', { Host: `localhost:${port}` }, undefined, 'GET')).status).to.equal(200);
    });
  });
});
