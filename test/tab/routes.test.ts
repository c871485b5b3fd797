import { appUrls } from '../../http/urls.js';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import restify from 'restify';
import { mountTabRoutes } from '../../tab/routes.js';
import { loadConfig } from '../../config.js';

/** The tab's page and script as Teams loads them in real mode: one bundle (teams-js inside it), cacheable by hash. */
describe('incident tab page (real mode)', function () {
  this.timeout(60_000);
  let server: restify.Server;
  let base: string;
  before(async () => {
    server = restify.createServer();
    server.use(restify.plugins.queryParser({ mapParams: false }));
    mountTabRoutes(server, { mode: 'real', urls: appUrls('https://incidents.example.com') });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('loads one script, the client with teams-js bundled in, by content hash, and forbids inline script and foreign framing', async () => {
    const page = await fetch(`${base}/tab/incidents/${'a'.repeat(24)}`);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).to.contain("script-src 'self';").and.contain('frame-ancestors teams.microsoft.com');
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(scripts).to.have.length(1);
    expect(scripts[0]).to.match(/^\/tab\/client\.js\?v=[0-9a-f]{16}$/);

    const client = await fetch(`${base}${scripts[0]}`);
    expect(client.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    // teams-js travels in the bundle (what the tab calls of it: sign-in, context, links, theme), not as a script of its own.
    expect(await client.text()).to.contain('authentication.getAuthToken').and.contain('registerHandler');
    // Asked for without (or with a stale) hash, the script must be revalidated, never kept.
    expect((await fetch(`${base}/tab/client.js?v=0000`)).headers.get('cache-control')).to.equal('no-cache');
    // The whole of teams-js is still served, for the configuration page's inline script.
    expect(await (await fetch(`${base}/tab/vendor/teams.js`)).text()).to.contain('microsoftTeams');
  });

  it('carries its styles in the head, for light, dark and high contrast, with only the Fluent tokens its code names (none in the script)', async () => {
    const html = await (await fetch(`${base}/tab/incidents/${'a'.repeat(24)}`)).text();
    const head = html.slice(0, html.indexOf('</head>'));
    const style = /<style>([\s\S]*)<\/style>/.exec(head)![1]!;
    for (const theme of ['default', 'dark', 'contrast']) expect(style).to.contain(`:root[data-theme=${theme}]{`);
    // The sheet uses the brand colour, and the metrics charts read the foreground by name: both are there, in each theme.
    expect(style.match(/--colorBrandBackground:/g)).to.have.length(3);
    expect(style.match(/--colorNeutralForeground1:/g)).to.have.length(3);
    // A token nothing mentions is left out: the page carries a few dozen of Fluent's ~460.
    expect(style).not.to.contain('--colorPaletteLavenderBorderActive');
    expect(style.match(/--[A-Za-z0-9]+:/g)!.length).to.be.below(3 * 60);
    const [script] = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    expect(await (await fetch(`${base}${script}`)).text()).not.to.contain('colorNeutralForeground1');
  });

  it('may be framed by every host Microsoft documents for tabs (Teams, Microsoft 365, Outlook, cloud.microsoft), and no other', async () => {
    const csp = (await fetch(`${base}/tab/incidents/${'a'.repeat(24)}`)).headers.get('content-security-policy')!;
    const ancestors = /frame-ancestors ([^;]+)/.exec(csp)![1]!.split(' ');
    const documented = ['teams.microsoft.com', '*.teams.microsoft.com', '*.skype.com', '*.cloud.microsoft', '*.microsoft365.com', '*.office.com', 'outlook.office.com', 'outlook.office365.com', 'outlook-sdf.office.com', 'outlook-sdf.office365.com'];
    expect(ancestors.sort()).to.deep.equal([...documented, "'self'"].sort());
  });

  it('in GCC High and DoD, may also be framed by that cloud’s Teams web client', async () => {
    const gov = restify.createServer();
    mountTabRoutes(gov, { mode: 'real', urls: appUrls('https://incidents.example.us'), cloudFrameHosts: loadConfig({ CLOUD: 'usgovhigh' }).cloud.teamsClientHosts });
    await new Promise<void>((resolve) => gov.listen(0, '127.0.0.1', () => resolve()));
    try {
      const csp = (await fetch(`http://127.0.0.1:${(gov.address() as AddressInfo).port}/tab/incidents/${'a'.repeat(24)}`)).headers.get('content-security-policy')!;
      expect(/frame-ancestors ([^;]+)/.exec(csp)![1]!.split(' ')).to.include('gov.teams.microsoft.us').and.include('teams.microsoft.com');
    } finally {
      gov.close();
    }
  });

  it('the configurable tab saved by hand opens a page that exists (the person’s incidents)', async () => {
    const config = await (await fetch(`${base}/tab/config`)).text();
    const saved = /contentUrl: "([^"]+)"/.exec(config)![1]!;
    expect(saved).to.equal('https://incidents.example.com/tab');
    const page = await fetch(`${base}${new URL(saved).pathname}`);
    expect(page.status).to.equal(200);
    expect(await page.text()).to.match(/<script src="\/tab\/mine\.js\?v=[0-9a-f]{16}"/);
  });

  it('answers a malformed incident id with 404 and no script', async () => {
    const page = await fetch(`${base}/tab/incidents/%3Cscript%3E`);
    expect(page.status).to.equal(404);
    expect(await page.text()).not.to.contain('<script');
  });
});
