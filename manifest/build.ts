/**
 * `npm run manifest`: fills the manifest template from the configuration and packs the Teams app
 * zip (manifest.json + icons) into build/. Upload the zip in Teams admin center or Teams → Apps.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import JSZip from 'jszip';
import { loadConfig, readEnvironment, type Config } from '../config.js';
import { LOCAL } from '../local/defaults.js';
import { COMMANDS } from '../bot/commands.js';
import { ACTIVITY_TYPES } from '../models/actions/notifications.js';
import { manifestRsc } from '../adapters/graph/permissions.js';

const here = dirname(fileURLToPath(import.meta.url));
/** A placeholder bot id for local builds; real builds use MICROSOFT_APP_ID. */
export const LOCAL_BOT_ID = '00000000-0000-0000-0000-000000000001';

export async function buildManifest(config: Config): Promise<Record<string, unknown>> {
  const template = await readFile(join(here, 'manifest.template.json'), 'utf8');
  const packageJson = JSON.parse(await readFile(join(here, '..', 'package.json'), 'utf8')) as { version: string };
  const baseUrl = config.publicBaseUrl ?? `https://localhost:${config.port}`;
  const values: Record<string, string> = {
    VERSION: packageJson.version,
    TEAMS_APP_ID: config.teamsAppId ?? LOCAL.teamsAppId,
    BOT_ID: config.teams?.appId ?? LOCAL_BOT_ID,
    BASE_URL: baseUrl,
    HOST: new URL(baseUrl).host,
    // The tab's SSO audience: must equal the app registration's Application ID URI.
    SSO_RESOURCE: config.tabSso?.resource ?? `api://${new URL(baseUrl).host}/${config.teams?.appId ?? LOCAL_BOT_ID}`,
  };
  const filled = template.replace(/\$\{([A-Z_]+)\}/g, (match, name: string) => (name in values ? values[name]! : match));
  const manifest = JSON.parse(filled) as { bots: { commandLists: unknown }[] };
  // Teams shows these as suggestions when someone types @incident-room; same table as `help`.
  // Teams allows 10 commands per list; the table lists the most used first.
  const commands = COMMANDS.slice(0, 10).map((c) => ({ title: c.name, description: c.summary.slice(0, 128) }));
  manifest.bots[0]!.commandLists = [
    { scopes: ['team'], commands },
    { scopes: ['personal', 'groupChat'], commands },
  ];
  // The activity feed's types and templates come from the same table the notifications use.
  (manifest as unknown as { activities: { activityTypes: unknown } }).activities.activityTypes = Object.entries(ACTIVITY_TYPES).map(([type, t]) => ({ type, ...t }));
  // The RSC permissions come from the table of Graph operations (and the bot's own events).
  (manifest as unknown as { authorization: { permissions: { resourceSpecific: unknown } } }).authorization.permissions.resourceSpecific = manifestRsc().map((name) => ({ name, type: 'Application' }));
  return manifest;
}

export async function packManifest(config: Config, outDir = join(here, '..', 'build')): Promise<string> {
  const manifest = await buildManifest(config);
  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  zip.file('color.png', await readFile(join(here, 'icons', 'color.png')));
  zip.file('outline.png', await readFile(join(here, 'icons', 'outline.png')));
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, 'incident-room.zip');
  await writeFile(path, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  await writeFile(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return path;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = loadConfig(readEnvironment());
  const path = await packManifest(config);
  console.log(`Teams app package written to ${path}${config.mode === 'local' ? ' (local placeholders: set MICROSOFT_APP_ID, TEAMS_APP_ID and PUBLIC_BASE_URL for a real tenant)' : ''}`);
}
