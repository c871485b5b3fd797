/**
 * An app process of its own, for the crash tests: started with child_process.fork, it runs the
 * real server against stand-ins that live in the parent (by URL), on the parent's database, and
 * tells the parent its URL. The parent kills it with SIGKILL: no shutdown, no cleanup, like a
 * machine losing power.
 */
import { loadConfig } from '../../config.js';
import { startApp } from '../../server.js';
import type { LocalTeams } from '../../local/localTeams.js';

interface StandIns {
  readonly graphUrl: string;
  readonly connectorUrl: string;
  readonly entraUrl: string;
  readonly people: unknown[];
  readonly botAppId: string;
}

const settings = JSON.parse(process.env.APP_SETTINGS ?? '{}') as Record<string, string>;
const standIns = JSON.parse(process.env.STAND_INS ?? '{}') as StandIns;
// What startApp uses of the local Teams: the stand-ins' addresses (Entra's keys under its login host) and the sandbox people.
const entra = { url: standIns.entraUrl, jwksUrl: (tenantId: string) => `${standIns.entraUrl}/${tenantId}/discovery/v2.0/keys` };
const remote = { graph: { url: standIns.graphUrl }, connector: { url: standIns.connectorUrl }, entra, world: { people: standIns.people, botAppId: standIns.botAppId }, connectTrackerHooks: () => undefined, stop: async () => undefined } as unknown as LocalTeams;

const app = await startApp(loadConfig(settings), { local: remote });
process.send?.({ url: app.url });
