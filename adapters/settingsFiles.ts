/**
 * The settings that live in JSON files (TENANT_CONFIG_FILE, ONCALL_FILE): read, parsed by the
 * model's own parser, every problem named with the setting and the path. config.ts names the
 * files (from the environment); check-config reads a tenant file on its own.
 */
import { readFileSync } from 'node:fs';
import { TenantProfiles } from '../models/incident/tenantProfile.js';
import { parseOnCall, type OnCallSetup } from '../models/paging/oncall.js';

/** Undefined when unset or unusable (the problems say why). */
function loadJsonFile<T>(setting: string, path: string | undefined, parse: (json: unknown) => { value: T } | { problems: string[] }, problems: string[]): T | undefined {
  if (!path) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`${setting}: cannot read ${path} as JSON (${(error as Error).message})`);
    return undefined;
  }
  const parsed = parse(json);
  if ('problems' in parsed) problems.push(...parsed.problems.map((p) => `${setting} ${path}: ${p}`));
  return 'value' in parsed ? parsed.value : undefined;
}

/** TENANT_CONFIG_FILE: naming and templates, a default section and one per tenant (see models/tenantProfile.ts). */
export const loadProfiles = (path: string | undefined, problems: string[]): TenantProfiles =>
  loadJsonFile('TENANT_CONFIG_FILE', path, (json) => {
    const parsed = TenantProfiles.parse(json);
    return 'profiles' in parsed ? { value: parsed.profiles } : parsed;
  }, problems) ?? TenantProfiles.builtIn;

/** ONCALL_FILE: the rota, policy, timings and directory (see models/oncall.ts). */
export const loadOnCall = (path: string | undefined, problems: string[]): OnCallSetup | undefined =>
  loadJsonFile('ONCALL_FILE', path, (json) => {
    const parsed = parseOnCall(json);
    return 'setup' in parsed ? { value: parsed.setup } : parsed;
  }, problems);
