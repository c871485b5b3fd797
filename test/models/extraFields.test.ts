import { expect } from 'chai';
import { describeField, fieldFacts, formatFieldValue, parseFieldValues, type FieldDefinition } from '../../models/incident/extraFields.js';

const vector: FieldDefinition = { id: 'vector', label: 'Attack vector', kind: 'choice', options: ['Phishing', 'Malware', 'Unknown'], required: true };
const systems: FieldDefinition = { id: 'systems', label: 'Affected systems', kind: 'text', maxLength: 20, multiline: false, required: false };
const notes: FieldDefinition = { id: 'notes', label: 'Notes', kind: 'text', maxLength: 100, multiline: true, required: false };
const records: FieldDefinition = { id: 'records', label: 'Records affected', kind: 'number', integer: true, min: 0, max: 1_000_000, unit: 'records', required: false };
const ratio: FieldDefinition = { id: 'ratio', label: 'Error ratio', kind: 'number', integer: false, required: false };
const owner: FieldDefinition = { id: 'owner', label: 'Data owner', kind: 'person', required: false };
const FIELDS = [vector, systems, notes, records, ratio, owner];

function values(raw: Record<string, unknown>, fields: readonly FieldDefinition[] = FIELDS) {
  const parsed = parseFieldValues(fields, raw);
  if ('problems' in parsed) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return parsed.values;
}
function problems(raw: Record<string, unknown>, fields: readonly FieldDefinition[] = FIELDS, partial = false) {
  const parsed = parseFieldValues(fields, raw, { partial });
  return 'problems' in parsed ? parsed.problems : [];
}

