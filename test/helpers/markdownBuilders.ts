/**
 * Every builder of bot-authored Markdown (chat texts, cards, the Markdown export), as rows that
 * run it with all people's words set to one string. test/security/markdownEscaping.test.ts runs
 * each row with HOSTILE and BENIGN text and checks that no markup came from the words, and that
 * every file making Markdown, and every export of bot/cards/, has a row here.
 */
import { incidentCard } from '../../bot/cards/incidentCard.js';
import { broadcastCard, listCard, myIncidentsCard, postmortemCard, reporterCard, updateCard } from '../../bot/cards/messages.js';
import { declareFormCard } from '../../bot/cards/declareForm.js';
import { helpCard, welcomeOpening } from '../../bot/cards/help.js';
import { metricsCard } from '../../bot/cards/metricsCard.js';
import { summaryDialogCard, summaryFormCard } from '../../bot/cards/summaryForm.js';
import { publicStatusDialogCard, severityDialogCard, updateDialogCard } from '../../bot/cards/dialogCards.js';
import { moreActions, nowActions } from '../../bot/cards/incidentCardActions.js';
import { incidentCardRenderer } from '../../bot/cards/renderer.js';
import { fact, factSet, tenantText, text } from '../../bot/cards/common.js';
import { outcomeCard } from '../../bot/messageExtension.js';
import { keyMessageCard } from '../../bot/cards/keyMessageCard.js';
import { onCallText } from '../../bot/oncallText.js';
import { noticeActivity } from '../../bot/connectorMessenger.js';
import { IncidentDesk } from '../../bot/incidentDesk.js';
import { COMMANDS, commandTable, dispatch } from '../../bot/commands.js';
import { DeclareFlow } from '../../bot/declareFlow.js';
import { runOnCallCommand } from '../../bot/oncallCommand.js';
import type { BotTurn, OutgoingMessage } from '../../bot/turn.js';
import { followerMessage } from '../../models/actions/followers.js';
import { Notifications } from '../../models/actions/notifications.js';
import { PublicStatusSync } from '../../models/actions/publicStatusSync.js';
import { effectHandlers } from '../../models/delivery/effectHandlers.js';
import { Paging } from '../../models/paging/paging.js';
import { Nudges } from '../../models/followThrough/nudges.js';
import { RotaPager } from '../../models/paging/rotaPager.js';
import type { OnCallSetup } from '../../models/paging/oncall.js';
import type { Rota, RotaView } from '../../models/paging/rota.js';
import { PagerDutyPager } from '../../adapters/pagerDuty.js';
import { PagerDutyStandIn } from '../../local/standins/pagerDutyStandIn.js';
import { timelineMarkdown } from '../../models/record/timelineExport.js';
import { timelineEvent, type Actor } from '../../models/incident/timeline.js';
import { BUILT_IN_PROFILE, TenantProfiles, type TenantProfile } from '../../models/incident/tenantProfile.js';
import type { Incident, Person } from '../../models/incident/incident.js';
import { DEFINITIONS, type MetricsReport } from '../../models/metrics/metrics.js';
import { draftPostmortem } from '../../models/postmortem/postmortem.js';
import { postmortemDocument } from '../../models/postmortem/postmortemDocument.js';
import { postmortemMarkdown } from '../../models/postmortem/postmortemMarkdown.js';
import { md, type Markdown } from '../../models/support/markdown.js';
import type { Access } from '../../models/access/access.js';
import { PrivateMembership } from '../../models/actions/privateMembership.js';
import { incidentWith } from './markdownSweep.js';

export interface BuilderRow {
  /** The file the builder is in. */
  readonly source: string;
  /** The builder: an export (of bot/cards/ by its exact name) or Class.method. */
  readonly name: string;
  /** Everything it writes with people's words set to `s`: Markdown, strings, cards or activities. */
  readonly build: (s: string) => unknown[] | Promise<unknown[]>;
  /** What of `s` must still be read in the output (all of it unless the builder shortens it). */
  readonly shows?: (s: string) => string;
}

