import { expect } from 'chai';
import { applyChoices, bothLists, bothTexts, conflictsOf, planMerge, sameValue, type MergePlan } from '../../models/postmortem/merge.js';
import { parsePostmortem, withItemIds, type PostmortemContent } from '../../models/postmortem/postmortem.js';

type Cause = PostmortemContent['rootCauses'][number];
type Action = PostmortemContent['actionItems'][number];
const cause = (id: string, description: string): Cause => ({ id, description, type: 'capacity' });
const action = (id: string, description: string, owner = ''): Action => ({ id, description, owner, due: '', kind: 'hotfix', link: '', done: false });

function base(): PostmortemContent {
  return {
    description: 'Checkout API returned 500s.',
    times: { started: '2026-05-01T12:00:00.000Z', detected: '2026-05-01T12:05:00.000Z', acknowledged: null, recovered: null, resolved: null },
    manifestation: '',
    affected: 'Production',
    impact: '',
    timeline: '12:00 declared',
    rootCauses: [cause('c1', 'Pool sized for last year'), cause('c2', 'No saturation alert')],
    wentWell: 'Rollback was quick',
    wentBadly: '',
    actionItems: [action('a1', 'Alert on pool saturation')],
    fixWindowHours: 24,
  };
}
const section = (plan: MergePlan, field: string) => plan.sections.find((s) => s.field === field)!;
const decided = (result: ReturnType<typeof applyChoices>) => {
  if (!('content' in result)) throw new Error(`undecided: ${result.undecided.join(', ')}`);
  return result.content;
};

