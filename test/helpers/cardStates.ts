import { summaryDialogCard, summaryFormCard } from '../../bot/cards/summaryForm.js';
import { publicStatusDialogCard, severityDialogCard, updateDialogCard } from '../../bot/cards/dialogCards.js';
import { incidentCard } from '../../bot/cards/incidentCard.js';
import { declareFormCard } from '../../bot/cards/declareForm.js';
import { broadcastCard, listCard, myIncidentsCard, postmortemCard, reporterCard, updateCard } from '../../bot/cards/messages.js';
import { checklistFor, DEFAULT_SOP } from '../../models/incident/checklist.js';
import { draftPostmortem } from '../../models/postmortem/postmortem.js';
import { helpCard } from '../../bot/cards/help.js';
import { metricsCard } from '../../bot/cards/metricsCard.js';
import { DEFINITIONS, type MetricsReport } from '../../models/metrics/metrics.js';
import { COMMANDS } from '../../bot/commands.js';
import { pendingSteps, type Incident, type ProvisioningStep, type StepState } from '../../models/incident/incident.js';
import { SEVERITIES } from '../../models/incident/severity.js';
import { BUILT_IN_PROFILE, TenantProfiles } from '../../models/incident/tenantProfile.js';
import { sampleIncident } from './fixtures.js';
import { md } from '../../models/support/markdown.js';

/** Every state of every card we emit, for the validator and the rendering screenshots. */
export const base = sampleIncident();
export const ctx = { now: new Date('2026-05-01T13:30:00Z'), rules: { p1MaxMinutes: 60, mode: 'suggest' as const }, profile: BUILT_IN_PROFILE };
const builtIn = BUILT_IN_PROFILE;

/** A tenant that renamed everything it may: the cards must stay valid with its words. */
const parsedCustom = TenantProfiles.parse({
  default: {
    severities: { P0: { label: 'SEV-1 «all hands»', definition: 'Revenue stops: <b>everyone</b> on the bridge.', colour: 'warning' } },
    texts: { cardBanner: '📘 [Runbook for {label}](https://wiki.example.com/runbooks) · {severityLabel}', broadcastFooter: 'Ask questions in the {label} thread, not in DMs.' },
  },
});
export const customProfile = 'profiles' in parsedCustom ? parsedCustom.profiles.fallback : builtIn;
const alex = { id: '29:alex', name: 'Alex Wilber' };
const megan = { id: '29:megan', name: 'Megan Bowen' };
const summary = {
  environment: 'Production', component: 'payments-api', probableCause: 'Deploy 2026.05.01-3', frequency: 'Every request since 12:02', type: 'Self',
  recoveryEstimate: 'Minutes', workingOnIt: 'Alex, Megan', currentAction: 'Rolling back', nextAction: 'Watch error rate for 15 min',
};
const done: StepState = { status: 'done', attempts: 1 };
const steps = (overrides: Partial<Record<ProvisioningStep, StepState>>) => ({ ...pendingSteps(), ...overrides });
const provisionedIncident: Incident = {
  ...base,
  description: 'Started after deploy 2026.05.01-3. '.repeat(20),
  component: 'payments',
  channel: { id: '19:x@thread.tacv2', name: 'inc-42-checkout', webUrl: 'https://teams.microsoft.com/l/channel/x' },
  meeting: { id: 'm', joinUrl: 'https://teams.microsoft.com/l/meetup-join/x', via: 'onlineMeeting' },
  tab: { id: 't', webUrl: 'https://teams.microsoft.com/l/entity/x', contentUrl: 'https://app/tab' },
  provisioning: { complete: true, steps: steps({ channel: done, meeting: done, tab: done, card: done }) },
};
const failedMeeting: Incident = {
  ...provisionedIncident,
  meeting: undefined,
  provisioning: { complete: true, steps: steps({ channel: done, meeting: { status: 'failed', attempts: 1, error: 'HTTP 403', hint: 'Grant the access policy' } }) },
};