const declared = new Date('2026-05-01T12:00:00Z');
const clock = { now: () => new Date(declared.getTime() + 86_400_000), sleep: async () => undefined };
const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
/** The tenant's texts are theirs (Markdown kept); the incident's words fill their placeholders. */
const profile: TenantProfile = { ...BUILT_IN_PROFILE, texts: { ...BUILT_IN_PROFILE.texts, cardBanner: '📘 [Runbook](https://wiki.example.com/rb) for {label}: {title}', reporterOpening: 'Opening {label}…', broadcastFooter: 'Ask in the {label} thread.', postmortemFooter: '**Blameless** ({label}).' } };
const ctx = (s: string) => ({ now: clock.now(), rules: { p1MaxMinutes: 60, mode: 'suggest' as const }, profile, notice: s, statusPage: true });
const person = (s: string, id = '29:p', aadObjectId?: string): Person => ({ id, name: s, ...(aadObjectId ? { aadObjectId } : {}) });
const actor = (s: string): Actor => ({ kind: 'user', id: '29:actor', name: s });
const event = (s: string, kind: Parameters<typeof timelineEvent>[1], payload: Record<string, unknown>) => timelineEvent('a'.repeat(24), kind, `${kind}-${s.length}`, { at: declared, actor: actor(s), payload });
const notices = () => {
  const said: unknown[] = [];
  return { said, messenger: { postNotice: async (_i: Incident, text: Markdown, mentions: readonly Person[] = []) => void said.push(noticeActivity(text, mentions)) } };
};

function report(s: string): MetricsReport {
  const stats = { count: 1, missing: 0, medianMinutes: 5, p90Minutes: 9 };
  return {
    query: { from: '2026-04-01T00:00:00.000Z', to: '2026-05-01T00:00:00.000Z', timeZone: 'UTC' }, incidents: 1, overall: { mtta: stats, mttrRecovery: stats, mttrRepair: stats },
    perMonth: [], byDayOfWeek: [], worstDay: 'Friday', openAtMonthEnd: [], bySeverity: [], byType: [], byComponent: [], byCauseType: [{ type: s, incidents: 2 }], actionItems: { open: 1, overdue: 0 }, followUp: { items: 1, done: 0, completionRate: 0, timed: 0, byType: [{ type: s, items: 1, done: 0, timed: 0 }], byTeam: [{ team: s, items: 1, done: 0, timed: 0 }], overdue: [{ incidentId: s, itemId: s, item: s, owner: s, due: '2026-04-01', daysOverdue: 3 }], overdueTotal: 1 }, definitions: DEFINITIONS,
  };
}

function postmortem(s: string, incident: Incident) {
  const content = { ...draftPostmortem(incident, []), impact: s, rootCauses: [{ description: s, type: 'capacity' as const }], actionItems: [{ description: s, owner: s, due: '2026-05-09', kind: 'hotfix' as const, link: '', done: true }] };
  return { incidentId: incident.id, version: 2, savedAt: declared, savedBy: person(s), content };
}

/** An on-call setup whose every name is `s` (built as the type, not parsed: the file's length limits are not the point). */
function setup(s: string): OnCallSetup {
  const p = person(s, '29:oncall');
  return {
    rota: { name: s, people: [p, person(s, '29:second')], start: '2026-01-05T09:00:00Z', shiftHours: 168 },
    policy: [{ target: 'primary', label: s }, { target: { people: [p] } }],
    timings: { P1: { matrix: [{ afterMinutes: 30, notify: s }] } },
    directory: [{ component: s, team: s, people: [p] }],
  };
}

/** A chat turn outside any incident channel that records the bot's replies. */
function turnFor(s: string, replies: OutgoingMessage[], personal = false): BotTurn {
  return {
    actor: person(s, '29:actor'), tenantId: 'tenant-a', activityId: 'act-1', address: { serviceUrl: 'https://smba.example/', tenantId: 'tenant-a', conversationId: '19:general' },
    conversationRoot: '19:general', personal, mentions: [person(s, '29:mentioned')],
    reply: async (m) => {
      replies.push(m);
      return undefined;
    },
    resolveMember: async () => undefined,
  };
}

