import { expect } from 'chai';
import { validateDeclaration } from '../../models/warRoom/declareIncident.js';
import { InvalidInputError } from '../../models/support/errors.js';
import { parseSeverity } from '../../models/incident/severity.js';
import { parseCommandLine } from '../../bot/commandLine.js';

describe('declare input', () => {
  it('accepts severities the way people type them', () => {
    expect(['P1', 'p1', 'sev1', 'SEV-1', '1', ' P0 '].map(parseSeverity)).to.deep.equal(['P1', 'P1', 'P1', 'P1', 'P1', 'P0']);
    expect(['P4', 'high', '', 'P1x'].map(parseSeverity)).to.deep.equal([undefined, undefined, undefined, undefined]);
  });

  it('defaults the severity to P2 and trims the title', () => {
    expect(validateDeclaration({ title: '  Disk   full ' })).to.deep.include({ title: 'Disk full', severity: 'P2' });
  });

  it('reports every problem at once', () => {
    try {
      validateDeclaration({ title: '', severity: 'P5', component: 'c'.repeat(81) });
      expect.fail('should have thrown');
    } catch (error) {
      expect(error).to.be.instanceOf(InvalidInputError);
      expect((error as InvalidInputError).problems).to.have.length(3);
    }
  });

  it('parses flags, quotes and =values; reports unknown flags and missing values', () => {
    const line = parseCommandLine('"Checkout API" returns 500s --sev P1 --component=payments', ['sev', 'component']);
    expect(line).to.deep.equal({ positional: 'Checkout API returns 500s', flags: { sev: 'P1', component: 'payments' }, lists: {}, switches: new Set(), errors: [] });
    // A switch takes no value: the word after it stays in the title.
    const privately = parseCommandLine('Payroll --private export --sev P1', ['sev'], [], ['private']);
    expect(privately).to.deep.include({ positional: 'Payroll export', flags: { sev: 'P1' }, errors: [] });
    expect([...privately.switches]).to.deep.equal(['private']);
    expect(parseCommandLine('x --sev', ['sev']).errors).to.deep.equal(['--sev needs a value']);
    expect(parseCommandLine('x --nope 1', ['sev']).errors[0]).to.match(/unknown option --nope/);
  });
});
