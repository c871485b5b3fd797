import { expect } from 'chai';
import { checkTyped, chosenType, typeList } from '../../models/incident/typedDeclaration.js';
import { BUILT_IN_TYPES } from '../../models/incident/incidentTypes.js';
import { validateDeclaration } from '../../models/warRoom/declareIncident.js';
import { InvalidInputError } from '../../models/support/errors.js';
import { parseDeclareCommand } from '../../bot/declareCommand.js';

const problemsOf = (run: () => unknown): readonly string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.problems;
    throw error;
  }
  return expect.fail('should have refused');
};

describe('declaring with a type and its fields', () => {
  it('finds the type by id or label, and uses the default when none is named', () => {
    expect(chosenType(BUILT_IN_TYPES, undefined)?.id).to.equal('service-outage');
    expect(chosenType(BUILT_IN_TYPES, '  ')?.id).to.equal('service-outage');
    expect(chosenType(BUILT_IN_TYPES, 'Data incident')?.id).to.equal('data-incident');
    expect(chosenType(BUILT_IN_TYPES, 'nope')).to.equal(undefined);
  });

  it('names the valid types for an unknown one', () => {
    const result = checkTyped(BUILT_IN_TYPES, { type: 'securty' });
    expect(result).to.have.property('problems');
    const [problem] = (result as { problems: string[] }).problems;
    expect(problem).to.contain('unknown type "securty"').and.contain(typeList(BUILT_IN_TYPES)).and.contain('security (Security)');
  });

  it('checks field values and echoes what was written with what the field takes', () => {
    const result = checkTyped(BUILT_IN_TYPES, { type: 'data-incident', fields: { records: '12,5', colour: 'red' } });
    const problems = (result as { problems: string[] }).problems;
    expect(problems).to.have.length(2);
    expect(problems.join('\n')).to.contain('there is no field "colour"').and.contain('records, data-kind, privacy-officer');
    expect(problems.join('\n')).to.contain('use a point for decimals').and.contain('you wrote “12,5”').and.contain('records takes Records affected (a whole number');
  });

  it('keeps valid values, in their own shape', () => {
    const result = checkTyped(BUILT_IN_TYPES, { type: 'security', fields: { vector: 'phishing', systems: ' vpn, mail ' } });
    expect(result).to.deep.include({ fields: { vector: 'Phishing', systems: 'vpn, mail' } });
  });

  it('the type gives the severity when none is given; a given severity wins', () => {
    expect(validateDeclaration({ title: 'Leaked key', type: 'security' })).to.include({ severity: 'P1', type: 'security' });
    expect(validateDeclaration({ title: 'CI is red', type: 'internal-tooling' })).to.include({ severity: 'P3', type: 'internal-tooling' });
    expect(validateDeclaration({ title: 'Leaked key', type: 'security', severity: 'P0' })).to.include({ severity: 'P0' });
    expect(validateDeclaration({ title: 'Slow pages' }, BUILT_IN_TYPES)).to.include({ severity: 'P2', type: 'service-outage' }).and.not.have.property('fields');
    // A caller that does not know the tenant's types leaves an unnamed type to the tenant's default.
    expect(validateDeclaration({ title: 'Slow pages' })).to.include({ severity: 'P2' }).and.not.have.property('type');
    expect(validateDeclaration({ title: 'Lost rows', type: 'data-incident', fields: { records: '1,200' } }).fields).to.deep.equal({ records: 1200 });
  });

  it('reports the type or field problems with the others, all at once', () => {
    const problems = problemsOf(() => validateDeclaration({ title: '', type: 'security', fields: { vector: 'aliens' } }));
    expect(problems).to.have.length(2);
    expect(problems.join('\n')).to.contain('a title is required').and.contain('Attack vector must be one of').and.contain('you wrote “aliens”');
  });
});

describe('the declare command line', () => {
  it('reads --type and repeated --field name=value', () => {
    const parsed = parseDeclareCommand('Phished admin --type security --field vector=Phishing --field "systems=vpn, mail" --sev P0');
    expect(parsed).to.deep.equal({ input: { title: 'Phished admin', type: 'security', severity: 'P0', fields: { vector: 'Phishing', systems: 'vpn, mail' } } });
    expect(parseDeclareCommand('x --field=records=12')).to.deep.equal({ input: { title: 'x', fields: { records: '12' } } });
  });

  it('keeps an @mention as one word for a person field', () => {
    const parsed = parseDeclareCommand('Export leaked --type data-incident --field privacy-officer=<at>Megan Bowen</at>');
    expect(parsed).to.deep.equal({ input: { title: 'Export leaked', type: 'data-incident', fields: { 'privacy-officer': '@Megan_Bowen' } } });
  });

  it('refuses a --field without a name, or one given twice', () => {
    expect(parseDeclareCommand('x --field Phishing')).to.have.property('errors').with.length(1).that.satisfies((e: string[]) => /--field takes name=value.*you wrote “Phishing”/.test(e[0]!));
    expect(parseDeclareCommand('x --field a=1 --field a=2')).to.deep.equal({ errors: ['--field a is given twice; give it once'] });
    expect((parseDeclareCommand('x --colour red') as { errors: string[] }).errors[0]).to.contain('--type').and.contain('--field');
  });
});
