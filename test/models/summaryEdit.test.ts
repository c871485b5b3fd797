import { expect } from 'chai';
import { mergeSummaryEdit, summaryFormValues, unsavedFields, updateSummary } from '../../models/actions/summaryEdit.js';
import { sampleIncident } from '../helpers/fixtures.js';
import type { StatusSummary } from '../../models/incident/incident.js';

const LEE = { id: '29:lee', name: 'Lee Gu' };
const summary: StatusSummary = {
  environment: 'Production', component: 'payments-api', probableCause: 'Deploy 3', frequency: 'UNKNOWN', type: 'Self',
  recoveryEstimate: 'UNKNOWN', workingOnIt: 'Alex', currentAction: 'Rolling back', nextAction: 'Watch',
};

describe('editing the status summary field by field', () => {
  const before = sampleIncident();
  const after = sampleIncident({ summary, topic: { line: 'Checkout fails' } });
  const oldForm = summaryFormValues(before);

  it('an old form saves only the field its person changed; the rest keep the newer values', () => {
    const { changes, conflicts } = mergeSummaryEdit(summaryFormValues(after), { values: { ...oldForm, frequency: 'Every request' }, base: oldForm });
    expect(changes).to.deep.equal({ frequency: 'Every request' });
    expect(conflicts).to.deep.equal([]);
  });

  it('a field both changed is a conflict with both values; nothing of it is saved', () => {
    const { changes, conflicts } = mergeSummaryEdit(summaryFormValues(after), { values: { ...oldForm, currentAction: 'Failing over' }, base: oldForm });
    expect(changes).to.deep.equal({});
    expect(conflicts).to.deep.equal([{ field: 'currentAction', label: 'Current action step', theirs: 'Rolling back', mine: 'Failing over' }]);
  });

  it('blank and UNKNOWN are the same; writing what the record already says is no change', () => {
    const current = summaryFormValues(after);
    expect(mergeSummaryEdit(current, { values: { ...current, probableCause: ' Deploy  3 ' }, base: oldForm })).to.deep.equal({ changes: {}, conflicts: [] });
    expect(mergeSummaryEdit(summaryFormValues(before), { values: { probableCause: 'UNKNOWN' }, base: { probableCause: '' } })).to.deep.equal({ changes: {}, conflicts: [] });
  });

  it('a form that names no base for a field (an old card) never overwrites what differs', () => {
    const { changes, conflicts } = mergeSummaryEdit(summaryFormValues(after), { values: { probableCause: 'DNS' }, base: {} });
    expect(changes).to.deep.equal({});
    expect(conflicts.map((c) => c.field)).to.deep.equal(['probableCause']);
  });

  it('the decision keeps the fields nobody changed and names the ones it saved', () => {
    const decision = updateSummary(after, { values: { ...oldForm, recoveryEstimate: '1 hour' }, base: oldForm }, LEE, false);
    if ('refuse' in decision) throw new Error(decision.refuse);
    expect(decision.patch.summary).to.deep.equal({ ...summary, recoveryEstimate: '1 hour' });
    expect(decision.message).to.contain('Estimated time to recovery');
    expect(decision.event.payload.changed).to.deep.equal(['recoveryEstimate']);
  });

  it('only conflicts: refused with the fields named; unsavedFields tells the form what to show', () => {
    const input = { values: { ...oldForm, currentAction: 'Failing over' }, base: oldForm };
    const decision = updateSummary(after, input, LEE, false);
    expect(decision).to.have.property('refuse').that.contains('someone else changed Current action step');
    expect(unsavedFields(after, input)).to.deep.equal([{ field: 'currentAction', label: 'Current action step', theirs: 'Rolling back', mine: 'Failing over' }]);
  });
});
