/**
 * The incident actions' decision rules as tables: every action against every status, every
 * status move against the lifecycle, and the specific refusals within a status. Assertions are
 * on allowed vs refused, the timeline event kind, the message or refusal text, and post/topic,
 * never on what a change writes; only `decideFor` knows how a decision is shaped.
 */
import { expect } from 'chai';
import * as decide from '../../models/actions/decisions.js';
import { canMove, isOpen, STATUSES, type Status } from '../../models/incident/lifecycle.js';
import type { Incident, Person, Role, StatusSummary, Topic } from '../../models/incident/incident.js';
import type { EventKind } from '../../models/incident/timeline.js';
import { sampleIncident } from '../helpers/fixtures.js';

// Input types as the decisions take them.
type Severity = Incident['severity'];
type SeverityInfo = Parameters<typeof decide.changeSeverity>[2];
type SummaryInput = Parameters<typeof decide.updateSummary>[1];
type ChecklistItem = NonNullable<Parameters<typeof decide.tickChecklist>[1]>;
type PublicStatus = Parameters<typeof decide.publishPublicStatus>[2];
type SyncOutcome = Parameters<typeof decide.recordPublicStatusSync>[1];

// ---- The adapter: the one place that knows the decision functions and the shape they return. ----

type ActionName =
  | 'acknowledge' | 'assignRole' | 'changeStatus' | 'close' | 'resolve' | 'changeSeverity' | 'updateSummary' | 'postUpdate' | 'escalate'
  | 'recordMonitorResolved' | 'recordPage' | 'addNote' | 'tickChecklist' | 'postmortemSaved' | 'publishPostmortem' | 'archive'
  | 'follow' | 'unfollow' | 'publishPublicStatus' | 'recordPublicStatusSync';

/** What an action is given; every field has a default that makes the action valid. */
interface Input {
  readonly actor?: Person;
  readonly role?: Role;
  readonly person?: Person;
  readonly to?: Status;
  readonly severity?: Severity;
  readonly text?: string;
  readonly summary?: SummaryInput;
  /** `null`: an item that is not on the checklist (any more). */
  readonly item?: ChecklistItem | null;
  readonly done?: boolean;
  readonly version?: number;
  readonly publicStatus?: PublicStatus;
  readonly sync?: SyncOutcome;
}

type Outcome =
  | { readonly refused: string }
  | { readonly kind: EventKind; readonly message: string; readonly post?: string; readonly topic?: Topic; readonly milestones: readonly string[] };

/** Which milestones a change records. */
function milestonesOf(change: decide.Change): string[] {
  return Object.entries(change.patch.milestones ?? {}).filter(([, v]) => v !== undefined).map(([k]) => k);
}

function decideFor(action: ActionName, incident: Incident, input: Input = {}): Outcome {
  const actor = input.actor ?? MEGAN;
  const text = input.text ?? 'Rolled back 2026.05.01-3; error rate falling';
  const run = (): decide.Decision => {
    switch (action) {
      case 'acknowledge': return decide.acknowledge(incident, actor, NOW);
      case 'assignRole': return decide.assignRole(incident, input.role ?? 'commander', input.person ?? LEE);
      case 'changeStatus': return decide.changeStatus(incident, input.to ?? 'investigating', actor, NOW);
      case 'close': return decide.close(incident, actor, NOW);
      case 'resolve': return decide.resolve(incident, actor, NOW);
      case 'changeSeverity': return decide.changeSeverity(incident, input.severity ?? 'P0', CRITICAL, actor, 'data loss');
      case 'updateSummary': return decide.updateSummary(incident, input.summary ?? { values: { environment: 'Production', type: 'Self', probableCause: 'A deploy' } }, actor, false);
      case 'postUpdate': return decide.postUpdate(incident, text, actor, NOW);
      case 'escalate': return decide.escalate(incident, actor, 'nobody answers');
      case 'recordMonitorResolved': return decide.recordMonitorResolved(incident, { at: NOW, title: 'HTTP 5xx > 5%', source: 'Grafana' });
      case 'recordPage': return decide.recordPage(incident, { level: 0, label: 'Primary on-call', people: [LEE], at: NOW });
      case 'addNote': return decide.addNote(incident, text, actor);
      case 'tickChecklist': return decide.tickChecklist(incident, input.item === null ? undefined : (input.item ?? ITEM), input.done ?? true, actor, NOW);
      case 'postmortemSaved': return decide.postmortemSaved(incident, input.version ?? 3, actor, NOW);
      case 'publishPostmortem': return decide.publishPostmortem(incident, input.version ?? 2, actor, NOW);
      case 'archive': return decide.archive(incident, actor);
      case 'follow': return decide.follow(incident, input.person ?? LEE);
      case 'unfollow': return decide.unfollow(incident, input.person ?? ADELE);
      case 'publishPublicStatus': return decide.publishPublicStatus(incident, actor, input.publicStatus ?? 'identified', text, NOW);
      case 'recordPublicStatusSync': return decide.recordPublicStatusSync(incident, input.sync ?? { page: { id: 'sp1', url: 'https://status.example.com/incidents/sp1' } });
    }
  };
  const d = run();
  if ('refuse' in d) return { refused: d.refuse };
  return { kind: d.event.kind, message: d.message, post: d.post, topic: d.topic, milestones: milestonesOf(d) };
}