describe('post-mortem merge (two editors from the same version)', () => {
  it('takes what only they changed from theirs and keeps what only I changed, with nothing to decide', () => {
    const theirs = { ...base(), impact: '12% of checkouts failed' };
    const mine = { ...base(), wentBadly: 'The alert fired late' };
    const plan = planMerge(base(), theirs, mine);
    expect(conflictsOf(plan)).to.deep.equal([]);
    expect(section(plan, 'impact').changedBy).to.equal('them');
    expect(section(plan, 'wentBadly').changedBy).to.equal('me');
    expect(section(plan, 'description').changedBy).to.equal('nobody');
    const merged = decided(applyChoices(plan, {}));
    expect(merged).to.deep.equal({ ...base(), impact: '12% of checkouts failed', wentBadly: 'The alert fired late' });
  });

  it('makes a text both changed differently a choice: theirs, mine, or both (theirs, then my lines it lacks)', () => {
    const theirs = { ...base(), wentWell: 'Rollback was quick\nThe bridge filled in 2 minutes' };
    const mine = { ...base(), wentWell: 'Rollback was quick\nStatus page updated within 5 minutes' };
    const plan = planMerge(base(), theirs, mine);
    const well = section(plan, 'wentWell');
    expect(well).to.include({ conflict: true, changedBy: 'both', label: 'What went well' });
    expect(well.options).to.deep.equal({ theirs: theirs.wentWell, mine: mine.wentWell, both: 'Rollback was quick\nThe bridge filled in 2 minutes\nStatus page updated within 5 minutes' });
    expect(applyChoices(plan, {})).to.deep.equal({ undecided: ['What went well'] });
    expect(decided(applyChoices(plan, { wentWell: 'theirs' })).wentWell).to.equal(theirs.wentWell);
    expect(decided(applyChoices(plan, { wentWell: 'mine' })).wentWell).to.equal(mine.wentWell);
    expect(decided(applyChoices(plan, { wentWell: 'both' })).wentWell).to.equal(well.options!.both);
  });

  it('sees the same change made by both as no conflict', () => {
    const plan = planMerge(base(), { ...base(), impact: 'same words' }, { ...base(), impact: 'same words' });
    expect(conflictsOf(plan)).to.deep.equal([]);
    expect(section(plan, 'impact')).to.include({ changedBy: 'both', merged: 'same words' });
  });

  it('merges lists by identity, not by position: keep both holds every addition and each side’s edits', () => {
    // They edit c1 and add c3 after c2; I edit c2 and add c4 after it: theirs first, then mine.
    const theirs = { ...base(), rootCauses: [cause('c1', 'Pool sized for 2025 peak'), cause('c2', 'No saturation alert'), cause('c3', 'Retry storm from mobile clients')] };
    const mine = { ...base(), rootCauses: [cause('c1', 'Pool sized for last year'), cause('c2', 'No saturation alert on the pool'), cause('c4', 'Deploy doubled queries')] };
    const plan = planMerge(base(), theirs, mine);
    const causes = section(plan, 'rootCauses');
    expect(causes).to.include({ conflict: true, kind: 'list' });
    const both = decided(applyChoices(plan, { rootCauses: 'both' })).rootCauses;
    expect(both.map((c) => `${c.id}: ${c.description}`)).to.deep.equal([
      'c1: Pool sized for 2025 peak',
      'c2: No saturation alert on the pool',
      'c3: Retry storm from mobile clients',
      'c4: Deploy doubled queries',
    ]);
    expect(decided(applyChoices(plan, { rootCauses: 'theirs' })).rootCauses).to.deep.equal(theirs.rootCauses);
    expect(decided(applyChoices(plan, { rootCauses: 'mine' })).rootCauses).to.deep.equal(mine.rootCauses);
  });

  it('matches items after a removal shifted the positions (an index merge would pair the wrong ones)', () => {
    const theirs = { ...base(), rootCauses: [cause('c2', 'No saturation alert')] }; // they removed c1
    const mine = { ...base(), rootCauses: [cause('c1', 'Pool sized for last year'), cause('c2', 'No alert when the pool saturates')] }; // I edited c2
    expect(bothLists(base().rootCauses, theirs.rootCauses, mine.rootCauses)).to.deep.equal([cause('c2', 'No alert when the pool saturates')]);
  });

  it('keeps an item one side removed when the other changed it, and both versions of an item both changed', () => {
    const was = [action('a1', 'Alert on pool saturation'), action('a2', 'Load test at 2× peak')];
    const theirs = [action('a1', 'Alert on pool saturation at 80%', 'Megan Bowen')]; // edited a1, removed a2
    const mine = [action('a1', 'Page on pool saturation'), action('a2', 'Load test at 3× peak')]; // edited both
    const both = bothLists(was, theirs, mine);
    expect(both.map((a) => `${a.id}: ${a.description}`)).to.deep.equal(['a1: Alert on pool saturation at 80%', 'a1-mine: Page on pool saturation', 'a2: Load test at 3× peak']);
    expect(new Set(both.map((a) => a.id)).size).to.equal(both.length, 'identities stay distinct');
  });

  it('lets a removal by one side stand when the other left the item alone', () => {
    const was = [action('a1', 'Alert'), action('a2', 'Load test')];
    expect(bothLists(was, [action('a1', 'Alert')], [action('a1', 'Alert'), action('a2', 'Load test'), action('a3', 'Runbook')])).to.deep.equal([action('a1', 'Alert'), action('a3', 'Runbook')]);
  });

  it('merges the times one by one and asks only about a time both set differently', () => {
    const theirs = { ...base(), times: { ...base().times, acknowledged: '2026-05-01T12:07:00.000Z', recovered: '2026-05-01T12:40:00.000Z' } };
    const mine = { ...base(), times: { ...base().times, resolved: '2026-05-01T13:20:00.000Z', recovered: '2026-05-01T12:45:00.000Z' } };
    const plan = planMerge(base(), theirs, mine);
    const times = section(plan, 'times');
    expect(times.conflict).to.equal(true);
    expect(times.options!.both).to.equal(undefined, 'a time is one value: theirs or mine');
    const kept = decided(applyChoices(plan, { times: 'mine' })).times;
    expect(kept).to.deep.equal({ ...base().times, acknowledged: '2026-05-01T12:07:00.000Z', recovered: '2026-05-01T12:45:00.000Z', resolved: '2026-05-01T13:20:00.000Z' });
    expect(applyChoices(plan, { times: 'both' })).to.deep.equal({ undecided: ['Times'] });

    const apart = planMerge(base(), theirs, { ...base(), times: { ...base().times, resolved: '2026-05-01T13:20:00.000Z' } });
    expect(section(apart, 'times').conflict).to.equal(false);
    expect(section(apart, 'times').merged).to.deep.equal({ ...theirs.times, resolved: '2026-05-01T13:20:00.000Z' });
  });

  it('offers no "both" for the proper-fix window', () => {
    const plan = planMerge(base(), { ...base(), fixWindowHours: 48 }, { ...base(), fixWindowHours: 72 });
    expect(section(plan, 'fixWindowHours').options).to.deep.equal({ theirs: 48, mine: 72 });
    expect(decided(applyChoices(plan, { fixWindowHours: 'mine' })).fixWindowHours).to.equal(72);
  });

  it('without the common version (both started from the unsaved draft), every difference is the person’s to decide', () => {
    const theirs = { ...base(), impact: 'theirs', rootCauses: [cause('c1', 'Pool sized for last year'), cause('x', 'Theirs')] };
    const mine = { ...base(), impact: 'mine', rootCauses: [cause('c1', 'Pool sized for last year'), cause('y', 'Mine')] };
    const plan = planMerge(undefined, theirs, mine);
    expect(conflictsOf(plan).map((s) => s.label)).to.deep.equal(['Impact', 'Contributing causes']);
    expect(decided(applyChoices(plan, { impact: 'mine', rootCauses: 'both' })).rootCauses.map((c) => c.id)).to.deep.equal(['c1', 'x', 'y']);
  });

  it('compares data regardless of key order, and keeps "both" texts from repeating lines', () => {
    expect(sameValue({ id: 'a', description: 'x', type: 'data' }, { type: 'data', description: 'x', id: 'a' })).to.equal(true);
    expect(sameValue([1, 2], [2, 1])).to.equal(false);
    expect(bothTexts('', 'mine only')).to.equal('mine only');
    expect(bothTexts('one\ntwo', 'two\none')).to.equal('one\ntwo');
  });
});

describe('post-mortem item identities', () => {
  it('numbers items saved without one by position, the same for every reader, and keeps given ones', () => {
    const legacy = { ...base(), rootCauses: [{ description: 'a', type: 'data' as const }, { id: 'cause-1', description: 'b', type: 'data' as const }] };
    const once = withItemIds(legacy);
    expect(once.rootCauses.map((c) => c.id)).to.deep.equal(['cause-1-2', 'cause-1']);
    expect(withItemIds(legacy)).to.deep.equal(once);
    const parsed = parsePostmortem({ ...base(), actionItems: [{ description: 'x', owner: '', due: '', kind: 'hotfix', link: '' }] });
    expect('content' in parsed && parsed.content.actionItems[0]!.id).to.equal('action-1');
  });

  it('refuses two items of a list with the same identity, and identities that are not plain', () => {
    const twice = parsePostmortem({ ...base(), rootCauses: [cause('c1', 'a'), cause('c1', 'b')] });
    expect(twice).to.have.property('problems').that.deep.includes({ path: 'rootCauses.1.id', message: 'is used by another item of this list (c1)' });
    expect(parsePostmortem({ ...base(), rootCauses: [cause('$where', 'a')] })).to.have.property('problems');
  });
});
