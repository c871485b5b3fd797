/**
 * The action table is consistent: every action names a decision, a rule of the access policy and the event kinds
 * it records, and applying its decision records one of those kinds.
 */
import { expect } from 'chai';
import { ACTION_NAMES, ACTIONS, decideAction, type ActionInput, type ActionName, type DecisionContext } from '../../models/actions/actionTable.js';
import { EVENT_KINDS } from '../../models/incident/timeline.js';
import { POLICY_RULES } from '../../models/access/policy.js';
import { TenantProfiles } from '../../models/incident/tenantProfile.js';
import { DEFAULT_ESCALATION_RULES } from '../../models/incident/escalationRules.js';
import type { Incident } from '../../models/incident/incident.js';
import { sampleIncident } from '../helpers/fixtures.js';
import { ALEX, MEGAN } from '../helpers/people.js';

const NOW = new Date('2026-05-01T12:30:00Z');
const context: DecisionContext = { actor: ALEX, now: NOW, profiles: TenantProfiles.builtIn, rules: DEFAULT_ESCALATION_RULES };
const summary = { environment: 'Production', component: 'checkout', probableCause: 'bad deploy', frequency: 'constant', type: 'Self', recoveryEstimate: 'minutes', workingOnIt: 'Alex', currentAction: 'rollback', nextAction: 'watch' };
const commanded = (fields: Partial<Incident> = {}) => sampleIncident({ roles: { commander: ALEX, smes: [] }, ...fields });
const resolved = (fields: Partial<Incident> = {}) =>
  commanded({ status: 'resolved', milestones: { declared: new Date('2026-05-01T12:00:00Z'), acknowledged: NOW, mitigated: NOW, resolved: NOW }, summary, ...fields });

/** For each action, a record and an input on which it is allowed. */
const ALLOWED: { readonly [N in ActionName]: readonly [Incident, ActionInput<N>] } = {
  acknowledge: [sampleIncident(), {}],
  assignRole: [sampleIncident(), { role: 'commander', person: MEGAN }],
  changeStatus: [sampleIncident(), { to: 'investigating' }],
  takeCommand: [sampleIncident({ roles: { commander: MEGAN, smes: [] } }), { reason: 'Megan is not answering pages' }],
  resolve: [commanded({ status: 'monitoring' }), {}],
  close: [resolved(), {}],
  changeSeverity: [sampleIncident(), { to: 'P0', reason: 'data loss' }],
  changeType: [sampleIncident(), { to: 'security' }],
  updateSummary: [sampleIncident(), { values: summary }],
  postUpdate: [sampleIncident(), { text: 'Rolled back' }],
  reportDataLoss: [sampleIncident(), {}],
  escalate: [sampleIncident(), { note: 'nobody answers' }],
  addNote: [sampleIncident(), { text: 'The cache was cold' }],
  addKeyMessage: [sampleIncident(), { message: { id: '1732350000123', conversationId: '19:abc@thread.tacv2', author: 'Megan Bowen', text: 'Rolled back v42', writtenAt: NOW }, note: 'the fix' }],
  tickChecklist: [sampleIncident(), { itemId: TenantProfiles.builtIn.checklistOf(sampleIncident())[0]!.id, done: true }],
  follow: [sampleIncident(), {}],
  unfollow: [sampleIncident({ followers: [ALEX] }), {}],
  invite: [sampleIncident({ private: true, members: [ALEX] }), { person: MEGAN }],
  removeMember: [sampleIncident({ private: true, members: [ALEX, MEGAN] }), { person: MEGAN }],
  publishPublicStatus: [commanded(), { status: 'investigating', text: 'We are looking into checkout errors.' }],
  publishPostmortem: [resolved({ postmortem: { version: 2, savedAt: NOW, savedBy: ALEX } }), { version: 2 }],
  recordPostmortemSaved: [sampleIncident(), { version: 1 }],
  recordReview: [resolved(), { review: { eventId: 'AAMk1', organizerId: 'aad-alex', start: new Date('2026-05-04T10:00:00Z'), end: new Date('2026-05-04T11:00:00Z'), invited: ['Alex Wilber'] }, busy: [] }],
  recordPostmortemFiled: [resolved({ postmortem: { version: 1, savedAt: NOW, savedBy: ALEX, publishedVersion: 1 } }), { version: 1, name: 'INC-42-postmortem-v1.docx', webUrl: 'https://contoso.sharepoint.com/x.docx' }],
  archive: [resolved({ status: 'closed', postmortem: { version: 2, savedAt: NOW, savedBy: ALEX, publishedVersion: 2 } }), {}],
  recordPublicStatusSync: [sampleIncident({ publicStatus: { status: 'investigating', text: 'x', at: NOW, by: ALEX } }), { page: { id: 'p1' } }],
  recordMonitorResolved: [sampleIncident(), { at: NOW, title: 'HTTP 5xx', source: 'grafana' }],
  recordDeliveryFailure: [sampleIncident(), { what: 'Posting the update in the channel', error: 'HTTP 403' }],
  recordPersonalCard: [sampleIncident({ private: true }), { card: { conversationId: 'a:personal-1', activityId: '1', serviceUrl: 'http://x/' }, person: MEGAN }],
  recordTracking: [sampleIncident({ postmortem: { version: 1, savedAt: NOW, savedBy: ALEX } }), { tracker: 'GitHub', tracked: 1, pending: 1, error: 'GitHub answered HTTP 503', notes: [] }],
  recordPage: [sampleIncident(), { level: 0, label: 'primary', people: [MEGAN], at: NOW }],
  recordMeetingStart: [sampleIncident(), { at: NOW }],
  recordMeetingEnd: [sampleIncident({ bridge: { startedAt: NOW, records: 'waiting' } }), { at: NOW, attended: [MEGAN.name] }],
  recordBridgeRecord: [sampleIncident(), { transcript: { id: 't-1', createdAt: NOW, lines: 3 } }],
  recordBridgeUnavailable: [sampleIncident(), { reason: 'Grant OnlineMeetingTranscript.Read.All' }],
};

