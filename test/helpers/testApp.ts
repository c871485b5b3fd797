import { LOCAL } from '../../local/defaults.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../config.js';
import { startApp, type RunningApp, type StartOptions } from '../../server.js';
import type { Incident } from '../../models/incident/incident.js';
import { startLocalTeams, type LocalTeams } from '../../local/localTeams.js';
import { cardAction, teamsActivity, toBot } from '../../local/teamsActivities.js';
import { ALEX, type TestPerson } from './people.js';
import { testDatabase, type TestDatabase } from './database.js';

/** Local mode's tenant: the tab signs people in to it (its SSO tokens are for it alone), as real mode's to its own. */
export const TENANT = LOCAL.tenantId;
export { ALEX, toBot };

/** Fast retries and leases so tests exercise the same paths without waiting for minutes. */
const TEST_SETTINGS: Record<string, string> = {
  PORT: '0',
  LOG_LEVEL: 'silent',
  PROVISION_RETRY_BASE_MS: '10',
  PROVISION_RETRY_CAP_MS: '40',
  PROVISION_MAX_ATTEMPTS: '4',
};

export interface TestApp {
  readonly app: RunningApp;
  readonly local: LocalTeams;
  readonly db: TestDatabase;
  message(text: string, options?: { id?: string; from?: TestPerson; conversationId?: string }): Promise<Response>;
  invoke(verb: string, data: Record<string, unknown>, options?: { id?: string; replyToId?: string; from?: TestPerson }): Promise<{ status: number; body: any }>;
  /** Posts any Teams activity (over the defaults) and returns the HTTP answer. */
  send(fields: Record<string, unknown>): Promise<{ status: number; body: any }>;
  incidents(): Promise<Incident[]>;
  /** Starts a second app process on the same database and stand-ins (a replica, or a restart). */
  restart(settings?: Record<string, string>, options?: StartOptions): Promise<RunningApp>;
  close(): Promise<void>;
}

/** A Teams activity from the test tenant, through the local connector. */
export function activity(_app: RunningApp, local: LocalTeams, fields: Record<string, unknown>) {
  return teamsActivity({ serviceUrl: `${local.connector.url}/`, tenantId: TENANT }, fields);
}

/**
 * Settings for tests that declare more than a person may in an hour (the default limit is 10):
 * a tenant config with the limits lifted, and local mode's admin named as local mode does.
 */
export function generousLimits(): Record<string, string> {
  return { TENANT_CONFIG_FILE: tenantConfigFile({ default: { limits: { declaresPerPersonPerHour: 1000, declaresPerTenantPerHour: 10_000 }, access: { admins: [`user:${LOCAL.adminAadObjectId}`] } } }) };
}

/**
 * The built-in Security type run in a channel rather than privately: for tests of what a type does
 * to an incident's channel, checklist and broadcast (privacy has tests of its own).
 */
export function securityInAChannel(): Record<string, string> {
  return { TENANT_CONFIG_FILE: tenantConfigFile({ default: { types: { security: { privateByDefault: false } }, access: { admins: [`user:${LOCAL.adminAadObjectId}`] } } }) };
}

/** A TENANT_CONFIG_FILE with this content, in a folder of its own. */
export function tenantConfigFile(content: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'incident-room-test-')), 'tenants.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

export async function startTestApp(settings: Record<string, string> = {}, options: StartOptions = {}): Promise<TestApp> {
  const db = await testDatabase();
  const base = { ...TEST_SETTINGS, MONGODB_URI: db.uri, ...settings };
  const config = loadConfig(base);
  const local = await startLocalTeams(config, { anyPorts: true });
  const app = await startApp(config, { ...options, local });
  const extra: RunningApp[] = [];
  const post = (body: unknown) =>
    fetch(`${app.url}/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return {
    app,
    local,
    db,
    message: (text, o = {}) =>
      post(
        activity(app, local, {
          type: 'message',
          id: o.id ?? randomUUID(),
          from: o.from ?? ALEX,
          ...toBot(text),
          ...(o.conversationId ? { conversation: { id: o.conversationId, tenantId: TENANT, conversationType: 'channel' } } : {}),
        }),
      ),
    async invoke(verb, data, o = {}) {
      const response = await post(
        activity(app, local, {
          type: 'invoke',
          name: 'adaptiveCard/action',
          id: o.id ?? randomUUID(),
          from: o.from ?? ALEX,
          replyToId: o.replyToId,
          value: cardAction(verb, data),
        }),
      );
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async send(fields) {
      const response = await post(activity(app, local, { id: randomUUID(), from: ALEX, ...fields }));
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async incidents() {
      const found = await app.database.connection.collection('incidents').find({}).sort({ number: 1 }).toArray();
      return Promise.all(found.map(async (doc) => (await app.database.store.findById(String(doc._id)))!));
    },
    async restart(more = {}, startOptions = {}) {
      const again = await startApp(loadConfig({ ...base, ...more }), { ...startOptions, local });
      extra.push(again);
      return again;
    },
    async close() {
      for (const other of extra) await other.close();
      await app.close();
      await local.stop();
      await db.drop();
    },
  };
}

/** Polls until the check passes (returns a truthy value) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function provisioned(t: TestApp, count = 1): Promise<Incident[]> {
  return eventually(async () => {
    const all = await t.incidents();
    return all.length >= count && all.every((i) => i.provisioning.complete) ? all : undefined;
  }, 15_000, `${count} provisioned incident(s)`);
}