describe('extra fields of an incident type', () => {
  it('accepts good values of every kind, normalised, and leaves empty optional fields out', () => {
    expect(
      values({ vector: ' phishing ', systems: '  api-gw,\n  auth  ', notes: 'line one\r\nline two', records: '1,200', ratio: '0.25', owner: { id: '29:megan', name: 'Megan Bowen', aadObjectId: 'aad-megan' } }),
    ).to.deep.equal({
      vector: 'Phishing',
      systems: 'api-gw, auth',
      notes: 'line one\nline two',
      records: 1200,
      ratio: 0.25,
      owner: { id: '29:megan', name: 'Megan Bowen', aadObjectId: 'aad-megan' },
    });
    expect(values({ vector: 'Malware', systems: '', records: '   ', owner: null })).to.deep.equal({ vector: 'Malware' });
    // Numbers may arrive as numbers (the form posts JSON) and as negative or signed text.
    expect(values({ vector: 'Unknown', ratio: -1.5 })).to.deep.equal({ vector: 'Unknown', ratio: -1.5 });
    expect(values({ vector: 'Unknown', ratio: '+3' }).ratio).to.equal(3);
  });

  it('strips control characters, which would break cards and exports', () => {
    expect(values({ vector: 'Unknown', systems: 'a\u0007b\u001bc' }).systems).to.equal('abc');
  });

  it('refuses a bad value with the field named and what it accepts, all problems at once', () => {
    const found = problems({ vector: 'ransomware', systems: 'x'.repeat(21), records: '12.5', ratio: '12,5', owner: 'megan' });
    expect(found.map((p) => p.field)).to.deep.equal(['vector', 'systems', 'records', 'ratio', 'owner']);
    expect(found.map((p) => p.message)).to.deep.equal([
      'Attack vector must be one of: Phishing, Malware, Unknown',
      'Affected systems is 21 characters long; at most 20',
      'Records affected must be a whole number',
      'Error ratio must be a number; use a point for decimals (12.5, not 12,5)',
      'Data owner must be a person: @mention them in chat, or pick them on the form',
    ]);
  });

  it('checks number bounds and shapes', () => {
    const message = (raw: unknown) => problems({ vector: 'Unknown', records: raw })[0]?.message;
    expect(message('-1')).to.equal('Records affected must be at least 0');
    expect(message(2_000_000)).to.equal('Records affected must be at most 1000000');
    expect(message('12 records')).to.equal('Records affected must be a number');
    expect(message('1,20')).to.equal('Records affected must be a number; use a point for decimals (12.5, not 12,5)');
    expect(message('1e3')).to.equal('Records affected must be a number');
    expect(message(Number.NaN)).to.equal('Records affected must be a number');
    expect(message(Infinity)).to.equal('Records affected must be a number');
    expect(message(true)).to.equal('Records affected must be a number');
    expect(message('1 000 000')).to.equal(undefined);
  });

  it('refuses text and choice values that are not text, and people without an id or name', () => {
    expect(problems({ vector: 3 })[0]!.message).to.equal('Attack vector must be one of: Phishing, Malware, Unknown');
    expect(problems({ vector: 'Unknown', systems: 42 })[0]!.message).to.equal('Affected systems must be text');
    expect(problems({ vector: 'Unknown', owner: { id: '', name: 'x' } })[0]!.message).to.equal('Data owner must be a person (with a Teams id and a name)');
    expect(problems({ vector: 'Unknown', owner: { id: '29:x' } })[0]!.message).to.equal('Data owner must be a person (with a Teams id and a name)');
  });

  it('asks for required fields, and names fields the type does not have', () => {
    expect(problems({}).map((p) => p.message)).to.deep.equal(['Attack vector is required']);
    expect(problems({ vector: '  ' }).map((p) => p.message)).to.deep.equal(['Attack vector is required']);
    const unknown = problems({ vector: 'Unknown', vectr: 'x' });
    expect(unknown).to.deep.equal([{ field: 'vectr', message: 'there is no field "vectr" for this type; its fields are vector, systems, notes, records, ratio, owner' }]);
    expect(problems({ a: 1 }, [])[0]!.message).to.equal('there is no field "a": this type has no extra fields');
  });

  it('looks values up as own keys only: prototype words are ordinary field ids and unknown names', () => {
    const words: FieldDefinition[] = ['constructor', 'tostring'].map((id) => ({ id, label: id, kind: 'text', maxLength: 50, multiline: false, required: false }));
    expect(parseFieldValues(words, {})).to.deep.equal({ values: {} });
    expect(parseFieldValues(words, { constructor: 'yes' })).to.deep.equal({ values: { constructor: 'yes' } });
    expect(fieldFacts(words, {})).to.deep.equal([]);
    const unknown = parseFieldValues(FIELDS, JSON.parse('{"__proto__": "x", "vector": "Unknown"}') as Record<string, unknown>);
    expect(unknown).to.deep.equal({ problems: [{ field: '__proto__', message: 'there is no field "__proto__" for this type; its fields are vector, systems, notes, records, ratio, owner' }] });
  });

  it('checks only the fields named when editing one after declaring', () => {
    expect(problems({ records: '5' }, FIELDS, true)).to.deep.equal([]);
    expect(parseFieldValues(FIELDS, { records: '5' }, { partial: true })).to.deep.equal({ values: { records: 5 } });
    expect(problems({ vector: '' }, FIELDS, true).map((p) => p.message)).to.deep.equal(['Attack vector is required']);
  });

  it('shows values on cards and post-mortems, with units and names, in the type order', () => {
    expect(formatFieldValue(records, 1200)).to.equal('1,200 records');
    expect(formatFieldValue(ratio, 0.125)).to.equal('0.125');
    expect(formatFieldValue(owner, { id: '29:megan', name: 'Megan Bowen' })).to.equal('Megan Bowen');
    expect(formatFieldValue(vector, 'Phishing')).to.equal('Phishing');
    expect(fieldFacts(FIELDS, { owner: { id: '29:m', name: 'Megan Bowen' }, vector: 'Malware', records: 3 })).to.deep.equal([
      { label: 'Attack vector', value: 'Malware' },
      { label: 'Records affected', value: '3 records' },
      { label: 'Data owner', value: 'Megan Bowen' },
    ]);
    expect(fieldFacts(FIELDS, undefined)).to.deep.equal([]);
  });

  it('says what each field accepts', () => {
    expect(FIELDS.map(describeField)).to.deep.equal([
      'Attack vector (one of Phishing | Malware | Unknown, required)',
      'Affected systems (text, at most 20 characters)',
      'Notes (text, several lines, at most 100 characters)',
      'Records affected (a whole number from 0 to 1000000, in records)',
      'Error ratio (a number)',
      'Data owner (a person)',
    ]);
  });
});