function desk(s: string, found = true) {
  const incident = incidentWith(s);
  const result = { outcome: 'applied' as const, incident, message: s, changedSince: [event(s, 'note', { text: s })], deliveryProblem: s };
  return new IncidentDesk({
    incidents: { findById: async () => incident, findByNumber: async () => (found ? incident : undefined), findByChannel: async () => undefined, findByMeetingChat: async () => undefined, listOpen: async () => [incident, incidentWith(s, { number: 43 })], listForPerson: async () => [incident] },
    timeline: { appendEvent: async () => true },
    clock,
    actions: { run: async () => result, enforceRules: async (i: Incident) => i },
    access: { mayDo: async () => undefined, canSee: async () => true, visible: async (list: unknown[]) => list } as unknown as Access,
    cards: incidentCardRenderer({ clock, rules: { p1MaxMinutes: 60, mode: 'suggest' }, profiles: TenantProfiles.builtIn, statusPage: false }),
  });
}

function declareFlow(s: string, denied?: string) {
  const store = { findById: async () => undefined } as never;
  return new DeclareFlow({ store, clock, runner: { start: () => undefined, leaseForNew: () => ({}) } as never, profiles: TenantProfiles.builtIn, log, access: { mayDo: async () => denied } });
}

function rota(s: string): Rota {
  const view: RotaView = { setup: setup(s), shift: { primary: person(s), secondary: person(s, '29:s'), startedAt: declared, handoffAt: declared }, warnings: [s] };
  const change = async () => ({ changed: true as const, view, message: s });
  return { view: async () => view, add: change, remove: change, setShiftHours: change, setTiming: change } as unknown as Rota;
}

/** Runs a few commands end to end through the command table and collects every reply. */
async function commands(s: string): Promise<unknown[]> {
  const replies: OutgoingMessage[] = [];
  const table = commandTable({
    declare: declareFlow(s, s), desk: desk(s), rota: rota(s), metrics: { store: { metrics: async () => report(s) } as never, clock },
    mine: async () => [{ incident: incidentWith(s), roles: ['Scribe'], following: true }], urls: { metricsTab: 'https://app.example/m', myIncidentsTab: 'https://app.example/mine' },
    reviews: { schedule: async () => ({ outcome: 'refused', message: `${s} is busy` }) },
  });
  const turn = turnFor(s, replies);
  for (const line of ['ack INC-42', 'update INC-42 x', 'declare x', 'list all', 'help', 'metrics', 'oncall', 'oncall add', 'review INC-42']) await dispatch(table, turn, line, async () => undefined);
  await dispatch(table, turnFor(s, replies, true), 'list', async () => undefined);
  await dispatch(table, turn, s, async () => undefined); // an unknown first word, quoted back
  await dispatch(commandTable({ declare: declareFlow(s), desk: desk(s, false), rota: rota(s), metrics: {} as never, mine: async () => [], urls: { metricsTab: '', myIncidentsTab: '' }, reviews: { schedule: async () => ({ outcome: 'refused', message: '' }) } }), turn, 'ack', async () => undefined);
  return replies.flatMap((r) => [r.text, r.card]);
}