const firstItems = checklistFor(DEFAULT_SOP, 'P1').slice(0, 3);
const inTheTab: Incident = {
  ...provisionedIncident,
  status: 'resolved',
  milestones: { ...base.milestones, acknowledged: new Date('2026-05-01T12:04:00Z'), mitigated: new Date('2026-05-01T12:40:00Z'), resolved: new Date('2026-05-01T13:20:00Z') },
  checklist: Object.fromEntries(firstItems.map((item) => [item.id, { by: megan, at: new Date('2026-05-01T12:10:00Z') }])),
  postmortem: { version: 3, savedAt: new Date('2026-05-02T09:00:00Z'), savedBy: megan, publishedVersion: 3, publishedAt: new Date('2026-05-02T09:05:00Z'), publishedBy: alex },
};
const postmortem = {
  incidentId: base.id,
  version: 3,
  savedAt: new Date('2026-05-02T09:00:00Z'),
  savedBy: megan,
  content: {
    ...draftPostmortem(inTheTab, []),
    impact: '12% of checkouts failed for 40 minutes; **no** data lost <at>everyone</at>',
    rootCauses: [
      { description: 'The connection pool was sized for last year’s peak', type: 'capacity' as const },
      { description: 'Deploy 2026.05.01-3 doubled queries per checkout', type: 'code change' as const },
    ],
    actionItems: [
      { description: 'Alert on pool saturation', owner: 'Megan Bowen', due: '2026-05-09', kind: 'hotfix' as const, link: 'https://tracker.example/OPS-1', done: false },
      { description: 'Load test checkout at 2× peak before each release', owner: '', due: '', kind: 'proper fix' as const, link: '', done: false },
    ],
  },
};

const stats = (median?: number) => ({ count: median === undefined ? 0 : 10, missing: 2, medianMinutes: median, p90Minutes: median && median * 3 });
const report: MetricsReport = {
  query: { from: '2026-04-01T00:00:00.000Z', to: '2026-05-01T00:00:00.000Z', timeZone: 'UTC' },
  incidents: 12,
  overall: { mtta: stats(6), mttrRecovery: stats(95), mttrRepair: stats(240) },
  perMonth: [],
  byDayOfWeek: [],
  worstDay: 'Friday',
  openAtMonthEnd: [{ month: '2026-04', at: '2026-05-01T00:00:00.000Z', open: 3 }],
  bySeverity: [{ severity: 'P1', incidents: 4, mtta: stats(5), mttrRecovery: stats(60), mttrRepair: stats(120) }],
  byType: [{ type: 'security', incidents: 3, mtta: stats(5), mttrRecovery: stats(60), mttrRepair: stats(120) }, { type: 'service-outage', incidents: 1, mtta: stats(5), mttrRecovery: stats(60), mttrRepair: stats(120) }],
  byComponent: [],
  byCauseType: [{ type: 'configuration', incidents: 4 }, { type: 'capacity <b>', incidents: 2 }],
  actionItems: { open: 7, overdue: 2 },
  followUp: { items: 0, done: 0, timed: 0, byType: [], byTeam: [], overdue: [], overdueTotal: 0 },
  definitions: DEFINITIONS,
};