// ---- Fixtures ----

const T0 = new Date('2026-05-01T12:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const NOW = at(120);
const MEGAN: Person = { id: '29:megan', name: 'Megan Bowen' };
const ADELE: Person = { id: '29:adele', name: 'Adele Vance' };
const LEE: Person = { id: '29:lee', name: 'Lee Gu' };
const ITEM: ChecklistItem = { id: 'roles', phase: 'First 30 minutes', text: 'Assign the roles' };
const CRITICAL: SeverityInfo = { label: 'Critical', definition: 'Many customers cannot use the product.', colour: 'attention' };
const SUMMARY: StatusSummary = {
  environment: 'Production', component: 'checkout-api', probableCause: 'connection pool exhausted', frequency: 'UNKNOWN', type: 'Self',
  recoveryEstimate: 'UNKNOWN', workingOnIt: 'Megan Bowen', currentAction: 'UNKNOWN', nextAction: 'UNKNOWN',
};

/**
 * An incident in `status` that has what every action needs: Megan as commander, a status summary,
 * the milestones its status implies, post-mortem version 2 saved (version 1 published), Adele
 * following, a public status already published; nothing on the checklist ticked.
 */
function ready(status: Status, fields: Partial<Incident> = {}): Incident {
  const mitigated = status === 'monitoring' || !isOpen(status);
  return sampleIncident({
    status,
    roles: { commander: MEGAN, smes: [] },
    summary: SUMMARY,
    milestones: {
      declared: T0,
      acknowledged: at(4),
      ...(mitigated ? { mitigated: at(30) } : {}),
      ...(!isOpen(status) ? { resolved: at(60) } : {}),
      ...(status === 'closed' || status === 'archived' ? { closed: at(90) } : {}),
    },
    postmortem: { version: 2, savedAt: at(100), savedBy: MEGAN, publishedVersion: 1, publishedAt: at(95), publishedBy: MEGAN },
    followers: [ADELE],
    publicStatus: { status: 'investigating', text: 'We are looking into failed checkouts.', at: at(5), by: MEGAN },
    ...fields,
  });
}

function expectRefused(outcome: Outcome, reason: RegExp): void {
  expect(outcome, 'expected a refusal').to.have.property('refused');
  if ('refused' in outcome) expect(outcome.refused).to.match(reason);
}
function expectAllowed(outcome: Outcome, kind: EventKind): Extract<Outcome, { kind: EventKind }> {
  if ('refused' in outcome) expect.fail(`expected ${kind}, refused: ${outcome.refused}`);
  expect(outcome.kind).to.equal(kind);
  expect(outcome.message).to.be.a('string').that.is.not.empty;
  return outcome;
}

// ---- Every action × every status ----
// An event kind: allowed and recorded as that kind. A pattern: refused, and the refusal says why.

const SHUT = /INC-42 is closed; nothing can change/;
const GONE = /INC-42 is archived; nothing can change/;
type Expect = EventKind | RegExp;
type PerStatus = readonly [triage: Expect, investigating: Expect, identified: Expect, monitoring: Expect, resolved: Expect, closed: Expect, archived: Expect];
interface Row { readonly action: ActionName; readonly needs: string; readonly given?: (i: Incident) => Partial<Incident>; readonly input?: Input; readonly expect: PerStatus }

const ACTIONS: readonly Row[] = [
  //                                                                triage / investigating / identified / monitoring / resolved / closed / archived
  { action: 'acknowledge', needs: 'not acknowledged yet', given: (i) => ({ milestones: { ...i.milestones, acknowledged: undefined } }),
    expect: ['acknowledged', 'acknowledged', 'acknowledged', 'acknowledged', 'acknowledged', SHUT, GONE] },
  { action: 'assignRole', needs: 'Lee becomes commander (was Megan)',
    expect: ['role_assigned', 'role_assigned', 'role_assigned', 'role_assigned', 'role_assigned', SHUT, GONE] },
  { action: 'close', needs: 'commander, summary, milestones of its status',
    expect: [/must be resolved first \(it is triage\)/, /resolved first \(it is investigating\)/, /resolved first \(it is identified\)/, /resolved first \(it is monitoring\)/, 'closed', SHUT, GONE] },
  { action: 'resolve', needs: 'any',
    expect: ['resolved', 'resolved', 'resolved', 'resolved', /already resolved/, SHUT, GONE] },
  { action: 'changeSeverity', needs: 'P1, moved to P0',
    expect: ['severity_changed', 'severity_changed', 'severity_changed', 'severity_changed', 'severity_changed', SHUT, GONE] },
  { action: 'updateSummary', needs: 'a valid summary',
    expect: ['summary_updated', 'summary_updated', 'summary_updated', 'summary_updated', 'summary_updated', SHUT, GONE] },
  { action: 'postUpdate', needs: 'some update text',
    expect: ['update_posted', 'update_posted', 'update_posted', 'update_posted', 'update_posted', SHUT, GONE] },
  { action: 'escalate', needs: 'any',
    expect: ['escalated', 'escalated', 'escalated', 'escalated', /resolved; there is nobody to escalate to/, SHUT, GONE] },
  // Recorded whatever the status: a late "resolved" from the monitor for an incident already over.
  { action: 'recordMonitorResolved', needs: 'any',
    expect: ['alert_received', 'alert_received', 'alert_received', 'alert_received', 'alert_received', 'alert_received', 'alert_received'] },
  { action: 'recordPage', needs: 'any',
    expect: ['paged', 'paged', 'paged', 'paged', /resolved; nobody needs paging/, /closed; nobody needs paging/, /archived; nobody needs paging/] },
  { action: 'addNote', needs: 'some note text',
    expect: ['note', 'note', 'note', 'note', 'note', 'note', /archived; its timeline is read-only/] },
  { action: 'tickChecklist', needs: 'an unticked item of its severity',
    expect: ['checklist_ticked', 'checklist_ticked', 'checklist_ticked', 'checklist_ticked', 'checklist_ticked', 'checklist_ticked', /archived; its checklist is read-only/] },
  // No status rule here: the post-mortem service refuses saving for archived incidents before this records it.
  { action: 'postmortemSaved', needs: 'version 3 after 2',
    expect: ['postmortem_saved', 'postmortem_saved', 'postmortem_saved', 'postmortem_saved', 'postmortem_saved', 'postmortem_saved', 'postmortem_saved'] },
  { action: 'publishPostmortem', needs: 'publishing version 2, the saved one',
    expect: [/triage: publish the post-mortem once it is resolved/, /once it is resolved/, /once it is resolved/, /once it is resolved/, 'postmortem_published', 'postmortem_published', /archived; its post-mortem was published/] },
  { action: 'archive', needs: 'a published post-mortem',
    expect: [/must be closed .*\(it is triage\)/, /must be closed/, /must be closed/, /must be closed/, /must be closed .*\(it is resolved\)/, 'archived', /already archived/] },
  { action: 'follow', needs: 'Lee, not following yet',
    expect: ['followed', 'followed', 'followed', 'followed', 'followed', 'followed', /archived; there will be no more updates/] },
  { action: 'unfollow', needs: 'Adele, following',
    expect: ['unfollowed', 'unfollowed', 'unfollowed', 'unfollowed', 'unfollowed', 'unfollowed', 'unfollowed'] },
  { action: 'publishPublicStatus', needs: 'by the commander (no Communications lead), new text',
    expect: ['public_status_updated', 'public_status_updated', 'public_status_updated', 'public_status_updated', 'public_status_updated', /closed; the status page is no longer updated/, /archived; the status page is no longer updated/] },
  { action: 'recordPublicStatusSync', needs: 'a public status to record',
    expect: ['public_status_published', 'public_status_published', 'public_status_published', 'public_status_published', 'public_status_published', 'public_status_published', 'public_status_published'] },
];

describe('decision rules: every action in every status', () => {
  for (const row of ACTIONS) {
    describe(`${row.action} (${row.needs})`, () => {
      STATUSES.forEach((status, index) => {
        const expected = row.expect[index]!;
        it(`${status}: ${expected instanceof RegExp ? `refused ${expected}` : expected}`, () => {
          const base = ready(status);
          const outcome = decideFor(row.action, { ...base, ...row.given?.(base) }, row.input);
          if (expected instanceof RegExp) expectRefused(outcome, expected);
          else expectAllowed(outcome, expected);
        });
      });
    });
  }
});

// ---- changeStatus: every from → to against the lifecycle ----

/** The allowed moves, written out: the lifecycle's transition table as this test expects it. */
const MOVES: Readonly<Record<Status, readonly Status[]>> = {
  triage: ['investigating', 'identified', 'monitoring', 'resolved'],
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'resolved'],
  resolved: ['monitoring', 'investigating', 'closed'],
  closed: ['archived'],
  archived: [],
};

