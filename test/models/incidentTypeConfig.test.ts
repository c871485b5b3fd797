import { expect } from 'chai';
import { BUILT_IN_TYPES, typeById, type IncidentType } from '../../models/incident/incidentTypes.js';
import { BUILT_IN_PROFILE, TenantProfiles } from '../../models/incident/tenantProfile.js';

const CONTOSO = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const FABRIKAM = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const ROUTING_KEY = 'a'.repeat(32);

function parse(json: unknown): TenantProfiles {
  const parsed = TenantProfiles.parse(json);
  if ('problems' in parsed) throw new Error(parsed.problems.join('\n'));
  return parsed.profiles;
}
function problems(json: unknown): string {
  const parsed = TenantProfiles.parse(json);
  return 'problems' in parsed ? parsed.problems.join('\n') : '';
}
const typeIn = (profiles: TenantProfiles, tenantId: string | undefined, id: string): IncidentType | undefined => typeById(profiles.for(tenantId).types, id);
const builtIn = (id: string) => typeById(BUILT_IN_TYPES, id)!;

describe('incident types in TENANT_CONFIG_FILE', () => {
  it('gives every tenant the built-in types when the file names none', () => {
    expect(parse({}).for(CONTOSO).types).to.equal(BUILT_IN_TYPES);
    expect(BUILT_IN_PROFILE.types).to.equal(BUILT_IN_TYPES);
  });

  it('overrides only the keys a layer names, layer over layer (built-in ← default ← tenant)', () => {
    const profiles = parse({
      default: { types: { security: { defaultSeverity: 'P0', channelNamePattern: 'secops-{number}' } } },
      tenants: { [CONTOSO]: { types: { security: { label: 'Security (SOC)', requiredRoles: ['commander', 'communications'] } } } },
    });
    const contoso = typeIn(profiles, CONTOSO, 'security')!;
    expect(contoso).to.deep.equal({ ...builtIn('security'), defaultSeverity: 'P0', channelNamePattern: 'secops-{number}', label: 'Security (SOC)', requiredRoles: ['commander', 'communications'] });
    expect(typeIn(profiles, FABRIKAM, 'security')).to.deep.equal({ ...builtIn('security'), defaultSeverity: 'P0', channelNamePattern: 'secops-{number}' });
    expect(typeIn(profiles, CONTOSO, 'data-incident')).to.deep.equal(builtIn('data-incident'));
  });

  it('replaces a named checklist and field list whole, and resets a channel pattern with null', () => {
    const profiles = parse({
      default: {
        types: {
          security: {
            checklist: { mode: 'replace', items: [{ id: 'call-soc', phase: 'First', text: 'Call the SOC.' }] },
            fields: [{ id: 'ticket', label: 'SOC ticket', kind: 'text' }],
            channelNamePattern: null,
          },
        },
      },
    });
    const security = typeIn(profiles, undefined, 'security')!;
    expect(security.checklist).to.deep.equal({ mode: 'replace', items: [{ id: 'call-soc', phase: 'First', text: 'Call the SOC.' }] });
    // Field defaults are filled in: optional, 500 characters, one line.
    expect(security.fields).to.deep.equal([{ id: 'ticket', label: 'SOC ticket', kind: 'text', required: false, maxLength: 500, multiline: false }]);
    expect(security).not.to.have.property('channelNamePattern');
  });

  it('adds a new type with defaults for what it does not name, and its own paging policy', () => {
    const profiles = parse({
      default: {
        types: {
          hr: {
            label: 'People matter',
            privateByDefault: true,
            broadcast: 'none',
            paging: { name: 'HR on call', levels: [{ target: { people: [{ id: '29:hr', name: 'HR desk' }] } }, { target: 'secondary', label: 'backup' }], pagerDutyRoutingKey: ROUTING_KEY },
            fields: [{ id: 'team', label: 'Team', kind: 'choice', options: ['Sales', 'Engineering'], required: true }],
          },
        },
        defaultType: 'hr',
      },
    });
    const types = profiles.for(CONTOSO).types;
    expect(types.list.map((t) => t.id)).to.deep.equal(['service-outage', 'security', 'data-incident', 'internal-tooling', 'hr']);
    expect(types.defaultId).to.equal('hr');
    expect(typeById(types, 'hr')).to.deep.equal({
      id: 'hr',
      label: 'People matter',
      description: '',
      defaultSeverity: 'P2',
      checklist: { mode: 'add', items: [] },
      requiredRoles: ['commander'],
      privateByDefault: true,
      privateInMetrics: 'counted',
      broadcast: 'none',
      paging: { kind: 'policy', name: 'HR on call', levels: [{ target: { people: [{ id: '29:hr', name: 'HR desk' }] } }, { target: 'secondary', label: 'backup' }], pagerDutyRoutingKey: ROUTING_KEY },
      fields: [{ id: 'team', label: 'Team', kind: 'choice', options: ['Sales', 'Engineering'], required: true }],
    });
    expect(profiles.typeOf({ tenantId: CONTOSO })).to.equal(typeById(types, 'hr'));
    expect(profiles.typeOf({ tenantId: CONTOSO, type: 'security' }).id).to.equal('security');
    expect(typeIn(parse({ default: { types: { security: { paging: 'none' } } } }), undefined, 'security')!.paging).to.deep.equal({ kind: 'none' });
  });

  it('removes a type with null, but never the default without naming another', () => {
    const profiles = parse({ tenants: { [CONTOSO]: { types: { 'internal-tooling': null, 'service-outage': null }, defaultType: 'security' } } });
    expect(profiles.for(CONTOSO).types.list.map((t) => t.id)).to.deep.equal(['security', 'data-incident']);
    expect(profiles.typeOf({ tenantId: CONTOSO, type: 'internal-tooling' }).id).to.equal('security');
    expect(profiles.for(FABRIKAM).types).to.equal(BUILT_IN_TYPES);
    expect(problems({ default: { types: { 'service-outage': null } } })).to.equal('default.types.service-outage: "service-outage" is the default type; set "defaultType" to another type before removing it');
  });

  it('names the problems only the layers together show, with their place in the file', () => {
    expect(problems({ tenants: { [CONTOSO]: { types: { hr: { description: 'no label' } } } } })).to.contain(`tenants.${CONTOSO}.types.hr: a new type needs a "label"`);
    expect(problems({ default: { types: { tooling: null } } })).to.contain('default.types.tooling: there is no type "tooling" to remove; the types are service-outage, security');
    expect(problems({ default: { defaultType: 'outage' } })).to.contain('default.defaultType: there is no type "outage"');
    expect(problems({ default: { types: { hr: { label: 'security' } } } })).to.contain('default.types: two types are labelled "security"');
    const many = Object.fromEntries(Array.from({ length: 27 }, (_, n) => [`t${n}`, { label: `Type ${n}` }]));
    expect(problems({ default: { types: many } })).to.contain('default.types: 31 types; at most 30');
  });

  it('refuses what the file gets wrong, each problem with its path', () => {
    const text = problems({
      default: {
        types: {
          'Bad Id': {},
          security: {
            channelNamePattern: 'sec-{slug}',
            requiredRoles: ['commander', 'commander'],
            checklist: { mode: 'append', items: [] },
            broadcast: 'loud',
            paging: 'pagerduty',
            colour: 'red',
            fields: [
              { id: 'Vector', label: 'V', kind: 'text' },
              { id: 'x', label: 'X', kind: 'date' },
              { id: 'c', label: 'C', kind: 'choice', options: ['Yes', 'yes'] },
              { id: 'd', label: 'D', kind: 'choice', options: ['only'] },
              { id: 'n', label: 'N', kind: 'number', min: 5, max: 1 },
              { id: 't', label: 'T', kind: 'text', maxLength: 5000, options: ['a', 'b'] },
            ],
          },
          data: { label: 'Data', paging: { name: 'p', levels: [], pagerDutyRoutingKey: 'short' } },
          dupes: { label: 'Dupes', fields: [{ id: 'a', label: 'A', kind: 'person' }, { id: 'a', label: 'B', kind: 'person' }] },
        },
      },
    });
    expect(text).to.contain('default.types.Bad Id: type ids are lowercase letters, digits and dashes');
    expect(text).to.contain('default.types.security.channelNamePattern: the pattern must contain {number}');
    expect(text).to.contain('default.types.security.requiredRoles: a role appears twice');
    expect(text).to.match(/default\.types\.security\.checklist\.mode: /);
    expect(text).to.match(/default\.types\.security\.broadcast: /);
    expect(text).to.contain('default.types.security.paging: paging is "default"');
    expect(text).to.match(/default\.types\.security: .*colour/);
    expect(text).to.contain('default.types.security.fields.0.id: field ids are lowercase letters');
    expect(text).to.contain('default.types.security.fields.1.kind: each field needs a "kind": text, choice, person, number');
    expect(text).to.contain('default.types.security.fields.2.options: option "yes" appears twice');
    expect(text).to.contain('default.types.security.fields.3.options: a choice needs at least two options');
    expect(text).to.contain('default.types.security.fields.4.min: min must not be above max');
    expect(text).to.match(/default\.types\.security\.fields\.5\.maxLength: /);
    expect(text).to.match(/default\.types\.security\.fields\.5: .*options/);
    expect(text).to.contain('default.types.data.paging.levels: the escalation policy needs at least one level');
    expect(text).to.contain('default.types.data.paging.pagerDutyRoutingKey: the 32-character integration key');
    expect(text).to.contain('default.types.dupes.fields: field id "a" appears twice');
  });

  it('accepts its own built-in types written out in the file (the file rules and the built-ins agree)', () => {
    const written = Object.fromEntries(
      BUILT_IN_TYPES.list.map(({ id, paging, ...rest }) => [id, { ...rest, paging: paging.kind === 'policy' ? paging : paging.kind }]),
    );
    expect(parse({ default: { types: written, defaultType: BUILT_IN_TYPES.defaultId } }).for(undefined).types).to.deep.equal(BUILT_IN_TYPES);
  });
});
