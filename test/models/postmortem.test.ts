import { expect } from 'chai';
import { blamelessWarnings, changedSections, draftPostmortem, formatDuration, parsePostmortem, postmortemDurations, type PostmortemContent } from '../../models/postmortem/postmortem.js';
import { timelineEvent, type EventKind } from '../../models/incident/timeline.js';
import { sampleIncident } from '../helpers/fixtures.js';

const t0 = new Date('2026-05-01T12:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const megan = { kind: 'user' as const, id: '29:megan', name: 'Megan Bowen' };

const incident = sampleIncident({
  severity: 'P1',
  status: 'resolved',
  description: 'Payments fail at the last step.',
  component: 'checkout-api',
  milestones: { started: minutes(-10), declared: t0, acknowledged: minutes(4), mitigated: minutes(35), resolved: minutes(90) },
  summary: { environment: 'Production', component: 'checkout-api', probableCause: 'connection pool exhausted', frequency: 'every request for 35 minutes', type: 'Engineering', eta: 'UNKNOWN', who: 'UNKNOWN', currentStep: 'UNKNOWN', nextStep: 'UNKNOWN' } as never,
});
const event = (kind: EventKind, n: number, payload: Record<string, unknown> = {}) => timelineEvent(incident.id, kind, `e${n}`, { at: minutes(n), actor: megan, payload });

function valid(): PostmortemContent {
  return draftPostmortem(incident, [event('declared', 0, { severity: 'P1' })]);
}

describe('post-mortem content', () => {
  it('pre-fills a draft from the record and the story of the timeline', () => {
    const draft = draftPostmortem(incident, [
      event('declared', 0, { severity: 'P1', title: 'Checkout API returns 500s' }),
      event('channel_created', 1, { name: 'inc-42-checkout' }),
      event('acknowledged', 4),
      event('note', 20, { text: 'Pool at 100%' }),
    ]);
    expect(draft.description).to.equal('Checkout API returns 500s\n\nPayments fail at the last step.');
    expect(draft.times).to.deep.equal({
      started: minutes(-10).toISOString(),
      detected: t0.toISOString(),
      acknowledged: minutes(4).toISOString(),
      recovered: minutes(35).toISOString(),
      resolved: minutes(90).toISOString(),
    });
    expect(draft.affected).to.equal('Production, checkout-api');
    expect(draft.impact).to.equal('every request for 35 minutes');
    expect(draft.rootCauses).to.deep.equal([{ description: 'connection pool exhausted', type: 'unknown' }]);
    expect(draft.fixWindowHours).to.equal(24, 'P1: the shortest proper-fix window');
    // The excerpt is the story: provisioning plumbing stays out.
    expect(draft.timeline.split('\n')).to.deep.equal([
      '2026-05-01 12:00 UTC — Megan Bowen — declared the incident as P1: Checkout API returns 500s',
      '2026-05-01 12:04 UTC — Megan Bowen — acknowledged the incident',
      '2026-05-01 12:20 UTC — Megan Bowen — noted: Pool at 100%',
    ]);
    expect(parsePostmortem(draft)).to.have.property('content');
  });

  it('gives minor incidents a 48-hour window and says how many events the excerpt left out', () => {
    const events = Array.from({ length: 250 }, (_, n) => event('note', n, { text: `step ${n}` }));
    const draft = draftPostmortem(sampleIncident({ severity: 'P3' }), events);
    expect(draft.fixWindowHours).to.equal(48);
    const lines = draft.timeline.split('\n');
    // Whole lines, newest kept, within the field's 8000 characters; the first line counts the rest.
    expect(draft.timeline.length).to.be.at.most(8000);
    const omitted = Number(/^… (\d+) earlier events \(see the full timeline export\)$/.exec(lines[0]!)?.[1]);
    expect(omitted + lines.length - 1).to.equal(250);
    expect(omitted).to.be.at.least(50, 'at most 200 lines are kept');
    expect(lines[1]).to.match(/^2026-05-01 \d\d:\d\d UTC — Megan Bowen — noted: step \d+$/);
    expect(lines.at(-1)).to.match(/noted: step 249$/);
    expect(parsePostmortem(draft)).to.have.property('content');
    expect(draft.rootCauses).to.deep.equal([]);
  });

  it('reports every problem with the field it belongs to', () => {
    const content = {
      ...valid(),
      times: { ...valid().times, detected: minutes(-20).toISOString(), resolved: minutes(30).toISOString() },
      rootCauses: [{ description: '', type: 'gremlins' }],
      actionItems: [{ description: 'Alert on pool saturation', owner: 'Megan', due: '01/12/2026', kind: 'hotfix', link: 'javascript:alert(1)' }],
      fixWindowHours: 12,
    };
    const result = parsePostmortem(content);
    expect(result).to.have.property('problems');
    const problems = Object.fromEntries((result as { problems: { path: string; message: string }[] }).problems.map((p) => [p.path, p.message]));
    expect(problems).to.include.keys('rootCauses.0.description', 'rootCauses.0.type', 'actionItems.0.due', 'actionItems.0.link', 'fixWindowHours');
    expect(problems['actionItems.0.link']).to.match(/http\(s\) link/);
    expect(problems['actionItems.0.due']).to.match(/2026-12-01/);
    expect(problems['fixWindowHours']).to.match(/24, 48 or 72/);
    // Time order is checked only where it always holds; these two break it.
    expect(problems['times.detected']).to.match(/before the start/);
    expect(problems['times.resolved']).to.match(/before the recovery/);
  });

  it('refuses unknown fields and operator-looking keys rather than storing them', () => {
    const result = parsePostmortem({ ...valid(), $where: 'sleep(1000)' });
    expect(result).to.have.property('problems');
    expect(parsePostmortem({ ...valid(), description: { $gt: '' } })).to.have.property('problems');
  });

  it('computes durations from the start and formats them for people', () => {
    expect(postmortemDurations(valid().times)).to.deep.equal({ toDetect: 10, toAcknowledge: 14, toRecover: 45, toResolve: 100 });
    expect(postmortemDurations({ ...valid().times, started: null })).to.deep.equal({ toDetect: undefined, toAcknowledge: undefined, toRecover: undefined, toResolve: undefined });
    expect(formatDuration(45)).to.equal('45 min');
    expect(formatDuration(100)).to.equal('1 h 40 min');
    expect(formatDuration(0)).to.equal('0 min');
  });

  it('flags wording that blames people, with a hint, and leaves ordinary words alone', () => {
    const blaming = { ...valid(), wentBadly: 'It was human error: Bob forgot the flag and should have checked.', rootCauses: [{ description: 'Careless deploy', type: 'deployment' as const }] };
    const warnings = blamelessWarnings(blaming as PostmortemContent);
    expect(warnings.map((w) => `${w.path}: ${w.phrase}`)).to.have.members(['wentBadly: human error', 'wentBadly: should have', 'wentBadly: Bob forgot', 'rootCauses.0: Careless']);
    expect(warnings.every((w) => w.hint.length > 10)).to.equal(true);
    // Where, in the form's words, for the warning shown before publishing.
    expect(warnings.map((w) => w.where)).to.include.members(['What went badly', 'Contributing cause 1']);
    const neutral = { ...valid(), wentBadly: 'The default timeout was too short; the fault injection test did not cover it. Blameless review held on Monday.' };
    expect(blamelessWarnings(neutral)).to.deep.equal([]);
  });

  it('names the sections that differ between two versions, in form order', () => {
    const before = valid();
    const after = { ...before, wentWell: 'Rollback took 4 minutes', actionItems: [{ description: 'Alert on pool saturation', owner: '', due: '', kind: 'hotfix' as const, link: '', done: false }], impact: 'changed' };
    expect(changedSections(before, after)).to.deep.equal(['Impact', 'What went well', 'Action items']);
    expect(changedSections(before, { ...before })).to.deep.equal([]);
  });
});