describe('the action table', () => {
  it('gives every action a rule of the access policy (or app) and the event kinds it records', () => {
    for (const name of ACTION_NAMES) {
      const action = ACTIONS[name];
      const who = action.who as unknown;
      const rules = typeof who === 'function' ? [(who as (i: Incident, input: unknown, actor: unknown) => string)(ALLOWED[name][0], ALLOWED[name][1], MEGAN)] : [who as string];
      for (const rule of rules) expect(['app', ...POLICY_RULES], name).to.include(rule);
      expect(action.records.length, name).to.be.greaterThan(0);
      for (const kind of action.records) expect(EVENT_KINDS, `${name} records ${kind}`).to.include(kind);
    }
  });

  for (const name of ACTION_NAMES) {
    it(`${name}: applying its decision records one of the kinds the table lists`, () => {
      const [incident, input] = ALLOWED[name] as readonly [Incident, ActionInput<typeof name>];
      const decision = decideAction(name, incident, input, context);
      if ('refuse' in decision) expect.fail(`${name} was refused: ${decision.refuse}`);
      expect(ACTIONS[name].records).to.include(decision.event.kind);
    });
  }

  it('enforces the text limits it lists, with a message naming the limit', () => {
    for (const [name, field] of [['postUpdate', 'text'], ['addNote', 'text'], ['addKeyMessage', 'note'], ['publishPublicStatus', 'text']] as const) {
      const limit = ACTIONS[name].limits![field]!;
      const [incident, input] = ALLOWED[name] as readonly [Incident, Record<string, unknown>];
      const decision = decideAction(name, incident, { ...input, [field]: 'x'.repeat(limit + 1) } as never, context);
      expect(decision, name).to.have.property('refuse').that.contains(String(limit));
    }
  });
});