async function paging(s: string): Promise<unknown[]> {
  const { said, messenger } = notices();
  const open = incidentWith(s, { milestones: { declared } });
  const resolved = incidentWith(s, { status: 'resolved', milestones: { declared } });
  const run = async (incident: Incident, oncall: OnCallSetup | undefined, kind: keyof Paging['handlers'], payload: Record<string, unknown> = {}) => {
    const pager = new RotaPager(messenger, TenantProfiles.builtIn);
    const jobs = { scheduleJob: async () => undefined, cancelJobs: async () => 0 } as never;
    const p = new Paging({ store: { findById: async () => incident, appendEvent: async () => true } as never, jobs, actions: { run: async () => ({ outcome: 'applied', message: '' }) }, messenger, pager, setup: async () => oncall, clock, log });
    await p.handlers[kind]({ id: `job-${kind}`, kind, incidentId: incident.id, dueAt: declared, payload, attempts: 0 });
  };
  await run(open, undefined, 'page', { level: 0 });
  await run(open, setup(s), 'page', { level: 0 });
  await run(open, setup(s), 'page', { level: 9 });
  await run(open, setup(s), 'escalate', { level: 0, ackMinutes: 15 });
  await run(open, setup(s), 'update_reminder');
  await run(open, setup(s), 'matrix_reminder', { notify: s });
  await run(resolved, setup(s), 'postmortem_reminder');
  return said;
}

async function pagerDuty(s: string): Promise<unknown[]> {
  const pd = new PagerDutyStandIn('routing-key');
  await pd.start();
  try {
    const { said, messenger } = notices();
    await new PagerDutyPager({ eventsUrl: `${pd.url}/`, routingKey: 'routing-key' }, messenger, clock).page({ incident: incidentWith(s), people: [person(s)], level: 0, label: s, dedupKey: 'k', link: 'https://teams.microsoft.com/l/channel/x' });
    return said;
  } finally {
    await pd.stop();
  }
}

