/**
 * `npm run check-config [file]`: the Teams admin's check of the settings before deploying them.
 */
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, readEnvironment } from '../config.js';
import { loadProfiles } from '../adapters/settingsFiles.js';
import { channelName } from '../models/warRoom/channelName.js';
import { BUILT_IN_PROFILE, CARD_TEXTS, type CardTextKey, type TenantProfile, type TenantProfiles } from '../models/incident/tenantProfile.js';
import { SEVERITIES } from '../models/incident/severity.js';
import { describePolicy } from '../models/access/policy.js';
import { describeIncidentTypes } from './describeTypes.js';
import { describeTracker, type NamedTracker } from '../trackerConfig.js';

/** Where a profile's post-mortem action items go, and the incident types that go elsewhere. */
function describeTracking(profile: TenantProfile, trackers: readonly NamedTracker[]): string {
  const pick = profile.tracker ?? 'default';
  const named = (name: string) => {
    const tracker = trackers.find((t) => t.name === name);
    return tracker ? `to the tracker "${name}" (${describeTracker(tracker.settings)})` : 'nowhere (no tracker; they stay in the post-mortem)';
  };
  const types = profile.types.list.filter((t) => t.tracker !== undefined && t.tracker !== pick).map((t) => `; type ${t.id}: ${t.tracker === 'none' ? 'none' : `"${t.tracker}"`}`);
  return `action items: ${pick === 'none' ? named('none') : named(pick)}${types.join('')}`;
}

/** One line per profile for `check-config`: what a channel, the severities and the checklists will look like. */
function describeProfile(profile: TenantProfile, trackers?: readonly NamedTracker[]): string[] {
  const example = channelName(profile.channelNamePattern, { number: 42, title: 'Checkout API returns 500s', severity: 'P1', declaredAt: new Date('2026-03-07T10:00:00Z') });
  const texts = (Object.keys(CARD_TEXTS) as CardTextKey[]).filter((key) => profile.texts[key] !== BUILT_IN_PROFILE.texts[key]);
  return [
    `channel names like "${example}" (pattern ${profile.channelNamePattern})`,
    `severities: ${SEVERITIES.map((s) => `${s} ${profile.severities[s].label}`).join(', ')}`,
    `checklists: ${SEVERITIES.map((s) => `${s} ${profile.sop[s].length} items`).join(', ')}`,
    `card texts: ${texts.length > 0 ? `changed ${texts.join(', ')}` : 'built-in'}`,
    `declaring: at most ${profile.limits.declaresPerPersonPerHour} incidents per person and ${profile.limits.declaresPerTenantPerHour} in all per hour (monitors are deduplicated instead)`,
    ...describeIncidentTypes(profile),
    ...(trackers ? [describeTracking(profile, trackers)] : []),
    'who may do what:',
    ...describePolicy(profile.access).map((line) => `  ${line}`),
  ];
}

/**
 * `npm run check-config [file]`: with a file, checks that tenant config file alone (before it is
 * deployed); without, checks every setting the app would start with (.env and the environment,
 * including the files they name). Prints each problem, or what each tenant will get.
 */
export function checkConfig(env: Record<string, string | undefined>, file?: string): { ok: boolean; lines: string[] } {
  let profiles: TenantProfiles;
  let trackers: readonly NamedTracker[] | undefined;
  const lines: string[] = [];
  if (file) {
    const problems: string[] = [];
    profiles = loadProfiles(file, problems);
    if (problems.length > 0) return { ok: false, lines: [`${file} has ${problems.length} problem(s):`, ...problems.map((p) => `  - ${p}`)] };
    lines.push(`${file} is valid.`);
  } else {
    try {
      const config = loadConfig(env);
      profiles = config.profiles;
      trackers = config.trackers;
      lines.push(`Settings are valid (${config.mode} mode).`, `TENANT_CONFIG_FILE: ${env.TENANT_CONFIG_FILE ?? 'not set (built-in names, severities, checklists, incident types and texts)'}`);
    } catch (error) {
      if (error instanceof ConfigError) return { ok: false, lines: [error.message] };
      throw error;
    }
  }
  lines.push('Every tenant without a section of its own:', ...describeProfile(profiles.fallback, trackers).map((l) => `  ${l}`));
  for (const tenant of profiles.tenants()) {
    lines.push(`Tenant ${tenant.id}${tenant.name ? ` (${tenant.name})` : ''}:`, ...describeProfile(tenant.profile, trackers).map((l) => `  ${l}`));
  }
  return { ok: true, lines };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  const result = checkConfig(file ? {} : readEnvironment(), file);
  (result.ok ? console.log : console.error)(result.lines.join('\n'));
  process.exitCode = result.ok ? 0 : 1;
}