describe('decision rules: changeStatus follows the lifecycle', () => {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      const legal = MOVES[from].includes(to);
      it(`${from} → ${to}: ${legal ? 'allowed' : 'refused'} by the lifecycle`, () => {
        expect(canMove(from, to)).to.equal(legal);
        const outcome = decideFor('changeStatus', ready(from), { to });
        if (from === 'closed' || from === 'archived') {
          // Archiving is its own action (it needs a published post-mortem); changeStatus moves nothing on.
          expectRefused(outcome, from === 'closed' ? SHUT : GONE);
        } else if (from === to) {
          expectRefused(outcome, new RegExp(`already ${to}`));
        } else if (!legal && to === 'closed') {
          expectRefused(outcome, new RegExp(`cannot be closed yet: it must be resolved first \\(it is ${from}\\)`));
        } else if (!legal) {
          expectRefused(outcome, new RegExp(`cannot go from ${from} to ${to}\\. From ${from} it can go to: ${MOVES[from].join(', ')}\\.$`));
        } else {
          expectAllowed(outcome, to === 'closed' ? 'closed' : to === 'resolved' ? 'resolved' : 'status_changed');
        }
      });
    }
  }

  const fresh = (status: Status, milestones: Partial<Incident['milestones']> = {}) => ready(status, { milestones: { declared: T0, ...milestones } });
  const MILESTONES: readonly { from: Incident; to: Status; records: readonly string[]; why: string }[] = [
    { from: fresh('triage'), to: 'resolved', records: ['acknowledged', 'mitigated', 'resolved'], why: 'straight to resolved records all three' },
    { from: fresh('triage'), to: 'monitoring', records: ['acknowledged', 'mitigated'], why: 'monitoring means service recovered' },
    { from: fresh('triage'), to: 'investigating', records: ['acknowledged'], why: 'any move acknowledges' },
    { from: fresh('monitoring', { acknowledged: at(4), mitigated: at(30) }), to: 'resolved', records: ['resolved'], why: 'only the first time' },
    { from: ready('resolved'), to: 'investigating', records: [], why: 'reopening keeps the recorded times' },
  ];
  for (const m of MILESTONES) {
    it(`${m.from.status} → ${m.to} records milestones [${m.records.join(', ')}] (${m.why})`, () => {
      const outcome = expectAllowed(decideFor('changeStatus', m.from, { to: m.to }), m.to === 'resolved' ? 'resolved' : 'status_changed');
      expect([...outcome.milestones].sort()).to.deep.equal([...m.records].sort());
      expect(outcome.message).to.contain(`from ${m.from.status} to ${m.to}`);
    });
  }
  it('resolve is changeStatus to resolved, with its milestones', () => {
    const outcome = expectAllowed(decideFor('resolve', fresh('identified', { acknowledged: at(4) })), 'resolved');
    expect([...outcome.milestones].sort()).to.deep.equal(['mitigated', 'resolved']);
  });
});

