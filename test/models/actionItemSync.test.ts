import { expect } from 'chai';
import { planSync, trackedFieldsOf } from '../../models/followThrough/actionItemSync.js';
import { pullInto, trackerPerson } from '../../models/followThrough/trackedItems.js';
import type { TrackedFields, TrackerItem } from '../../models/ports/tracker.js';
import type { PostmortemContent } from '../../models/postmortem/postmortem.js';

const AGREED: TrackedFields = { title: 'Add a canary stage', owner: 'Megan', due: '2026-12-01', done: false };
const EARLY = new Date('2026-11-20T10:00:00Z');
const LATE = new Date('2026-11-20T11:00:00Z');
const theirs = (fields: Partial<TrackedFields>, updatedAt = EARLY): TrackerItem => ({ ...AGREED, ...fields, ref: { system: 'github', key: '#7', url: 'https://github.com/o/r/issues/7' }, updatedAt, updatedBy: 'octocat' });

describe('action item sync: each field from the side that changed it, the later change on a conflict', () => {
  it('changes nothing when both sides still agree', () => {
    expect(planSync(AGREED, AGREED, theirs({}), LATE)).to.deep.include({ push: {}, pull: {}, conflicts: [] });
  });

  it('pushes a field only the post-mortem changed, and pulls one only the tracker changed', () => {
    const plan = planSync({ ...AGREED, owner: 'Lee' }, AGREED, theirs({ done: true }), EARLY);
    expect(plan.push).to.deep.equal({ owner: 'Lee' });
    expect(plan.pull).to.deep.equal({ done: true });
    expect(plan.conflicts).to.deep.equal([]);
    expect(plan.agreed).to.deep.equal({ ...AGREED, owner: 'Lee', done: true });
  });

  it('settles a field both changed by the later change, and says so with both values', () => {
    const oursLater = planSync({ ...AGREED, due: '2026-12-15' }, AGREED, theirs({ due: '2026-12-08' }, EARLY), LATE);
    expect(oursLater.push).to.deep.equal({ due: '2026-12-15' });
    expect(oursLater.pull).to.deep.equal({});
    expect(oursLater.conflicts).to.deep.equal([{ field: 'due', ours: '2026-12-15', theirs: '2026-12-08', winner: 'ours' }]);

    const theirsLater = planSync({ ...AGREED, due: '2026-12-15' }, AGREED, theirs({ due: '2026-12-08' }, LATE), EARLY);
    expect(theirsLater.push).to.deep.equal({});
    expect(theirsLater.pull).to.deep.equal({ due: '2026-12-08' });
    expect(theirsLater.conflicts[0]).to.include({ winner: 'theirs' });
    expect(theirsLater.agreed.due).to.equal('2026-12-08');
  });

  it('is no conflict when both made the same change', () => {
    expect(planSync({ ...AGREED, done: true }, AGREED, theirs({ done: true }, LATE), LATE)).to.deep.include({ push: {}, pull: {}, conflicts: [] });
  });

  it('takes the post-mortem as it is for an item found again without an agreed state (made before a crash)', () => {
    const plan = planSync({ ...AGREED, title: 'Add a canary stage to payments' }, undefined, theirs({}, LATE), EARLY);
    expect(plan.push).to.deep.equal({ title: 'Add a canary stage to payments' });
    expect(plan.conflicts).to.deep.equal([]);
  });

  it('maps an action item to the tracked fields and back, within the form limits', () => {
    const item = { id: 'action-1', description: 'Add a canary stage', owner: 'Megan', due: '2026-12-01', kind: 'proper fix' as const, link: '', done: false };
    expect(trackedFieldsOf(item)).to.deep.equal(AGREED);
    const content = { actionItems: [item, { ...item, id: 'action-2' }] } as unknown as PostmortemContent;
    const pulled = pullInto(content, new Map([['action-2', { title: 'x'.repeat(600), due: 'next week', done: true }]]));
    expect(pulled.actionItems[0]).to.deep.equal(item);
    expect(pulled.actionItems[1]).to.deep.include({ description: 'x'.repeat(500), due: '2026-12-01', done: true });
    expect(trackerPerson({ system: 'github', name: 'GitHub' }, ['octocat']).name).to.equal('octocat via GitHub');
  });
});
