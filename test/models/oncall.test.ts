import { expect } from 'chai';
import { keepCurrentShift, levelPeople, ownersOf, parseOnCall, setupWarnings, shiftAt, timingFor, type OnCallSetup } from '../../models/paging/oncall.js';

const person = (name: string) => ({ id: `29:${name.toLowerCase()}`, name });
const [ana, bo, cy, di] = ['Ana', 'Bo', 'Cy', 'Di'].map(person) as [ReturnType<typeof person>, ReturnType<typeof person>, ReturnType<typeof person>, ReturnType<typeof person>];

function setup(json: unknown): OnCallSetup {
  const parsed = parseOnCall(json);
  if ('problems' in parsed) throw new Error(parsed.problems.join('; '));
  return parsed.setup;
}

describe('on-call rota, policy and timings', () => {
  const weekly = setup({ rota: { people: [ana, bo, cy, di], start: '2026-01-05T09:00:00Z', shiftHours: 168 } });

  it('rotates weekly shifts in order, the next person as secondary, with the handoff time', () => {
    expect(shiftAt(weekly.rota, new Date('2026-01-05T09:00:00Z'))).to.deep.include({ primary: ana, secondary: bo });
    expect(shiftAt(weekly.rota, new Date('2026-01-12T08:59:00Z')).primary).to.deep.equal(ana);
    const second = shiftAt(weekly.rota, new Date('2026-01-12T09:00:00Z'));
    expect(second).to.deep.include({ primary: bo, secondary: cy });
    expect(second.handoffAt.toISOString()).to.equal('2026-01-19T09:00:00.000Z');
    // The fourth week wraps: Di primary, Ana secondary; and before the start it runs backwards.
    expect(shiftAt(weekly.rota, new Date('2026-01-26T10:00:00Z'))).to.deep.include({ primary: di, secondary: ana });
    expect(shiftAt(weekly.rota, new Date('2026-01-01T00:00:00Z')).primary).to.deep.equal(di);
  });

  it('pages the policy levels: primary, secondary, named people, then nothing', () => {
    const s = setup({ rota: { people: [ana, bo], start: '2026-01-05T09:00:00Z' }, policy: [{ target: 'primary' }, { target: 'secondary' }, { target: { people: [cy, di] }, label: 'managers' }] });
    const at = new Date('2026-01-06T00:00:00Z');
    expect(levelPeople(s, 0, at)).to.deep.equal({ people: [ana], label: 'primary on-call' });
    expect(levelPeople(s, 1, at)).to.deep.equal({ people: [bo], label: 'secondary on-call' });
    expect(levelPeople(s, 2, at)).to.deep.equal({ people: [cy, di], label: 'managers' });
    expect(levelPeople(s, 3, at)).to.equal(undefined);
    // A one-person rota has no secondary: the primary is paged again rather than nobody.
    const alone = setup({ rota: { people: [ana] } });
    expect(levelPeople(alone, 1, at)!.people).to.deep.equal([ana]);
  });

  it('defaults to 15 minutes to acknowledge and updates every 10, overridable per severity', () => {
    expect(timingFor(weekly, 'P1')).to.deep.include({ ackMinutes: 15, updateMinutes: 10 });
    const custom = setup({ rota: { people: [ana] }, timings: { P0: { ackMinutes: 5 }, P3: { updateMinutes: 60 } } });
    expect(timingFor(custom, 'P0')).to.deep.include({ ackMinutes: 5, updateMinutes: 10 });
    expect(timingFor(custom, 'P3')).to.deep.include({ ackMinutes: 15, updateMinutes: 60 });
  });

  it('warns about a rota of fewer than four people and a one-level policy', () => {
    expect(setupWarnings(weekly)).to.deep.equal([]);
    const small = setup({ rota: { name: 'dba', people: [ana, bo, cy] }, policy: [{ target: 'primary' }] });
    const warnings = setupWarnings(small);
    expect(warnings[0]).to.equal('The dba rota has 3 people; a healthy rota has at least 4, or people burn out.');
    expect(warnings[1]).to.match(/one level/);
  });

  it('finds a component’s owners case-insensitively', () => {
    const s = setup({ rota: { people: [ana] }, directory: [{ component: 'Payments', team: 'Payments team', people: [cy] }] });
    expect(ownersOf(s, ' payments ')).to.deep.include({ team: 'Payments team' });
    expect(ownersOf(s, 'search')).to.equal(undefined);
    expect(ownersOf(s, undefined)).to.equal(undefined);
  });

  it('names every problem in a bad file', () => {
    const result = parseOnCall({ rota: { people: [ana, ana], shiftHours: 0 }, policy: [], timings: { P9: {} }, extra: true });
    expect(result).to.have.property('problems');
    const problems = (result as { problems: string[] }).problems.join('\n');
    expect(problems).to.contain('rota.people: someone is listed twice').and.contain('rota.shiftHours').and.contain('policy: the escalation policy needs at least one level').and.contain('timings').and.contain('extra');
  });
});

describe('editing the rota keeps the shift in progress (issue 20, item 9)', () => {
  const rota = { name: 'sre', people: [ana, bo, cy, di], start: '2026-01-05T09:00:00.000Z', shiftHours: 168 };
  // Week 3 of the rota: Cy holds the pager until the next Monday 09:00.
  const now = new Date('2026-01-21T15:00:00Z');
  const primaryAfter = (people: typeof rota.people, shiftHours = 168) => {
    const kept = keepCurrentShift(rota, people, shiftHours, now);
    return { shift: shiftAt({ ...rota, people, shiftHours, start: kept.start }, now), takesOver: kept.takesOver };
  };

  it('removing or adding someone who is not on call leaves the primary and the handoff as they were', () => {
    const before = shiftAt(rota, now);
    expect(before.primary.name).to.equal('Cy');
    for (const people of [[bo, cy, di], [ana, bo, cy, di, person('Ed')], [cy, di, ana]]) {
      const { shift, takesOver } = primaryAfter(people);
      expect(shift.primary.name, people.map((p) => p.name).join()).to.equal('Cy');
      expect(shift.handoffAt.toISOString()).to.equal(before.handoffAt.toISOString());
      expect(takesOver).to.equal(undefined);
    }
  });

  it('removing the person on call hands the pager to the next in order now, and says who', () => {
    const { shift, takesOver } = primaryAfter([ana, bo, di]);
    expect(takesOver?.name).to.equal('Di');
    expect(shift.primary.name).to.equal('Di');
  });

  it('a new shift length keeps who is on call now, and their shift ends within the new length', () => {
    const { shift } = primaryAfter(rota.people, 24);
    expect(shift.primary.name).to.equal('Cy');
    expect(shift.handoffAt.getTime() - now.getTime()).to.be.at.most(24 * 3_600_000).and.above(0);
    expect(primaryAfter(rota.people, 168).shift.handoffAt.toISOString(), 'the same length changes nothing').to.equal(shiftAt(rota, now).handoffAt.toISOString());
  });
});