// ---- close: each blocker on its own ----

const BLOCKERS: readonly { blocker: string; incident: Incident; says: RegExp }[] = [
  { blocker: 'not resolved', incident: ready('monitoring', { milestones: { declared: T0, acknowledged: at(4), mitigated: at(30), resolved: at(60) } }), says: /it must be resolved first \(it is monitoring\)/ },
  { blocker: 'no mitigated time', incident: ready('resolved', { milestones: { declared: T0, acknowledged: at(4), resolved: at(60) } }), says: /the time service recovered \(mitigated\) is not recorded/ },
  { blocker: 'no resolution time', incident: ready('resolved', { milestones: { declared: T0, acknowledged: at(4), mitigated: at(30) } }), says: /the resolution time is not recorded/ },
  { blocker: 'no status summary', incident: ready('resolved', { summary: undefined }), says: /there is no status summary yet \(use Summary\)/ },
  { blocker: 'no commander', incident: ready('resolved', { roles: { communications: ADELE, smes: [] } }), says: /no Incident Commander was ever assigned/ },
];

describe('decision rules: what close needs', () => {
  for (const { blocker, incident, says } of BLOCKERS) {
    it(`refuses with only "${blocker}" missing, and names just that`, () => {
      const outcome = decideFor('close', incident);
      expectRefused(outcome, new RegExp(`cannot be closed yet: ${says.source}\\.$`));
      for (const other of BLOCKERS) if (other.says !== says && 'refused' in outcome) expect(outcome.refused).not.to.match(other.says);
    });
  }
  it('closes a resolved incident with both times, a summary and a commander (also via changeStatus)', () => {
    expect(expectAllowed(decideFor('close', ready('resolved')), 'closed').message).to.contain('closed INC-42');
    expectAllowed(decideFor('changeStatus', ready('resolved'), { to: 'closed' }), 'closed');
  });
});

