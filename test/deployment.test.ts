import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';

/**
 * The container image and the compose setup cannot be built here (no Docker), so these check
 * what would break them: a runtime stage that misses a folder the server imports, a root user,
 * secrets or node_modules in the build context, replicas without a replica set or health checks.
 */
/** The folders of the product, all in the image; nothing from test/. */
const PRODUCT_FOLDERS = ['models', 'bot', 'adapters', 'http', 'tab', 'local', 'manifest', 'admin'];
/** Run by hand (the manifest build, the admin checks), not loaded by the server. */
const TOOLS = ['manifest', 'admin'];

describe('deployment files', () => {
  const dockerfile = readFileSync('Dockerfile', 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1)!;

  it('the image is multi-stage, small-based and runs as a non-root user', () => {
    expect(stages.length).to.be.at.least(2);
    expect(runtime).to.match(/^node:20-bookworm-slim AS runtime/);
    expect(runtime).to.match(/^USER node$/m);
    expect(runtime).to.not.match(/^COPY \. \./m);
    expect(runtime).to.match(/npm ci --omit=dev|production-deps/);
    expect(runtime).to.contain('HEALTHCHECK');
  });

  it('the runtime stage carries every folder the server loads', () => {
    const copied = [...runtime.matchAll(/^COPY .*?(\S+)\s+\.\/(\S*)$/gm)].map((m) => m[2]!.replace(/\/$/, '')).filter(Boolean);
    const loaded = new Set<string>();
    const visit = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) visit(path);
        else if (/\.tsx?$/.test(name)) {
          for (const m of readFileSync(path, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'|import\('(\.{1,2}\/[^']+)'\)/g)) {
            const target = relative('.', join(dir, m[1] ?? m[2]!));
            loaded.add(target.split('/')[0]!);
          }
        }
      }
    };
    for (const dir of PRODUCT_FOLDERS) visit(dir);
    for (const file of ['server.ts', 'config.ts']) for (const m of readFileSync(file, 'utf8').matchAll(/from '\.\/([^/']+)|import\('\.\/([^/']+)\//g)) loaded.add(m[1] ?? m[2]!);
    const needed = [...loaded].filter((p) => !/\.(js|ts)$/.test(p) || p === 'config.js').map((p) => p.replace(/\.js$/, '.ts'));
    expect(needed).to.include.members([...PRODUCT_FOLDERS.filter((f) => !TOOLS.includes(f)), 'config.ts']);
    expect(needed, 'the product loads nothing from test/').to.not.include('test');
    expect(runtime, 'the image carries no tests').to.not.match(/\/app\/test/);
    for (const path of needed) expect(copied.some((c) => path === c || path.startsWith(`${c}/`)) || runtime.includes(`/app/${path}`), `${path} is loaded but not in the runtime stage`).to.equal(true);
  });

  it('the build context leaves out secrets, dependencies and artifacts', () => {
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n');
    for (const entry of ['.env', 'node_modules', '.git', 'test-artifacts']) expect(ignored).to.include(entry);
  });

  it('compose runs two replicas on a MongoDB replica set behind a load balancer that checks readiness', () => {
    const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as { services: Record<string, any>; configs: Record<string, { content: string }> };
    const apps = Object.entries(compose.services).filter(([, s]) => s.build === '.');
    expect(apps.map(([name]) => name)).to.deep.equal(['app-1', 'app-2']);
    for (const [, app] of apps) {
      expect(app.environment.MONGODB_URI).to.match(/replicaSet=rs0/);
      expect(app.healthcheck.test.join(' ')).to.contain('/readyz');
      expect(app.stop_grace_period).to.equal('30s');
    }
    expect(compose.services['mongo-1'].command).to.include('--replSet');
    expect(compose.configs.caddyfile!.content).to.contain('reverse_proxy app-1:3978 app-2:3978').and.contain('health_uri /readyz');
  });

  it('compose runs MongoDB with authentication: a key file between members, passwords from .env, an app user limited to its database', () => {
    const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as { services: Record<string, any> };
    for (const member of ['mongo-1', 'mongo-2', 'mongo-3']) {
      const command = compose.services[member].command as string[];
      expect(command[command.indexOf('--keyFile') + 1], member).to.equal('/etc/mongo-keys/keyfile');
      expect(compose.services[member].volumes, member).to.include('mongo-keys:/etc/mongo-keys:ro');
    }
    expect(compose.services['mongo-keyfile'].command.join(' ')).to.contain('chmod 400');
    expect(compose.services['mongo-1'].environment.MONGO_INITDB_ROOT_PASSWORD).to.match(/^\$\{MONGO_ROOT_PASSWORD:\?/);
    const init = compose.services['mongo-init'].command.join(' ');
    expect(init).to.contain('-u root').and.contain("roles: [{ role: 'readWrite', db: 'incident-room' }]");
    for (const app of ['app-1', 'app-2']) expect(compose.services[app].environment.MONGODB_URI).to.match(/^mongodb:\/\/incident-room:\$\{MONGO_APP_PASSWORD:\?[^}]*\}@.*authSource=incident-room/);
    const example = readFileSync('.env.example', 'utf8');
    expect(example).to.match(/^MONGO_ROOT_PASSWORD=$/m).and.match(/^MONGO_APP_PASSWORD=$/m);
  });
});
