import { expect } from 'chai';
import { firstReviewSlot } from '../../models/followThrough/reviewSlot.js';

// Monday 2026-12-07 08:00 UTC, half-hour intervals: index 0 = 08:00, 2 = 09:00, 18 = 17:00.
const MONDAY_8 = new Date('2026-12-07T08:00:00Z');
const view = (busy: readonly number[], length = 48, digit = '2') => Array.from({ length }, (_, i) => (busy.includes(i) ? digit : '0')).join('');
const slot = (availability: { person: string; view?: string }[], windowStart = MONDAY_8) => firstReviewSlot({ windowStart, intervalMinutes: 30, durationMinutes: 60, availability, workingHours: [8, 17] });

describe('the review slot: the first working hour the most invitees are free', () => {
  it('takes the first hour everyone is free', () => {
    const found = slot([{ person: 'alex', view: view([0, 1]) }, { person: 'megan', view: view([2]) }]);
    expect(found).to.deep.include({ start: new Date('2026-12-07T09:30:00Z'), end: new Date('2026-12-07T10:30:00Z'), busy: [] });
    expect(found!.free).to.deep.equal(['alex', 'megan']);
  });

  it('when nobody finds a common hour, the earliest hour with the most of them, naming who is busy', () => {
    const allDay = view(Array.from({ length: 48 }, (_, i) => i));
    const found = slot([{ person: 'alex', view: view([]) }, { person: 'megan', view: allDay }, { person: 'lee', view: view([0, 1, 2]) }]);
    expect(found).to.deep.include({ start: new Date('2026-12-07T09:30:00Z'), free: ['alex', 'lee'], busy: ['megan'] });
  });

  it('a tentative hold is not free, and a calendar that could not be read counts as busy', () => {
    const found = slot([{ person: 'alex', view: view([0, 1], 48, '1') }, { person: 'adele' }]);
    expect(found).to.deep.include({ start: new Date('2026-12-07T09:00:00Z'), free: ['alex'], busy: ['adele'] });
  });

  it('stays in working hours and skips the weekend', () => {
    // Friday 16:30: the hour would end after 17:00, so Monday 08:00 (window long enough) it is.
    const friday = new Date('2026-12-04T16:30:00Z');
    const found = slot([{ person: 'alex', view: view([], 2 * 24 * 4) }], friday);
    expect(found!.start).to.deep.equal(new Date('2026-12-07T08:00:00Z'));
  });

  it('finds nothing in a window without a working hour', () => {
    expect(slot([{ person: 'alex', view: view([], 6) }], new Date('2026-12-05T10:00:00Z'))).to.equal(undefined);
  });
});