// ---- Specific refusals (and their boundaries) within a status ----

const smes = (n: number): Person[] => Array.from({ length: n }, (_, i) => ({ id: `29:sme${i}`, name: `SME ${i}` }));
const followers = (n: number): Person[] => Array.from({ length: n }, (_, i) => ({ id: `29:f${i}`, name: `Follower ${i}` }));
const tick = { by: MEGAN, at: at(10) };

interface Case { readonly name: string; readonly action: ActionName; readonly incident?: Incident; readonly input?: Input; readonly expect: Expect }
const CASES: readonly Case[] = [
  { name: 'acknowledging twice', action: 'acknowledge', expect: /already acknowledged/ },
  { name: 'the same role holder again', action: 'assignRole', input: { person: MEGAN }, expect: /Megan Bowen is already the Incident Commander/ },
  { name: 'a new role holder', action: 'assignRole', input: { role: 'scribe', person: ADELE }, expect: 'role_assigned' },
  { name: 'an SME twice', action: 'assignRole', incident: ready('investigating', { roles: { commander: MEGAN, smes: [LEE] } }), input: { role: 'sme', person: LEE }, expect: /Lee Gu is already an SME/ },
  { name: 'a 20th SME', action: 'assignRole', incident: ready('investigating', { roles: { smes: smes(19) } }), input: { role: 'sme' }, expect: 'role_assigned' },
  { name: 'a 21st SME', action: 'assignRole', incident: ready('investigating', { roles: { smes: smes(20) } }), input: { role: 'sme' }, expect: /already has 20 SMEs/ },
  { name: 'the same severity', action: 'changeSeverity', input: { severity: 'P1' }, expect: /already P1/ },
  { name: 'an empty update', action: 'postUpdate', input: { text: '   ' }, expect: /An update needs some text/ },
  { name: 'an update of 2,001 characters', action: 'postUpdate', input: { text: 'x'.repeat(2001) }, expect: /limited to 2000 characters \(this one has 2001\)/ },
  { name: 'an update of 2,000 characters', action: 'postUpdate', input: { text: 'x'.repeat(2000) }, expect: 'update_posted' },
  { name: 'a summary outside the closed lists', action: 'updateSummary', input: { summary: { values: { environment: 'Mars' } } }, expect: /not saved: Environment must be one of/ },
  { name: 'a summary field over 300 characters', action: 'updateSummary', input: { summary: { values: { component: 'c'.repeat(301) } } }, expect: /Component responsible is longer than 300/ },
  { name: 'a topic line over 200 characters', action: 'updateSummary', input: { summary: { values: { topicLine: 't'.repeat(201) } } }, expect: /topic line is longer than 200/ },
  { name: 'an empty note', action: 'addNote', input: { text: ' ' }, expect: /A note needs some text/ },
  { name: 'a note of 2,001 characters', action: 'addNote', input: { text: 'n'.repeat(2001) }, expect: /Notes are limited to 2000/ },
  { name: 'an item not on the checklist', action: 'tickChecklist', input: { item: null }, expect: /not on the P1 checklist/ },
  { name: 'ticking a ticked item', action: 'tickChecklist', incident: ready('investigating', { checklist: { roles: tick } }), expect: /"Assign the roles" was already ticked/ },
  { name: 'unticking an unticked item', action: 'tickChecklist', input: { done: false }, expect: /"Assign the roles" was not ticked/ },
  { name: 'unticking a ticked item', action: 'tickChecklist', incident: ready('closed', { checklist: { roles: tick } }), input: { done: false }, expect: 'checklist_unticked' },
  { name: 'following twice', action: 'follow', input: { person: ADELE }, expect: /already follow INC-42/ },
  { name: 'the 501st follower', action: 'follow', incident: ready('investigating', { followers: followers(500) }), expect: /500 followers already/ },
  { name: 'unfollowing without following', action: 'unfollow', input: { person: LEE }, expect: /do not follow INC-42/ },
  { name: 'recording a post-mortem version already recorded', action: 'postmortemSaved', input: { version: 2 }, expect: /Version 2 of the post-mortem is already recorded/ },
  { name: 'publishing a post-mortem never saved', action: 'publishPostmortem', incident: ready('resolved', { postmortem: undefined }), input: { version: 1 }, expect: /Save the post-mortem before publishing/ },
  { name: 'publishing a stale post-mortem version', action: 'publishPostmortem', incident: ready('closed'), input: { version: 1 }, expect: /publishing version 1, but version 2 was saved since/ },
  { name: 'publishing the published version again', action: 'publishPostmortem', incident: ready('closed', { postmortem: { version: 2, savedAt: at(100), savedBy: MEGAN, publishedVersion: 2 } }), input: { version: 2 }, expect: /Version 2 is already published/ },
  { name: 'archiving without a published post-mortem', action: 'archive', incident: ready('closed', { postmortem: { version: 2, savedAt: at(100), savedBy: MEGAN } }), expect: /Publish the INC-42 post-mortem before archiving/ },
  { name: 'public status by the Communications lead', action: 'publishPublicStatus', incident: ready('resolved', { roles: { commander: MEGAN, communications: ADELE, smes: [] } }), input: { actor: ADELE, publicStatus: 'resolved' }, expect: 'public_status_updated' },
  { name: 'empty public text', action: 'publishPublicStatus', input: { text: '  ' }, expect: /Write what customers should read first/ },
  { name: 'public text over 2,000 characters', action: 'publishPublicStatus', input: { text: 'p'.repeat(2001) }, expect: /under 2000 characters \(it is 2001\)/ },
  { name: 'the public status it already shows', action: 'publishPublicStatus', input: { publicStatus: 'investigating', text: 'We are looking into failed checkouts.' }, expect: /already says exactly that/ },
  { name: 'the same public status again after a failed sync', action: 'publishPublicStatus', incident: ready('investigating', { publicStatus: { status: 'investigating', text: 'We are looking into failed checkouts.', at: at(5), by: MEGAN, error: 'timeout' } }), input: { publicStatus: 'investigating', text: 'We are looking into failed checkouts.' }, expect: 'public_status_updated' },
  { name: 'a status page sync with no public status', action: 'recordPublicStatusSync', incident: ready('investigating', { publicStatus: undefined }), expect: /No public status to record/ },
  { name: 'a failed status page sync', action: 'recordPublicStatusSync', input: { sync: { error: 'HTTP 503' } }, expect: 'public_status_failed' },
];