export const BUILDER_ROWS: readonly BuilderRow[] = [
  // bot/cards/: every export that makes a card or its text (the test checks the list of exports against these names).
  { source: 'bot/cards/incidentCard.ts', name: 'incidentCard', build: (s) => [incidentCard(incidentWith(s), ctx(s)), incidentCard(incidentWith(s, { lastUpdate: undefined, status: 'resolved', dataLoss: true }), ctx(s)), incidentCard(incidentWith(s, { bridge: { records: 'unavailable', reason: s } }), ctx(s))] },
  { source: 'bot/cards/renderer.ts', name: 'incidentCardRenderer', build: (s) => [incidentCardRenderer({ clock, rules: { p1MaxMinutes: 60, mode: 'suggest' }, profiles: TenantProfiles.builtIn, statusPage: true }).incident(incidentWith(s), s)] },
  { source: 'bot/cards/messages.ts', name: 'reporterCard', build: (s) => [reporterCard(incidentWith(s), profile), reporterCard(incidentWith(s, { channel: undefined }), profile), reporterCard(incidentWith(s, { channel: undefined, provisioning: { complete: true, steps: { ...incidentWith(s).provisioning.steps, channel: { status: 'failed', attempts: 1, error: s, hint: s } } } }), profile)] },
  { source: 'bot/cards/messages.ts', name: 'broadcastCard', build: (s) => [broadcastCard(incidentWith(s), profile), broadcastCard(incidentWith(s), profile, 'redacted')] },
  { source: 'bot/cards/messages.ts', name: 'updateCard', build: (s) => [updateCard(incidentWith(s), md`${s}`, person(s))] },
  { source: 'bot/cards/messages.ts', name: 'listCard', build: (s) => [listCard([incidentWith(s), incidentWith(s, { roles: { smes: [] }, channel: undefined })])] },
  { source: 'bot/cards/messages.ts', name: 'myIncidentsCard', build: (s) => [myIncidentsCard([{ incident: incidentWith(s), roles: ['Scribe'], following: true }], 'https://app.example/mine')] },
  { source: 'bot/cards/messages.ts', name: 'postmortemCard', build: (s) => [postmortemCard(incidentWith(s), postmortem(s, incidentWith(s)), profile, 'https://app.example/tab')] },
  { source: 'bot/cards/declareForm.ts', name: 'declareFormCard', build: (s) => [declareFormCard({ title: s, component: s, description: s }, [s, s]), declareFormCard({ title: s, type: 'data-incident', fields: { records: s, 'data-kind': s, 'privacy-officer': s } }, [s])] },
  { source: 'bot/cards/help.ts', name: 'helpCard', build: (s) => [helpCard(COMMANDS, md`${s}`, incidentWith(s)), helpCard(COMMANDS, md`${s}`)] },
  { source: 'bot/cards/help.ts', name: 'welcomeOpening', build: (s) => [helpCard(COMMANDS, welcomeOpening(s, incidentWith(s)), incidentWith(s))] },
  { source: 'bot/cards/metricsCard.ts', name: 'metricsCard', build: (s) => [metricsCard(report(s), 30, 'https://app.example/m')] },
  { source: 'bot/cards/summaryForm.ts', name: 'summaryFormCard', build: (s) => [summaryFormCard(incidentWith(s)), text(s)] },
  { source: 'bot/cards/summaryForm.ts', name: 'summaryDialogCard', build: (s) => [summaryDialogCard(incidentWith(s), { problem: s, conflicts: [{ field: 'probableCause', label: 'Probable cause', theirs: s, mine: s }] }), text(s)] },
  { source: 'bot/cards/dialogCards.ts', name: 'updateDialogCard', build: (s) => [updateDialogCard(incidentWith(s), { typed: { updateText: s }, problem: s })] },
  { source: 'bot/cards/dialogCards.ts', name: 'severityDialogCard', build: (s) => [severityDialogCard(incidentWith(s), profile.severities, { typed: { reason: s }, problem: s })] },
  { source: 'bot/cards/dialogCards.ts', name: 'publicStatusDialogCard', build: (s) => [publicStatusDialogCard(incidentWith(s), { typed: { publicText: s }, problem: s })] },
  { source: 'bot/cards/incidentCardActions.ts', name: 'moreActions', build: (s) => [moreActions(incidentWith(s), { statusPage: true }) ?? {}, text(s)] },
  { source: 'bot/cards/incidentCardActions.ts', name: 'nowActions', build: (s) => [nowActions(incidentWith(s), { statusPage: true }), text(s)] },
  { source: 'bot/cards/common.ts', name: 'text', build: (s) => [text(s), text(md`**${s}**`)] },
  { source: 'bot/cards/common.ts', name: 'fact', build: (s) => [factSet([fact(s, s), fact(md`_${s}_`, md`${s}`)])] },
  { source: 'bot/cards/common.ts', name: 'tenantText', build: (s) => [tenantText(profile.texts.cardBanner, { label: 'INC-42', title: s })] },
  { source: 'bot/cards/keyMessageCard.ts', name: 'keyMessageCard', build: (s) => [keyMessageCard(incidentWith(s), { id: '1', conversationId: '19:c@thread.tacv2', author: s, text: s, writtenAt: declared }), keyMessageCard(incidentWith(s), { id: '1', conversationId: '19:c@thread.tacv2', author: s, text: s }, { by: s, at: declared, note: s })] },
  // The rest of bot/: chat texts, the message extension's dialog, the notice as Teams gets it.
  { source: 'bot/messageExtension.ts', name: 'outcomeCard', build: (s) => [outcomeCard(incidentWith(s), true, s), outcomeCard(incidentWith(s, { channel: undefined }), false, s)] },
  { source: 'bot/oncallText.ts', name: 'onCallText', build: (s) => [onCallText({ setup: setup(s), shift: { primary: person(s), secondary: person(s), startedAt: declared, handoffAt: declared }, warnings: [s] })] },
  { source: 'bot/connectorMessenger.ts', name: 'noticeActivity', build: (s) => [noticeActivity(md`${s}`, [person(s, '29:m'), person(s, 'pagerduty:P1')])] },
  { source: 'bot/commands.ts', name: 'commandTable', build: commands },
  { source: 'bot/incidentDesk.ts', name: 'IncidentDesk.locate', build: async (s) => [await desk(s, false).locate(turnFor(s, []))] },
  { source: 'bot/declareFlow.ts', name: 'DeclareFlow.fromChat', build: async (s) => {
    const replies: OutgoingMessage[] = [];
    await declareFlow(s, s).fromChat(turnFor(s, replies), { title: s });
    await declareFlow(s).fromChat(turnFor(s, replies), { title: '', severity: s });
    return replies.map((r) => r.text);
  } },
  { source: 'bot/oncallCommand.ts', name: 'runOnCallCommand', build: async (s) => {
    const replies: OutgoingMessage[] = [];
    for (const [args, denied] of [['', undefined], ['add', undefined], ['add', s], ['timing', undefined], ['nonsense', undefined]] as const) await runOnCallCommand(rota(s), turnFor(s, replies), args, async () => denied);
    return replies.map((r) => r.text);
  } },
  // models/ and adapters/: the texts use cases send (pages, reminders, followers, fallbacks), and the export.
  { source: 'models/actions/followers.ts', name: 'followerMessage', build: (s) => [
    followerMessage(incidentWith(s), event(s, 'update_posted', { text: s })),
    followerMessage(incidentWith(s), event(s, 'status_changed', { from: 'triage', to: 'identified' })),
    followerMessage(incidentWith(s), event(s, 'severity_changed', { from: 'P2', to: 'P1', reason: s })),
  ] },
  { source: 'models/actions/notifications.ts', name: 'Notifications.incidentChanged', build: async (s) => {
    const { said, messenger } = notices();
    const n = new Notifications({ feed: { notify: async () => 'not-permitted' }, messenger, clock, log, pagesMentionInChat: false });
    await n.incidentChanged(incidentWith(s), event(s, 'role_assigned', { role: 'commander', person: person(s, '29:new', 'aad-new') }));
    await n.incidentChanged(incidentWith(s), event(s, 'command_taken', { previous: person(s, '29:old', 'aad-old'), reason: s }));
    await n.incidentChanged(incidentWith(s), event(s, 'paged', {}));
    return said;
  } },
  { source: 'models/actions/privateMembership.ts', name: 'PrivateMembership.incidentChanged', build: async (s) => {
    const said: unknown[] = [];
    const messenger = { sendPersonal: async (_t: string, _p: Person, text: Markdown) => void said.push(noticeActivity(text, [])), postPersonalCards: async () => [] };
    const workspace = { addChatMember: async () => undefined, removeChatMember: async () => undefined, restrictMeeting: async () => undefined };
    await new PrivateMembership({ workspace, messenger, actions: { run: async () => ({ outcome: 'applied', message: '' }) } }).incidentChanged({ ...incidentWith(s), private: true }, event(s, 'member_invited', { person: person(s, '29:new', 'aad-new') }));
    return said;
  } },
  { source: 'models/actions/publicStatusSync.ts', name: 'PublicStatusSync.incidentChanged', build: async (s) => {
    const { said, messenger } = notices();
    const page = { name: s, find: async () => undefined, create: async () => Promise.reject(new Error(s)), update: async () => undefined };
    await new PublicStatusSync({ page, actions: { run: async () => ({ outcome: 'applied', message: '' }) }, messenger, clock, log, attempts: 1 }).incidentChanged(incidentWith(s), event(s, 'public_status_updated', {}));
    return said;
  } },
  { source: 'models/delivery/effectHandlers.ts', name: 'effectHandlers.channelPost / broadcastReply', build: async (s) => {
    const posted: unknown[] = [];
    const incident = { ...incidentWith(s), broadcast: { conversationId: '19:b@thread.tacv2;messageid=1', activityId: '1', serviceUrl: 'http://x/' } };
    const send = async (i: Incident, text: Markdown, by: Person, marker: string) => void posted.push(text, updateCard(i, text, by, marker));
    const messenger = { postUpdateInChannel: send, replyInBroadcast: send, updateIncidentCard: async () => undefined, updateBroadcast: async () => undefined };
    const handlers = effectHandlers({ messenger, workspace: { updateChannelDescription: async () => undefined, findMarkedMessage: async () => false }, reactions: () => new Map(), log });
    const context = { maybeSent: false, sending: async () => undefined, done: [], ran: async () => undefined };
    for (const kind of ['channelPost', 'broadcastReply'] as const) await handlers[kind].deliver(incident, { id: kind, eventId: 'e', at: new Date(), kind, text: s, by: person(s) }, context);
    return posted;
  } },
  { source: 'models/paging/paging.ts', name: 'Paging.handlers', build: paging },
  { source: 'models/followThrough/nudges.ts', name: 'Nudges.handle', build: async (s) => {
    const said: unknown[] = [];
    const owner = '00000000-0000-0000-0000-0000000000aa';
    let done = false;
    const content = () => ({ ...draftPostmortem(incidentWith(s), []), actionItems: [{ id: 'a', description: s, owner: s, ownerId: owner, due: '2026-05-09', kind: 'hotfix' as const, link: '', done }] });
    const stored = () => ({ incidentId: 'a'.repeat(24), version: 1, savedAt: declared, savedBy: person(s), content: content() });
    const store = { findById: async () => incidentWith(s), appendEvent: async () => true, pageEvents: async () => [], getPostmortem: async () => stored(), getPostmortemVersion: async () => stored() };
    // The feed refuses and the personal chat fails once: every way a nudge is written is run.
    let personal = 0;
    const messenger = {
      sendPersonal: async (_t: string, _p: Person, text: Markdown) => (personal++ === 0 ? Promise.reject(new Error('no personal app')) : void said.push(noticeActivity(text, []))),
      postNotice: async (_i: Incident, text: Markdown, mentions: readonly Person[] = []) => void said.push(noticeActivity(text, mentions)),
    };
    const nudges = new Nudges({ store, jobs: { scheduleJob: async () => undefined }, feed: { notify: async () => 'not-permitted' }, messenger, access: { canSee: async () => true, isMember: async () => true }, clock, log });
    const job = (nudge: string) => ({ id: nudge, kind: 'nudge' as const, incidentId: 'a'.repeat(24), dueAt: declared, attempts: 0, payload: { nudge, key: nudge, itemId: 'a', ownerId: owner, due: '2026-05-09', version: 1 } });
    for (const nudge of ['assigned', 'due_soon', 'overdue']) await nudges.handle(job(nudge));
    done = true;
    await nudges.handle(job('all_done'));
    return said;
  } },
  { source: 'models/paging/rotaPager.ts', name: 'RotaPager.page', build: (s) => [new RotaPager(notices().messenger, TenantProfiles.builtIn).pageText({ incident: incidentWith(s), people: [person(s)], level: 0, label: s, dedupKey: 'k', link: 'https://teams.microsoft.com/l/channel/x' })] },
  { source: 'adapters/pagerDuty.ts', name: 'PagerDutyPager.page', build: pagerDuty },
  {
    source: 'models/postmortem/postmortemMarkdown.ts',
    name: 'postmortemMarkdown',
    build: (s) => {
      const incident = incidentWith(s);
      const content = { ...draftPostmortem(incident, []), description: s, wentWell: s, timeline: `2026-05-01 12:00 UTC — ${s} — ${s}\n${s}`, rootCauses: [{ id: 'c', description: s, type: 'unknown' as const }], actionItems: [{ id: 'a', description: s, owner: s, due: '', kind: 'hotfix' as const, link: '', done: false }] };
      return [postmortemMarkdown(postmortemDocument({ incident, version: 1, content, savedBy: { id: '29:x', name: s }, savedAt: new Date('2026-05-02T09:00:00Z'), published: false, links: { tab: 'https://teams.example/tab' } }))];
    },
  },
  { source: 'models/record/timelineExport.ts', name: 'timelineMarkdown', build: (s) => [timelineMarkdown(incidentWith(s), [event(s, 'note', { text: s }), event(s, 'update_posted', { text: s }), event(s, 'severity_changed', { from: 'P2', to: 'P1', reason: s })], { id: 'security', label: s, fields: [{ label: s, value: s }] })] },
];