export const CARD_STATES: readonly (readonly [string, object])[] = [
  ['incident card, just declared', incidentCard(base, ctx)],
  ['incident card, provisioned', incidentCard(provisionedIncident, ctx)],
  ['incident card, meeting failed', incidentCard(failedMeeting, ctx)],
  ...SEVERITIES.map((severity): [string, object] => [`incident card, ${severity}`, incidentCard({ ...base, severity }, ctx)]),
  ['incident card, hostile title', incidentCard({ ...base, title: '[click me](https://evil.example) <at>everyone</at> **bold**' }, ctx)],
  ['incident card, phishing title, update and names', incidentCard({
    ...base, title: '[Re-authenticate your SSO here](https://evil.example/login)', component: 'javascript:alert(1)',
    roles: { commander: { id: '29:x', name: '**Boss** <at>everyone</at>' }, smes: [] },
    lastUpdate: { text: 'Rolled back 2026.05.01-3.\n# Now\n![img](https://evil.example/x.png) see https://evil.example/raw | a | b |', at: new Date('2026-05-01T13:00:00Z'), by: { id: '29:y', name: 'Ann_B (Ops)' } },
  }, ctx)],
  ['incident card, running: roles, summary, topic, update, notice', incidentCard({
    ...provisionedIncident, status: 'identified', version: 9,
    roles: { commander: alex, communications: megan, scribe: megan, smes: [alex, megan] },
    milestones: { ...base.milestones, acknowledged: new Date('2026-05-01T12:03:00Z') },
    summary, topic: { line: 'Checkout 500s after deploy', sreOwner: 'Alex', devOwner: 'Megan' },
    lastUpdate: { text: 'Rolled back; error rate falling. '.repeat(30), at: new Date('2026-05-01T13:00:00Z'), by: alex },
  }, { ...ctx, notice: 'Your card was out of date; since you loaded it: Megan changed severity P2 → P1.' })],
  ['incident card, paged and escalated, not acknowledged', incidentCard({ ...provisionedIncident, escalations: 1, paging: { level: 1, label: 'secondary on-call', people: [megan], at: new Date('2026-05-01T12:16:00Z') } }, ctx)],
  ['incident card, P1 past the limit suggests P0', incidentCard({ ...base, severity: 'P1' }, { ...ctx, now: new Date('2026-05-01T14:00:00Z') })],
  ['incident card, monitoring: resolve is one of the three', incidentCard({ ...provisionedIncident, status: 'monitoring', roles: { commander: alex, smes: [] } }, { ...ctx, updateEveryMinutes: 10 })],
  ['incident card, private: members, invite and remove', incidentCard({ ...provisionedIncident, channel: undefined, private: true, members: [alex, megan], chat: { id: '19:chat@thread.v2', webUrl: 'https://teams.example/chat' } }, ctx)],
  ['incident card, resolved', incidentCard({ ...provisionedIncident, status: 'resolved', milestones: { ...base.milestones, mitigated: new Date(), resolved: new Date() } }, ctx)],
  ['incident card, closed', incidentCard({ ...provisionedIncident, status: 'closed' }, ctx)],
  ['incident card, checklist progress and published post-mortem', incidentCard(inTheTab, ctx)],
  ['incident card, with a status page: updates and public status together', incidentCard({
    ...provisionedIncident, status: 'identified', roles: { commander: alex, communications: megan, smes: [] },
    publicStatus: { status: 'identified', text: 'We found the cause and are deploying a fix.', at: new Date('2026-05-01T12:30:00Z'), by: megan, page: { id: 'p1', url: 'https://stspg.io/abc' } },
  }, { ...ctx, statusPage: true })],
  ['incident card, status page update failed', incidentCard({ ...provisionedIncident, publicStatus: { status: 'investigating', text: 'Looking into it', at: new Date(), by: megan, error: 'updating the status page incident failed (HTTP 503)' } }, { ...ctx, statusPage: true })],
  ['incident card, resolved, with a status page', incidentCard({ ...provisionedIncident, status: 'resolved', milestones: { ...base.milestones, mitigated: new Date(), resolved: new Date() } }, { ...ctx, statusPage: true })],
  ['summary dialog, opened', summaryDialogCard({ ...provisionedIncident, summary })],
  ['summary dialog, a conflict to choose', summaryDialogCard({ ...provisionedIncident, summary }, { values: { currentAction: 'Failing over' }, conflicts: [{ field: 'currentAction', label: 'Current action step', theirs: 'Rolling back', mine: 'Failing over' }], problem: 'Choose what to keep.' })],
  ['update dialog', updateDialogCard({ ...provisionedIncident, lastUpdate: { text: 'Rolled back', at: new Date('2026-05-01T13:00:00Z'), by: alex } }, { typed: { updateText: 'Half typed' }, problem: 'Write the update first.' })],
  ['severity dialog', severityDialogCard(provisionedIncident, builtIn.severities, { typed: { reason: 'every customer' } })],
  ['public status dialog', publicStatusDialogCard(provisionedIncident)],
  ['summary command card', summaryFormCard(provisionedIncident)],
  ['declare form in the message-extension dialog', declareFormCard({ title: 'Checkout is throwing 500s', description: 'From a message by Megan Bowen' }, [], { in: 'dialog', extra: { quote: { id: '19:x:1', excerpt: 'Checkout is throwing 500s' } } })],
  ['my incidents card', myIncidentsCard([{ incident: provisionedIncident, roles: ['Incident Commander'], following: false }, { incident: { ...base, number: 43 }, roles: [], following: true }], 'https://incidents.example.com/tab/mine')],
  ['my incidents card, empty', myIncidentsCard([], 'https://incidents.example.com/tab/mine')],
  ['post-mortem summary card', postmortemCard(inTheTab, postmortem, builtIn, 'https://teams.microsoft.com/l/entity/x')],
  ['post-mortem summary card, no times, no link', postmortemCard(base, { ...postmortem, content: { ...postmortem.content, times: { started: null, detected: null, acknowledged: null, recovered: null, resolved: null }, rootCauses: [], actionItems: [], impact: '' } }, builtIn)],
  ['metrics card, last 30 days', metricsCard(report, 30, 'https://incidents.example.com/tab/metrics')],
  ['metrics card, nothing happened', metricsCard({ ...report, incidents: 0, overall: { mtta: stats(), mttrRecovery: stats(), mttrRepair: stats() }, worstDay: undefined, bySeverity: [], byCauseType: [], openAtMonthEnd: [] }, 7)],
  ['summary form card', summaryFormCard({ ...base, summary })],
  ['help card with calls to action', helpCard(COMMANDS, md`You are in INC-42`, base)],
  ['help card anywhere', helpCard(COMMANDS, md`incident-room commands`)],
  ['broadcast card', broadcastCard({ ...provisionedIncident, lastUpdate: { text: 'Rolled back', at: new Date(), by: alex }, roles: { commander: alex, communications: megan, smes: [] } }, builtIn)],
  ['broadcast card, tenant texts', broadcastCard(provisionedIncident, customProfile)],
  ['broadcast card, redacted (a security incident)', broadcastCard({ ...provisionedIncident, type: 'security' }, builtIn, 'redacted')],
  ['incident card, a data incident with its fields', incidentCard({ ...provisionedIncident, type: 'data-incident', fields: { records: 1200, 'data-kind': 'Personal data', 'privacy-officer': megan } }, ctx)],
  ['incident card, tenant severity names and banner', incidentCard({ ...base, severity: 'P0' }, { ...ctx, profile: customProfile })],
  ['declare form, tenant severity names', declareFormCard({}, [], undefined, customProfile.severities)],
  ['update card', updateCard(provisionedIncident, md`Rolled back; watching.`, alex)],
  ['list card', listCard([provisionedIncident, { ...base, number: 43 }])],
  ['list card, empty', listCard([])],
  ['declare form, empty', declareFormCard()],
  ['declare form, with problems and values', declareFormCard({ title: 'x', severity: 'P9' }, ['unknown severity "P9"'])],
  ['declare form, a security incident with its fields', declareFormCard({ title: 'Phished admin', type: 'security', fields: { vector: 'Phishing', systems: 'vpn' } })],
  ['declare form, a data incident with a person picked and a bad number', declareFormCard({ title: 'Export leaked', type: 'data-incident', fields: { records: 'lots', 'privacy-officer': { id: '29:megan', name: 'Megan Bowen' } } }, ['Records affected must be a number'], { in: 'dialog', extra: { quote: { id: '19:x:1', excerpt: 'leak' } } })],
  ['reporter card, declaring', reporterCard(base, builtIn)],
  ['reporter card, room ready', reporterCard(provisionedIncident, builtIn)],
  ['reporter card, private: its chat', reporterCard({ ...base, private: true, members: [alex], chat: { id: '19:chat@thread.v2', webUrl: 'https://teams.example/chat' } }, builtIn)],
  ['reporter card, private: no chat, personal chats', reporterCard({ ...base, private: true, members: [alex], chatFallback: { reason: 'creating the private incident chat failed (HTTP 403)', at: new Date('2026-05-01T12:01:00Z') } }, builtIn)],
  ['reporter card, channel failed', reporterCard({ ...base, provisioning: { complete: true, steps: steps({ channel: { status: 'failed', attempts: 6, error: 'HTTP 403', hint: 'Grant Channel.Create' } }) } }, builtIn)],
];
