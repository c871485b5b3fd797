import { expect } from 'chai';
import { loadConfig } from '../../config.js';
import { startApp } from '../../server.js';
import { testDatabase } from '../helpers/database.js';
import { startTestApp, type TestApp } from '../helpers/testApp.js';

const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('sandbox API (local mode only)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => t.close());

  it('serves the page, its client bundle and the state of the local Teams', async () => {
    const page = await fetch(`${t.app.url}/`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.contain('Local simulation of Microsoft Teams');
    const client = await fetch(`${t.app.url}/sandbox/client.js`);
    expect(client.status).to.equal(200);
    expect((await client.text()).length).to.be.greaterThan(1000);
    const state = (await (await fetch(`${t.app.url}/sandbox/api/state`)).json()) as { fingerprint: string; channels: { name: string }[]; people: unknown[] };
    expect(state.channels.map((c) => c.name)).to.include.members(['General', 'production-issues']);
    expect(state.people).to.have.length(5);
    const again = (await (await fetch(`${t.app.url}/sandbox/api/state?since=${state.fingerprint}`)).json()) as { unchanged?: boolean };
    expect(again.unchanged).to.equal(true);
  });

  it('refuses malformed sends with a clear reason, and sends nothing to the bot', async () => {
    const before = t.local.world.activities.length;
    const cases: [unknown, RegExp][] = [
      [{ kind: 'message', as: '29:alex', conversationId: '19:general@thread.tacv2', text: '   ' }, /text: type a message/],
      [{ kind: 'message', as: '29:nobody', conversationId: '19:general@thread.tacv2', text: 'help' }, /nobody called 29:nobody/],
      [{ kind: 'shout', as: '29:alex' }, /kind/],
      [{ kind: 'action', as: '29:alex', conversationId: '19:general@thread.tacv2', activityId: 'x', verb: '', data: {} }, /verb/],
      [{ kind: 'message', as: '29:alex', conversationId: '19:general@thread.tacv2', text: 'x'.repeat(10_001) }, /text/],
    ];
    for (const [body, reason] of cases) {
      const response = await post(`${t.app.url}/sandbox/api/send`, body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).to.equal(400);
      expect(((await response.json()) as { error: string }).error).to.match(reason);
    }
    expect(t.local.world.activities.length).to.equal(before);
  });

  it('stores a person\'s message like Teams does and hands it to the bot, which answers in the thread', async () => {
    const response = await post(`${t.app.url}/sandbox/api/send`, { kind: 'message', as: '29:megan', conversationId: '19:general@thread.tacv2', text: 'help' });
    expect(response.status).to.equal(200);
    expect(((await response.json()) as { status: number }).status).to.equal(200);
    const posted = t.local.world.activities.find((a) => a.from?.id === '29:megan')!;
    expect(posted.text).to.equal('<at>incident-room</at> help');
    expect(posted.conversationId).to.equal(`19:general@thread.tacv2;messageid=${posted.id}`);
    const reply = t.local.world.activities.find((a) => a.replyToId === posted.id);
    expect(JSON.stringify(reply?.attachments)).to.contain('incident-room commands');
  });
});

describe('sandbox in real mode', () => {
  it('is not there at all', async () => {
    const db = await testDatabase();
    const app = await startApp(
      loadConfig({
        PORT: '0',
        LOG_LEVEL: 'silent',
        MICROSOFT_APP_ID: '11111111-1111-1111-1111-111111111111',
        MICROSOFT_APP_PASSWORD: 'not-a-real-secret',
        MICROSOFT_APP_TENANT_ID: '22222222-2222-2222-2222-222222222222',
        TEAMS_TEAM_ID: 'team',
        TEAMS_APP_CATALOG_ID: 'catalog',
        MONGODB_URI: db.uri,
        PUBLIC_BASE_URL: 'https://incidents.example',
        GRAPH_BASE_URL: 'http://127.0.0.1:9',
      }),
      { resume: false },
    );
    try {
      expect(app.local).to.equal(undefined);
      for (const path of ['/', '/sandbox/client.js', '/sandbox/api/state']) expect((await fetch(`${app.url}${path}`)).status, path).to.equal(404);
      expect((await post(`${app.url}/sandbox/api/send`, { kind: 'message' })).status).to.equal(404);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
