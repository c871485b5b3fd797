import { expect } from 'chai';
import { decideAction } from '../../models/actions/actionTable.js';
import { describeEvent } from '../../models/incident/eventText.js';
import { TenantProfiles } from '../../models/incident/tenantProfile.js';
import { DEFAULT_ESCALATION_RULES } from '../../models/incident/escalationRules.js';
import { timelineEvent } from '../../models/incident/timeline.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { MEGAN } from '../helpers/people.js';

const NOW = new Date('2026-05-01T12:30:00Z');
const context = { actor: MEGAN, now: NOW, profiles: TenantProfiles.builtIn, rules: DEFAULT_ESCALATION_RULES };

/** Every milestone a change sets is on the timeline, with why and by whom (issue: an acknowledgement with no trace). */
describe('milestones a status move records', () => {
  it('moving out of triage records the acknowledgement on the status event, by the person who moved it', () => {
    const decision = decideAction('changeStatus', sampleIncident({ status: 'triage' }), { to: 'investigating' }, context);
    if ('refuse' in decision) expect.fail(decision.refuse);
    expect(decision.patch.milestones).to.deep.equal({ acknowledged: NOW });
    expect(decision.event.payload).to.deep.include({ milestones: ['acknowledged'] });
    expect(decision.message).to.contain('that also records it as acknowledged');
    const event = timelineEvent('i', decision.event.kind, 'k', { at: NOW, actor: { kind: 'user', id: MEGAN.id, name: MEGAN.name }, payload: decision.event.payload });
    expect(describeEvent(event)).to.contain('recorded as acknowledged');
  });

  it('resolving straight away records acknowledged, recovered and resolved, and says so', () => {
    const decision = decideAction('resolve', sampleIncident({ status: 'investigating' }), {}, context);
    if ('refuse' in decision) expect.fail(decision.refuse);
    expect(decision.event.payload.milestones).to.deep.equal(['acknowledged', 'mitigated', 'resolved']);
    const event = timelineEvent('i', decision.event.kind, 'k', { at: NOW, actor: { kind: 'user', id: MEGAN.id, name: MEGAN.name }, payload: decision.event.payload });
    expect(describeEvent(event)).to.contain('recorded as acknowledged, recovered and resolved');
  });

  it('records nothing extra once the milestones are set', () => {
    const decision = decideAction('changeStatus', sampleIncident({ status: 'investigating', milestones: { declared: NOW, acknowledged: NOW } }), { to: 'identified' }, context);
    if ('refuse' in decision) expect.fail(decision.refuse);
    expect(decision.event.payload).to.not.have.property('milestones');
  });
});
