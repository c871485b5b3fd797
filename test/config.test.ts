import { spawnSync } from 'node:child_process';
import { configProblems } from './helpers/configProblems.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../config.js';
import { checkConfig } from '../admin/checkConfig.js';

const REAL = {
  MICROSOFT_APP_ID: '11111111-2222-3333-4444-555555555555',
  MICROSOFT_APP_PASSWORD: 'secret',
  MICROSOFT_APP_TENANT_ID: '66666666-7777-8888-9999-000000000000',
  TEAMS_TEAM_ID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  TEAMS_APP_CATALOG_ID: 'catalog-id',
  MONGODB_URI: 'mongodb://db.example:27017/incident-room',
  PUBLIC_BASE_URL: 'https://incidents.example.com/',
};

const problems = configProblems;

describe('config', () => {
  it('runs in local mode with no settings at all', () => {
    const config = loadConfig({});
    expect(config).to.include({ mode: 'local', port: 3978, host: '127.0.0.1' });
    expect(config.profiles.for('any-tenant').channelNamePattern).to.equal('inc-{number}-{slug}');
    expect(config.teams).to.equal(undefined);
    expect(config.mongodbUri).to.equal(undefined);
  });

  it('reads a complete real-mode configuration', () => {
    const config = loadConfig(REAL);
    expect(config).to.include({ mode: 'real', publicBaseUrl: 'https://incidents.example.com', teamId: REAL.TEAMS_TEAM_ID, host: '0.0.0.0' });
    expect(config.teams).to.deep.equal({ appId: REAL.MICROSOFT_APP_ID, appPassword: 'secret', tenantId: REAL.MICROSOFT_APP_TENANT_ID });
  });

  it('keeps the tenant id in lower case, as Entra and Teams write it (incidents from monitors and from Teams land in one tenant)', () => {
    const config = loadConfig({ ...REAL, MICROSOFT_APP_TENANT_ID: REAL.MICROSOFT_APP_TENANT_ID.replace(/^6/, 'A').toUpperCase() });
    expect(config.teams!.tenantId).to.equal(REAL.MICROSOFT_APP_TENANT_ID.replace(/^6/, 'a'));
  });

  it('names every missing real-mode setting at once', () => {
    const found = problems({ MICROSOFT_APP_ID: REAL.MICROSOFT_APP_ID });
    for (const name of ['MICROSOFT_APP_PASSWORD', 'MICROSOFT_APP_TENANT_ID', 'TEAMS_TEAM_ID', 'TEAMS_APP_CATALOG_ID', 'MONGODB_URI', 'PUBLIC_BASE_URL']) {
      expect(found.join('\n')).to.contain(name);
    }
  });

  it('explains malformed values', () => {
    expect(problems({ PORT: 'eighty' }).join()).to.match(/^PORT: /);
    expect(problems({ MONGODB_URI: 'postgres://x' }).join()).to.contain('must start with mongodb://');
    expect(problems({ ...REAL, MICROSOFT_APP_ID: 'not-a-guid' }).join()).to.contain('MICROSOFT_APP_ID must be a GUID');
    expect(problems({ ...REAL, PUBLIC_BASE_URL: 'http://incidents.example.com' }).join()).to.contain('must be https://');
  });

  it('takes the local sandbox directory from LOCAL_PEOPLE and explains a bad one', () => {
    expect(loadConfig({}).local.people).to.have.length(5);
    expect(loadConfig({ LOCAL_PEOPLE: ' Ana Ruiz, Bo Chen ,Chloé Martin' }).local.people).to.deep.equal(['Ana Ruiz', 'Bo Chen', 'Chloé Martin']);
    expect(problems({ LOCAL_PEOPLE: ' , ' }).join()).to.match(/LOCAL_PEOPLE: list 1 to 100 names/);
    expect(problems({ LOCAL_PEOPLE: 'Ana, <script>' }).join()).to.match(/"<script>" is not a plain name/);
    expect(problems({ LOCAL_PEOPLE: 'Ana, ana' }).join()).to.match(/unique/);
  });

  it('refuses local mode in production unless explicitly allowed', () => {
    expect(problems({ NODE_ENV: 'production' }).join()).to.contain('refused with NODE_ENV=production');
    expect(loadConfig({ NODE_ENV: 'production', ALLOW_LOCAL_MODE_IN_PRODUCTION: 'true' }).mode).to.equal('local');
  });

  it('never puts the secret in its error message', () => {
    const message = (() => {
      try {
        loadConfig({ ...REAL, TEAMS_TEAM_ID: '' });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(message).to.contain('TEAMS_TEAM_ID').and.not.contain('secret');
  });

  it('reads the on-call file, the alert and pager settings, and names every problem in them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    const good = join(dir, 'oncall.json');
    writeFileSync(good, JSON.stringify({ rota: { people: [{ id: '29:a', name: 'Ana' }] } }));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ rota: { people: [] }, policy: [] }));
    const local = loadConfig({ ONCALL_FILE: good, ALERT_SEVERITY_MAP: 'critical=P0, page=p1', ALERT_DEFAULT_SEVERITY: 'sev3' });
    expect(local.onCall!.rota.people).to.have.length(1);
    expect(local.alerts.severityWords).to.include({ critical: 'P0', page: 'P1', warning: 'P2' });
    expect(local.alerts.defaultSeverity).to.equal('P3');
    expect(local.alerts.secrets).to.deep.equal({ generic: 'local-alert-secret', alertmanager: 'local-alert-secret', grafana: 'local-alert-secret' });
    expect(local.pager).to.deep.equal({ kind: 'rota' });

    const found = problems({ ONCALL_FILE: bad, ALERT_SEVERITY_MAP: 'critical', ALERT_DEFAULT_SEVERITY: 'urgent' }).join('\n');
    expect(found).to.contain('ALERT_SEVERITY_MAP: "critical" is not word=P0..P3').and.contain('ALERT_DEFAULT_SEVERITY: must be one of P0, P1, P2, P3');
    expect(problems({ ONCALL_FILE: bad }).join('\n')).to.contain(`ONCALL_FILE ${bad}: rota.people: the rota needs at least one person`).and.contain('policy: the escalation policy needs at least one level');
    expect(problems({ ONCALL_FILE: join(dir, 'missing.json') })[0]).to.match(/^ONCALL_FILE: cannot read .*missing\.json as JSON/);

    const real = problems({ ...REAL, PAGER: 'pagerduty', ALERT_SECRET_GRAFANA: 'short', PAGERDUTY_WEBHOOK_SECRET: 'x' }).join('\n');
    expect(real).to.contain('PAGERDUTY_ROUTING_KEY is required with PAGER=pagerduty').and.contain('ALERT_SECRET_GRAFANA must be at least 16 characters').and.contain('PAGERDUTY_WEBHOOK_SECRET must be');
    expect(real).not.to.contain('short');
    const pd = loadConfig({ ...REAL, PAGER: 'pagerduty', PAGERDUTY_ROUTING_KEY: 'a'.repeat(32) });
    expect(pd.pager).to.deep.include({ kind: 'pagerduty', eventsUrl: 'https://events.pagerduty.com', webhookSecret: undefined });
    expect(pd.alerts.secrets).to.deep.equal({}, 'real mode: a webhook without its secret is off');
  });

  describe('TENANT_CONFIG_FILE and npm run check-config', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenant-config-'));
    const file = (name: string, json: unknown) => {
      const path = join(dir, name);
      writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json));
      return path;
    };
    const good = () => file('good.json', { default: { channelNamePattern: 'issue-{slug}-{number}' }, tenants: { '72f988bf-86f1-41af-91ab-2d7cd011db47': { name: 'Contoso', severities: { P0: { label: 'Sev 1' } } } } });

    it('loads the per-tenant naming and templates at start', () => {
      const config = loadConfig({ TENANT_CONFIG_FILE: good() });
      expect(config.profiles.for('72f988bf-86f1-41af-91ab-2d7cd011db47').severities.P0.label).to.equal('Sev 1');
      expect(config.profiles.for('someone-else').channelNamePattern).to.equal('issue-{slug}-{number}');
    });

    it('refuses to start on a bad file, naming the setting, the file and the place', () => {
      const bad = file('bad.json', { default: { channelNamePattern: 'x-{slug}' } });
      expect(problems({ TENANT_CONFIG_FILE: bad }).join()).to.contain(`TENANT_CONFIG_FILE ${bad}: default.channelNamePattern: the pattern must contain {number}`);
      expect(problems({ TENANT_CONFIG_FILE: file('broken.json', '{ "default": ') }).join()).to.match(/TENANT_CONFIG_FILE: cannot read .* as JSON/);
      expect(problems({ TENANT_CONFIG_FILE: join(dir, 'missing.json') }).join()).to.match(/TENANT_CONFIG_FILE: cannot read/);
    });

    it('says where the old separate settings went', () => {
      expect(problems({ CHANNEL_NAME_PATTERN: 'inc-{number}' }).join()).to.contain('CHANNEL_NAME_PATTERN is no longer read: put it in the TENANT_CONFIG_FILE ("channelNamePattern"');
      expect(problems({ SOP_FILE: 'sop.json' }).join()).to.contain('SOP_FILE is no longer read: put it in the TENANT_CONFIG_FILE ("checklists"');
    });

    it('checks a file alone, or every setting, and says what each tenant will get', () => {
      const alone = checkConfig({}, good());
      expect(alone.ok).to.equal(true);
      const text = alone.lines.join('\n');
      expect(text).to.contain('is valid');
      expect(text).to.contain('channel names like "issue-checkout-api-returns-500s-42"');
      expect(text).to.contain('Tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 (Contoso):');
      expect(text).to.contain('severities: P0 Sev 1, P1 Major');

      const bad = checkConfig({}, file('bad2.json', { tenants: { contoso: {} } }));
      expect(bad.ok).to.equal(false);
      expect(bad.lines.join('\n')).to.contain('1 problem(s)').and.contain('tenants.contoso: tenant keys are Entra tenant ids');

      expect(checkConfig({ TENANT_CONFIG_FILE: good() }).lines[0]).to.equal('Settings are valid (local mode).');
      const settings = checkConfig({ MICROSOFT_APP_ID: REAL.MICROSOFT_APP_ID });
      expect(settings.ok).to.equal(false);
      expect(settings.lines.join()).to.contain('MICROSOFT_APP_PASSWORD is required');
    });

    it('npm run check-config exits 1 with the problems on stderr, 0 with the summary on stdout', () => {
      const run = (path: string) => spawnSync(process.execPath, ['--no-deprecation', '--import', 'tsx', 'admin/checkConfig.ts', path], { encoding: 'utf8' });
      const failed = run(file('bad3.json', { default: { texts: { meetingSubject: '{nope}' } } }));
      expect(failed.status).to.equal(1);
      expect(failed.stderr).to.contain('default.texts.meetingSubject: unknown placeholder(s) {nope}');
      const passed = run(good());
      expect(passed.status).to.equal(0);
      expect(passed.stdout).to.contain('Tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 (Contoso)');
    });
  });

  describe('national clouds (CLOUD and each endpoint on its own)', () => {
    it('uses the public cloud by default, and each preset’s documented hosts', () => {
      const publicCloud = loadConfig(REAL);
      expect(publicCloud.cloud).to.deep.include({ name: 'public', authorityHost: 'https://login.microsoftonline.com', graphBaseUrl: 'https://graph.microsoft.com', botTokenIssuer: 'https://api.botframework.com' });
      expect(publicCloud.tabSso!.jwksUrl).to.equal(`https://login.microsoftonline.com/${REAL.MICROSOFT_APP_TENANT_ID}/discovery/v2.0/keys`);
      const high = loadConfig({ ...REAL, CLOUD: 'usgovhigh' });
      expect(high.cloud).to.deep.include({ authorityHost: 'https://login.microsoftonline.us', graphBaseUrl: 'https://graph.microsoft.us', botOAuthScope: 'https://api.botframework.us', botServiceUrl: 'https://smba.infra.gov.teams.microsoft.us/teams/' });
      expect(high.graphBaseUrl).to.equal('https://graph.microsoft.us');
      expect(high.tabSso!.jwksUrl).to.equal(`https://login.microsoftonline.us/${REAL.MICROSOFT_APP_TENANT_ID}/discovery/v2.0/keys`);
      expect(loadConfig({ ...REAL, CLOUD: 'usgovdod' }).cloud.graphBaseUrl).to.equal('https://dod-graph.microsoft.us');
      expect(loadConfig({ ...REAL, CLOUD: 'usgov' }).cloud).to.deep.include({ graphBaseUrl: 'https://graph.microsoft.com', botServiceUrl: 'https://smba.infra.gcc.teams.microsoft.com/teams/' });
      expect(loadConfig({ ...REAL, CLOUD: 'china' }).cloud).to.deep.include({ authorityHost: 'https://login.partner.microsoftonline.cn', graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn' });
    });

    it('lets every endpoint be set on its own, over the preset', () => {
      const custom = loadConfig({
        ...REAL, CLOUD: 'usgovhigh', ENTRA_AUTHORITY_HOST: 'https://login.example/', GRAPH_BASE_URL: 'https://graph.example/', BOT_OPENID_METADATA_URL: 'https://bf.example/meta',
        BOT_TOKEN_ISSUER: 'https://issuer.example', BOT_LOGIN_URL: 'https://login.example/bf', BOT_OAUTH_SCOPE: 'https://bf.example', BOT_SERVICE_URL: 'https://smba.example/teams/', TAB_SSO_JWKS_URL: 'https://keys.example/keys',
      });
      expect(custom.cloud).to.deep.equal({
        name: 'usgovhigh', authorityHost: 'https://login.example', graphBaseUrl: 'https://graph.example', botOpenIdMetadataUrl: 'https://bf.example/meta',
        botTokenIssuer: 'https://issuer.example', botLoginUrl: 'https://login.example/bf', botOAuthScope: 'https://bf.example', botServiceUrl: 'https://smba.example/teams/', teamsClientHosts: ['gov.teams.microsoft.us'],
      });
      expect(custom.tabSso).to.deep.include({ jwksUrl: 'https://keys.example/keys', authorityHost: 'https://login.example' });
    });

    it('refuses an unknown cloud or a malformed endpoint, naming the setting', () => {
      expect(problems({ ...REAL, CLOUD: 'mars' }).join()).to.contain('CLOUD').and.contain('usgovhigh');
      expect(problems({ ...REAL, BOT_LOGIN_URL: 'not a url' }).join()).to.contain('BOT_LOGIN_URL');
    });
  });

  describe('logging', () => {
    it('reads pretty lines in local mode and JSON in real mode, polling off, unless told otherwise', () => {
      expect(loadConfig({}).logging).to.deep.equal({ level: 'info', format: 'pretty', polling: false });
      expect(loadConfig(REAL).logging).to.deep.equal({ level: 'info', format: 'json', polling: false });
      expect(loadConfig({ LOG_FORMAT: 'json', LOG_LEVEL: 'debug', LOG_POLLING: 'true' }).logging).to.deep.equal({ level: 'debug', format: 'json', polling: true });
      expect(loadConfig({ ...REAL, LOG_FORMAT: 'pretty' }).logging.format).to.equal('pretty');
    });

    it('refuses a format, level or polling switch it does not know, saying what it may be', () => {
      expect(problems({ LOG_FORMAT: 'yaml' })).to.deep.equal(['LOG_FORMAT: must be pretty (one readable line per entry) or json (one JSON object per line, for log pipelines)']);
      expect(problems({ LOG_POLLING: 'yes' })).to.deep.equal(['LOG_POLLING: must be true (log polling and health-check requests) or false']);
      expect(problems({ ...REAL, LOG_LEVEL: 'verbose' })).to.deep.equal(['LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent']);
    });
  });
});
