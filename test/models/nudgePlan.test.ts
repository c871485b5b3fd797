import { expect } from 'chai';
import { allDone, daysOverdue, nudgeTime, planNudges, stillCalledFor } from '../../models/followThrough/nudgePlan.js';
import { pullInto } from '../../models/followThrough/trackedItems.js';
import { draftPostmortem, stampActionItems, type PostmortemContent } from '../../models/postmortem/postmortem.js';
import { sampleIncident } from '../helpers/fixtures.js';

type Item = PostmortemContent['actionItems'][number];
const MEGAN = '00000000-0000-0000-0000-000000000002';
const LEE = '00000000-0000-0000-0000-000000000003';
const NOW = new Date('2026-12-02T15:00:00Z');
const item = (fields: Partial<Item> = {}): Item => ({ id: 'a', description: 'Add a canary stage', owner: 'Megan Bowen', ownerId: MEGAN, due: '2026-12-10', kind: 'proper fix', link: '', done: false, ...fields });
const kinds = (before: Item[] | undefined, after: Item[], now = NOW) => planNudges(before, after, 2, now).map((n) => [n.nudge, n.at.toISOString()]);

describe('nudge plan: what a saved version calls for, from what changed since the one before', () => {
  it('a new item with an owner: told now, reminded at 09:00 UTC two days before and the day after its due date', () => {
    expect(kinds(undefined, [item()])).to.deep.equal([
      ['assigned', NOW.toISOString()],
      ['due_soon', '2026-12-08T09:00:00.000Z'],
      ['overdue', '2026-12-11T09:00:00.000Z'],
    ]);
    expect(nudgeTime('due_soon', '2026-12-10').toISOString()).to.equal('2026-12-08T09:00:00.000Z');
  });

  it('plans nothing for a typed owner, a done item, or a save that changed nothing about the item', () => {
    expect(kinds(undefined, [item({ ownerId: undefined, owner: 'Pat' })])).to.deep.equal([]);
    expect(kinds(undefined, [item({ done: true })])).to.deep.equal([]);
    expect(kinds([item()], [item({ description: 'Add a canary stage (staging first)' })])).to.deep.equal([]);
  });

  it('a reassignment tells the new owner; a new due date sets new reminders without a new assignment', () => {
    expect(kinds([item()], [item({ ownerId: LEE, owner: 'Lee Gu' })]).map(([k]) => k)).to.deep.equal(['assigned', 'due_soon', 'overdue']);
    expect(kinds([item()], [item({ due: '2026-12-20' })])).to.deep.equal([['due_soon', '2026-12-18T09:00:00.000Z'], ['overdue', '2026-12-21T09:00:00.000Z']]);
  });

  it('a reminder already past: left to the assignment message, or sent now when the item is not new to its owner', () => {
    expect(kinds(undefined, [item({ due: '2026-12-03' })]).map(([k]) => k), 'the assignment says when it is due').to.deep.equal(['assigned', 'overdue']);
    expect(kinds([item()], [item({ due: '2026-12-03' })]), 'due tomorrow now: told now').to.deep.equal([['due_soon', NOW.toISOString()], ['overdue', '2026-12-04T09:00:00.000Z']]);
    expect(kinds([item({ done: true, due: '2026-11-20' })], [item({ due: '2026-11-20' })]), 'reopened and already late: overdue now, no "due soon"').to.deep.equal([['overdue', NOW.toISOString()]]);
  });

  it('a reminder fires only while it fits the item: same owner and date, not done, still there', () => {
    const planned = { nudge: 'due_soon' as const, itemId: 'a', ownerId: MEGAN, due: '2026-12-10' };
    expect(stillCalledFor(planned, [item()])).to.deep.include({ id: 'a' });
    expect(stillCalledFor(planned, [item({ due: '2026-12-11' })])).to.equal(undefined);
    expect(stillCalledFor(planned, [item({ ownerId: LEE })])).to.equal(undefined);
    expect(stillCalledFor(planned, [item({ done: true })])).to.equal(undefined);
    expect(stillCalledFor(planned, [])).to.equal(undefined);
    expect(allDone([item({ done: true })])).to.equal(true);
    expect(allDone([])).to.equal(false);
    expect(daysOverdue('2026-11-29', NOW)).to.equal(3);
    expect(daysOverdue('2026-12-05', NOW)).to.equal(0);
  });

  it("keeps the owner's Entra id through the tracker's edits unless the tracker names another owner", () => {
    const content = { ...draftPostmortem(sampleIncident(), []), actionItems: [item()] };
    expect(pullInto(content, new Map([['a', { title: 'Add a canary stage to payments' }]])).actionItems[0]).to.deep.include({ ownerId: MEGAN });
    expect(pullInto(content, new Map([['a', { owner: 'Megan Bowen' }]])).actionItems[0]).to.deep.include({ ownerId: MEGAN });
    const moved = pullInto(content, new Map([['a', { owner: 'Lee' }]])).actionItems[0]!;
    expect(moved.owner).to.equal('Lee');
    expect(moved).not.to.have.property('ownerId');
  });

  it('stamps when an item was added and done from the save, not from what the form sent', () => {
    const content = (items: Item[]) => ({ ...draftPostmortem(sampleIncident(), []), actionItems: items });
    const first = stampActionItems(undefined, content([item({ addedAt: '2020-01-01T00:00:00.000Z' })]), NOW).actionItems;
    expect(first[0]).to.deep.include({ addedAt: NOW.toISOString() }).and.not.have.property('doneAt');
    const later = new Date(NOW.getTime() + 3_600_000);
    const done = stampActionItems(first, content([{ ...first[0]!, done: true }]), later).actionItems;
    expect(done[0]).to.deep.include({ addedAt: NOW.toISOString(), doneAt: later.toISOString() });
    const again = stampActionItems(done, content([{ ...done[0]!, description: 'edited' }]), new Date(later.getTime() + 1000)).actionItems;
    expect(again[0]).to.deep.include({ doneAt: later.toISOString() });
    expect(stampActionItems(done, content([{ ...done[0]!, done: false }]), later).actionItems[0]).not.to.have.property('doneAt');
  });
});
