import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { checkConfig } from '../../admin/checkConfig.js';
import { describeIncidentTypes } from '../../admin/describeTypes.js';
import { BUILT_IN_PROFILE } from '../../models/incident/tenantProfile.js';

const CONTOSO = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('npm run check-config: what each incident type gets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'check-config-types-'));
  const file = (name: string, json: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(json));
    return path;
  };

  it('describes the built-in types: severity, privacy, channel names, checklist sizes, roles, broadcast, paging, fields', () => {
    const lines = describeIncidentTypes(BUILT_IN_PROFILE);
    expect(lines[0]).to.equal('incident types (`declare … --type <id>`):');
    const text = lines.join('\n');
    expect(text).to.contain('  service-outage: Service outage (the default) — default severity P2 Minor, public (private with --private)');
    expect(text).to.contain('    channel names like "inc-42-checkout-api-returns-500s" (pattern inc-{number}-{slug})');
    expect(text).to.contain("    checklist: the severity's list (P0 16, P1 16, P2 13, P3 6 items)");
    expect(text).to.contain('    broadcast: the whole incident (title, status, updates); when private: nothing');
    expect(text).to.contain('  security: Security — default severity P1 Major, private by default');
    expect(text).to.contain('    channel names like "sec-42" (pattern sec-{number})');
    expect(text).to.contain("    checklist: the severity's list plus 5 items of its own (P0 21, P1 21, P2 18, P3 11 items)");
    expect(text).to.contain('    before closing: Incident Commander, Technical lead');
    expect(text).to.contain('    broadcast: one line without title or details');
    expect(text).to.contain('    extra fields: Attack vector (one of Phishing | Stolen credentials | Malware | Exploited vulnerability | Insider | Unknown); Affected systems (text, at most 500 characters)');
    expect(text).to.contain('    extra fields: Records affected (a whole number of at least 0, in records); Kind of data');
    expect(text).to.contain('    checklist: its own 5 items at every severity');
    expect(text).to.contain('    pages: nobody');
    expect(text).to.contain('    pages: the on-call rota and escalation policy (ONCALL_FILE, or PagerDuty)');
  });

  it('passes the example file in docs/, with its types', () => {
    const result = checkConfig({}, 'docs/tenant-config.example.json');
    expect(result.ok, result.lines.join('\n')).to.equal(true);
    const text = result.lines.join('\n');
    expect(text).to.contain('    hr: People matter — default severity P2 Sev 3, private by default');
    expect(text).to.contain('      pages: its own policy "security on-call" (2 levels)');
  });

  it('shows a tenant its own types from the file, and each problem of a bad one with its place', () => {
    const good = file('types.json', {
      default: { channelNamePattern: 'incident-{number}-{slug}' },
      tenants: {
        [CONTOSO]: {
          name: 'Contoso',
          types: {
            hr: {
              label: 'People matter',
              privateByDefault: true,
              broadcast: 'none',
              requiredRoles: [],
              paging: { name: 'HR on call', levels: [{ target: { people: [{ id: '29:hr', name: 'HR desk' }] } }], pagerDutyRoutingKey: 'b'.repeat(32) },
              checklist: { mode: 'replace', items: [{ id: 'call-hr', phase: 'First', text: 'Call HR.' }] },
              fields: [{ id: 'team', label: 'Team', kind: 'choice', options: ['Sales', 'Engineering'], required: true }],
            },
            'internal-tooling': null,
          },
          defaultType: 'hr',
        },
      },
    });
    const result = checkConfig({}, good);
    expect(result.ok).to.equal(true);
    const text = result.lines.join('\n');
    const contoso = text.slice(text.indexOf(`Tenant ${CONTOSO} (Contoso):`));
    expect(contoso).to.contain('    hr: People matter (the default) — default severity P2 Minor, private by default');
    expect(contoso).to.contain('      channel names like "incident-42-checkout-api-returns-500s" (pattern incident-{number}-{slug})');
    expect(contoso).to.contain('      checklist: its own 1 item at every severity');
    expect(contoso).to.contain('      before closing: no roles required');
    expect(contoso).to.contain('      broadcast: nothing');
    expect(contoso).to.contain('      pages: its own policy "HR on call" (1 level, its own PagerDuty service)');
    expect(contoso).to.contain('      extra fields: Team (one of Sales | Engineering, required)');
    expect(contoso).not.to.contain('internal-tooling');
    // Tenants without a section still get every built-in type.
    expect(text.slice(0, text.indexOf('Tenant '))).to.contain('internal-tooling: Internal tooling');

    const bad = checkConfig({}, file('bad-types.json', { tenants: { [CONTOSO]: { types: { hr: { broadcast: 'none' } }, defaultType: 'hr' } } }));
    expect(bad.ok).to.equal(false);
    expect(bad.lines.join('\n')).to.contain(`tenants.${CONTOSO}.types.hr: a new type needs a "label"`).and.contain(`tenants.${CONTOSO}.defaultType: there is no type "hr"`);
  });
});
