import { expect } from 'chai';
import { BUILT_IN_PROFILE, fillText, TenantProfiles } from '../../models/incident/tenantProfile.js';

const CONTOSO = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const FABRIKAM = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

function parse(json: unknown): TenantProfiles {
  const parsed = TenantProfiles.parse(json);
  if ('problems' in parsed) throw new Error(parsed.problems.join('\n'));
  return parsed.profiles;
}

function problems(json: unknown): string[] {
  const parsed = TenantProfiles.parse(json);
  return 'problems' in parsed ? parsed.problems : [];
}

describe('tenant profiles (naming and templates per tenant)', () => {
  it('layers built-in ← default ← tenant, each overriding only what it names', () => {
    const profiles = parse({
      default: { channelNamePattern: 'incident-{number}-{slug}', severities: { P1: { label: 'High' } }, texts: { broadcastFooter: 'Ask in the thread.' } },
      tenants: {
        [CONTOSO]: {
          name: 'Contoso',
          channelNamePattern: 'issue-{slug}-{dd}{mm}-{number}',
          severities: { P1: { definition: 'Checkout is degraded.' } },
          checklists: { P3: [{ id: 'context', phase: 'Context', text: 'What broke?' }] },
        },
      },
    });
    const contoso = profiles.for(CONTOSO);
    expect(contoso.channelNamePattern).to.equal('issue-{slug}-{dd}{mm}-{number}');
    // the default's label stays; the tenant's definition replaces the built-in one; the colour is built-in
    expect(contoso.severities.P1).to.deep.equal({ label: 'High', definition: 'Checkout is degraded.', colour: BUILT_IN_PROFILE.severities.P1.colour });
    expect(contoso.severities.P0).to.deep.equal(BUILT_IN_PROFILE.severities.P0);
    expect(contoso.sop.P3.map((i) => i.id)).to.deep.equal(['context']);
    expect(contoso.sop.P1).to.deep.equal(BUILT_IN_PROFILE.sop.P1);
    expect(contoso.texts.broadcastFooter).to.equal('Ask in the thread.');
    expect(contoso.texts.meetingSubject).to.equal(BUILT_IN_PROFILE.texts.meetingSubject);

    // Another tenant, or none, gets the default section; tenant ids match whatever their case.
    expect(profiles.for(FABRIKAM).channelNamePattern).to.equal('incident-{number}-{slug}');
    expect(profiles.for(undefined).severities.P1.label).to.equal('High');
    expect(profiles.for(CONTOSO.toUpperCase()).channelNamePattern).to.equal('issue-{slug}-{dd}{mm}-{number}');
    expect(profiles.tenants()).to.deep.equal([{ id: CONTOSO, name: 'Contoso', profile: contoso }]);
    // An incident's words: its own level, or the one it is moving to; its checklist.
    expect(profiles.severityOf({ tenantId: CONTOSO, severity: 'P1' }).definition).to.equal('Checkout is degraded.');
    expect(profiles.severityOf({ tenantId: CONTOSO, severity: 'P1' }, 'P0')).to.deep.equal(BUILT_IN_PROFILE.severities.P0);
    expect(profiles.checklistOf({ tenantId: CONTOSO, severity: 'P3' }).map((i) => i.id)).to.deep.equal(['context']);
  });

  it('an empty file means the built-ins everywhere', () => {
    expect(parse({}).for(CONTOSO)).to.deep.equal(BUILT_IN_PROFILE);
    expect(TenantProfiles.builtIn.for(CONTOSO)).to.equal(BUILT_IN_PROFILE);
  });

  it('names every problem with its place in the file', () => {
    const found = problems({
      default: { channelNamePattern: 'x-{slug}', severities: { P5: { label: 'x' }, P1: { colour: 'red' } }, texts: { cardBanner: 'See {runbook}' }, unknown: 1 },
      tenants: { contoso: {}, [CONTOSO]: { checklists: { P2: [{ id: 'a', phase: 'p', text: 't' }, { id: 'a', phase: 'p', text: 'u' }] } } },
    });
    const text = found.join('\n');
    expect(text).to.contain('default.channelNamePattern: the pattern must contain {number}');
    expect(text).to.match(/default\.severities: .*P5/);
    expect(text).to.match(/default\.severities\.P1\.colour: /);
    expect(text).to.contain('default.texts.cardBanner: unknown placeholder(s) {runbook}; this text may use {label} {title} {severity} {severityLabel}');
    expect(text).to.match(/default: .*unknown/);
    expect(text).to.contain('tenants.contoso: tenant keys are Entra tenant ids (GUIDs)');
    expect(text).to.contain(`tenants.${CONTOSO}.checklists.P2: item id "a" appears twice`);
    expect(problems({ tenants: { [CONTOSO]: {}, [CONTOSO.toUpperCase()]: {} } }).join()).to.contain('appears twice');
    expect(problems([]).join()).to.match(/^file: /);
  });

  it('fills a text’s placeholders and leaves unknown braces alone', () => {
    expect(fillText('{label} bridge: {title}', { label: 'INC-7', title: 'DB down' })).to.equal('INC-7 bridge: DB down');
    expect(fillText('{label} {nope}', { label: 'INC-7' })).to.equal('INC-7 {nope}');
  });
});