describe('decision rules: specific refusals within a status', () => {
  for (const c of CASES) {
    const incident = c.incident ?? ready('investigating');
    it(`${c.action}, ${c.name} (${incident.status}): ${c.expect instanceof RegExp ? `refused ${c.expect}` : c.expect}`, () => {
      const outcome = decideFor(c.action, incident, c.input);
      if (c.expect instanceof RegExp) expectRefused(outcome, c.expect);
      else expectAllowed(outcome, c.expect);
    });
  }
});

describe('decision rules: what allowed changes post', () => {
  it('postUpdate posts the trimmed text to the channel and the broadcast', () => {
    expect(expectAllowed(decideFor('postUpdate', ready('monitoring'), { text: '  Error rate back to normal  ' }), 'update_posted').post).to.equal('Error rate back to normal');
  });
  it('updateSummary gives a new channel topic only when a topic line is given', () => {
    const values = { environment: 'Production', probableCause: 'A deploy' };
    const withTopic = expectAllowed(decideFor('updateSummary', ready('identified'), { summary: { values: { ...values, topicLine: ' Checkout fails ', sreOwner: ' Lee ' } } }), 'summary_updated');
    expect(withTopic.topic).to.deep.equal({ line: 'Checkout fails', sreOwner: 'Lee', devOwner: undefined });
    expect(expectAllowed(decideFor('updateSummary', ready('identified'), { summary: { values } }), 'summary_updated').topic).to.equal(undefined);
  });
  it('status and severity changes are announced (once, in the channel and the broadcast thread)', () => {
    expect(expectAllowed(decideFor('changeSeverity', ready('triage')), 'severity_changed').post).to.match(/changed INC-42 from P\d to P\d/);
    expect(expectAllowed(decideFor('changeStatus', ready('triage'), { to: 'investigating' }), 'status_changed').post).to.match(/moved INC-42 from triage to investigating/);
  });
  it('other changes post nothing and change no topic', () => {
    for (const action of ['acknowledge', 'escalate', 'addNote'] as const) {
      const base = ready('triage');
      const outcome = expectAllowed(decideFor(action, { ...base, milestones: { declared: T0 } }), action === 'acknowledge' ? 'acknowledged' : action === 'addNote' ? 'note' : 'escalated');
      expect(outcome.post, action).to.equal(undefined);
      expect(outcome.topic, action).to.equal(undefined);
    }
  });
  it('changeSeverity says what the new level means, and why', () => {
    expect(expectAllowed(decideFor('changeSeverity', ready('investigating')), 'severity_changed').message).to.match(/from P1 to P0 \(Critical: Many customers cannot use the product\.\) because data loss/);
  });
});
