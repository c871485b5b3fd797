/**
 * `npm run doctor [-- --json]`: the Teams admin's check of a deployment, on its own settings
 * (.env and the environment): each check's verdict and, where something is wrong, the fix.
 * Exits 1 when any check fails (warnings do not), so a pipeline can gate on it.
 */
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, readEnvironment, type Config } from '../config.js';
import { clientCredentialTokens, createGraphClient } from '../adapters/graph/graphClient.js';
import { openDiagnostics } from '../models/mongo/diagnostics.js';
import { runDoctor, type DoctorDeps, type Finding, type Verdict } from './doctorChecks.js';

const MARK: Record<Verdict, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skipped: 'skip' };

/** The deployment's own connections: its token, its Graph, its database. */
export function deploymentDeps(config: Config): DoctorDeps {
  if (!config.teams) throw new ConfigError(['doctor checks a real Teams deployment: MICROSOFT_APP_ID and the other Teams settings are not set (local mode has nothing to check)']);
  const tokens = clientCredentialTokens(config.teams, config.cloud);
  return { config, tokens, graph: createGraphClient(config.graphBaseUrl, tokens, 20_000), fetch, openDatabase: (uri) => openDiagnostics(uri), now: () => new Date() };
}

export function formatReport(findings: readonly Finding[]): string {
  const width = Math.max(...findings.map((f) => f.check.length));
  const lines = findings.flatMap((f) => [`${MARK[f.verdict]}  ${f.check.padEnd(width)}  ${f.detail}`, ...(f.fix && f.verdict !== 'ok' ? [`      ${' '.repeat(width)}  fix: ${f.fix}`] : [])]);
  const failed = findings.filter((f) => f.verdict === 'fail').length;
  const warned = findings.filter((f) => f.verdict === 'warn').length;
  lines.push('', failed === 0 ? `Ready${warned ? `, with ${warned} warning(s)` : ''}.` : `${failed} check(s) failed${warned ? `, ${warned} warning(s)` : ''}: fix them and run npm run doctor again.`);
  return lines.join('\n');
}

export async function doctor(env: Record<string, string | undefined>, options: { json: boolean }, deps?: (config: Config) => DoctorDeps): Promise<{ ok: boolean; output: string }> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const finding: Finding = { check: 'settings', verdict: 'fail', detail: error.message, fix: 'npm run check-config explains each setting.' };
    return { ok: false, output: options.json ? JSON.stringify({ ok: false, findings: [finding] }, null, 2) : formatReport([finding]) };
  }
  const findings = await runDoctor((deps ?? deploymentDeps)(config));
  const ok = findings.every((f) => f.verdict !== 'fail');
  return { ok, output: options.json ? JSON.stringify({ ok, findings }, null, 2) : formatReport(findings) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const result = await doctor(readEnvironment(), { json: process.argv.includes('--json') });
    console.log(result.output);
    process.exitCode = result.ok ? 0 : 1;
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
