import { incidentLabel, ROLE_NAMES, type Incident, type Person, type Role } from '../models/incident/incident.js';
import type { ActionResult } from '../models/actions/incidentActions.js';
import type { ActionInput, ActionName } from '../models/actions/actionTable.js';
import { STATUSES, type Status } from '../models/incident/lifecycle.js';
import { parseSeverity, SEVERITIES } from '../models/incident/severity.js';
import { DECLARE_USAGE, parseDeclareCommand } from './declareCommand.js';
import { helpCard } from './cards/help.js';
import { listCard, myIncidentsCard } from './cards/messages.js';
import { summaryFormCard } from './cards/summaryForm.js';
import type { DeclareFlow } from './declareFlow.js';
import type { IncidentDesk } from './incidentDesk.js';
import type { BotTurn } from './turn.js';
import type { Rota } from '../models/paging/rota.js';
import { runOnCallCommand } from './oncallCommand.js';
import { metricsCard } from './cards/metricsCard.js';
import type { MetricsStore } from '../models/metrics/metrics.js';
import type { Clock } from '../models/ports/clock.js';
import type { PolicyRule } from '../models/access/policy.js';
import type { MyIncident } from '../models/record/myIncidents.js';
import type { Urls } from '../http/urls.js';
import { md, mdCode, mdJoin, type Markdown } from '../models/support/markdown.js';
import type { ReviewScheduler } from '../models/followThrough/scheduleReview.js';
import type { IncidentTypes } from '../models/incident/incidentTypes.js';
import { hiddenPrivateTypes } from '../models/metrics/privateInMetrics.js';
import type { Postmortems } from '../models/postmortem/postmortems.js';
import { ACTION_USAGE, addActionItem, parseActionItem } from '../models/followThrough/addActionItem.js';

/** What a command is called and does: the source of help text and the manifest's command list. */
export interface CommandInfo {
  readonly name: string;
  /** What the person is doing: help shows commands in these groups, not as one wall. */
  readonly group: CommandGroup;
  readonly aliases?: readonly string[];
  /** How to type it; shown in help. */
  readonly usage: string;
  readonly summary: string;
}

export type CommandGroup = 'declare' | 'run' | 'learn';

export const COMMANDS = [
  { name: 'declare', group: 'declare', usage: DECLARE_USAGE, summary: 'Declare an incident: opens its channel, meeting, tab and card. Alone, opens a form (with the incident types and their fields, and a Private switch).' },
  { name: 'ack', group: 'run', aliases: ['acknowledge'], usage: 'ack', summary: 'Acknowledge the incident (you are on it).' },
  { name: 'status', group: 'run', usage: `status <${STATUSES.filter((s) => s !== 'archived').join('|')}>`, summary: 'Move the incident along its lifecycle.' },
  { name: 'sev', group: 'run', aliases: ['severity'], usage: `sev <${SEVERITIES.join('|')}>`, summary: 'Change the severity.' },
  { name: 'role', group: 'run', usage: 'role <commander|comms|business|tech|scribe|sme> <@person|me>', summary: 'Assign a role (or take it yourself).' },
  { name: 'update', group: 'run', usage: 'update <text>', summary: 'Post an update to the channel and the broadcast thread.' },
  { name: 'summary', group: 'run', usage: 'summary', summary: 'Edit the status summary (environment, cause, ETA, next steps…) and the topic line.' },
  { name: 'info', group: 'learn', usage: 'info', summary: 'Show the incident card.' },
  { name: 'list', group: 'learn', usage: 'list [all]', summary: 'List open incidents; in personal chat, the ones you hold a role in or follow (`list all` for every one).' },
  { name: 'help', group: 'learn', aliases: ['?'], usage: 'help', summary: 'Show what I can do.' },
  { name: 'take', group: 'run', usage: 'take command <reason>', summary: 'Take over command from a commander who cannot be reached; they and the channel are told why.' },
  { name: 'escalate', group: 'run', usage: 'escalate [note]', summary: 'Escalate: page the next level of the on-call policy now.' },
  { name: 'resolve', group: 'run', usage: 'resolve', summary: 'Mark the incident resolved (records recovery and resolution times).' },
  { name: 'close', group: 'run', usage: 'close', summary: 'Close a resolved incident (needs the milestones and a status summary).' },
  { name: 'metrics', group: 'learn', usage: 'metrics [days]', summary: 'MTTA, MTTR, worst day and causes for the last 30 days (or the days you say).' },
  { name: 'action', group: 'learn', usage: ACTION_USAGE, summary: 'Add a post-mortem action item (it goes to the tracker when one is set up).' },
  { name: 'oncall', group: 'learn', aliases: ['on-call', 'rota'], usage: 'oncall [add|remove @person | shift <hours> | timing <P0-P3> ack=<min> update=<min>]', summary: 'Who is on call now and next, the rota and policy; change people, shifts and timings.' },
  // Last: the manifest lists the first ten commands.
  { name: 'type', group: 'run', usage: 'type <id>', summary: 'Change the incident type (e.g. security): its checklist, required roles, paging and broadcast follow.' },
  { name: 'invite', group: 'run', usage: 'invite <@person>', summary: 'A private incident: make someone a member (they join its chat and see it).' },
  { name: 'review', group: 'run', usage: 'review', summary: 'Once resolved: put the post-mortem review in your Outlook calendar at the first hour most role holders are free (again: move it).' },
  { name: 'remove', group: 'run', usage: 'remove <@person>', summary: 'A private incident: take someone out (they leave its chat and no longer see it).' },
] as const satisfies readonly CommandInfo[];

export type CommandName = (typeof COMMANDS)[number]['name'];

export interface Command extends CommandInfo {
  run(turn: BotTurn, args: string): Promise<void>;
}

export interface CommandDeps {
  readonly declare: DeclareFlow;
  readonly desk: IncidentDesk;
  readonly rota: Rota;
  /** `types`: the tenant's incident types (a type may keep its private incidents out of others' metrics). */
  readonly metrics: { readonly store: MetricsStore; readonly clock: Clock; readonly types?: (tenantId: string) => IncidentTypes };
  /** "My incidents" for a person (`list` in personal chat). */
  readonly mine: (turn: BotTurn) => Promise<MyIncident[]>;
  /** Links to the personal tabs (metrics, My incidents). */
  readonly urls: Pick<Urls, 'metricsTab' | 'myIncidentsTab'>;
  /** The post-mortem review in Outlook. */
  readonly reviews: Pick<ReviewScheduler, 'schedule'>;
  /** The post-mortem, for `action` (its action items). */
  readonly postmortems?: Pick<Postmortems, 'view' | 'save'>;
}

const ROLE_WORDS: Readonly<Record<string, Role>> = {
  commander: 'commander', ic: 'commander', 'incident-commander': 'commander',
  comms: 'communications', communications: 'communications', communication: 'communications',
  business: 'business', tech: 'technical', technical: 'technical', tl: 'technical',
  scribe: 'scribe', sme: 'sme', expert: 'sme',
};
const INCIDENT_REF = /\b(?:INC-?|#)(\d{1,9})\b/i;

/** Commands may name an incident anywhere (`status resolved INC-42`); inside its channel they need not. */
function splitIncidentRef(args: string): { number?: number; rest: string } {
  const match = INCIDENT_REF.exec(args);
  if (!match) return { rest: args.trim() };
  return { number: Number(match[1]), rest: (args.slice(0, match.index) + args.slice(match.index + match[0].length)).replace(/\s+/g, ' ').trim() };
}

/** The command table: each command's metadata with its handler. */
export function commandTable({ declare, desk, rota, metrics, mine, urls, reviews, postmortems }: CommandDeps): Command[] {
  /** Finds the incident and checks the person may act on it, then runs the command. */
  const onIncident = (run: (turn: BotTurn, incident: Incident, rest: string) => Promise<void>) => async (turn: BotTurn, args: string) => {
    const { number, rest } = splitIncidentRef(args);
    const located = await desk.locate(turn, number);
    if ('problem' in located) return void (await turn.reply({ text: located.problem }));
    await run(turn, located.incident, rest);
  };
  type Act = <N extends ActionName>(name: N, input: ActionInput<N>) => Promise<ActionResult>;
  /** A command that changes the incident: run the action as the person and say what happened (or what to type instead). */
  const change = (use: (act: Act, rest: string, turn: BotTurn) => Promise<ActionResult | Markdown>) =>
    onIncident(async (turn, incident, rest) => {
      const result = await use((name, input) => desk.act(name, turn, incident, input), rest, turn);
      // In the incident's own channel, a change it announced there needs no second post saying the same.
      if ('outcome' in result && result.outcome === 'applied' && result.posted && !result.changedSince?.length && desk.inChannelOf(turn, incident)) return;
      // The result's words are plain text with people's names and words in them: escaped whole.
      await turn.reply({ text: 'outcome' in result ? md`${desk.explain(result)}` : result });
    });
  /** A command the access policy governs by a rule of its own (the team's data, the rota). */
  const allowed = (rule: PolicyRule, run: Command['run']): Command['run'] => async (turn, args) => {
    const denied = await desk.mayDo(turn, rule);
    if (denied) return void (await turn.reply({ text: md`${denied}` }));
    await run(turn, args);
  };

  /** The person a membership command names: the first @mention, with the Entra id Teams' member lookup adds. */
  const withMentioned = async (turn: BotTurn, verb: string, run: (person: Person) => Promise<ActionResult>): Promise<ActionResult | Markdown> => {
    const mentioned = turn.mentions[0];
    if (!mentioned) return md`Mention the person: ${mdCode(`${verb} @name`)}.`;
    return run((await desk.person(turn, mentioned.id)) ?? mentioned);
  };

  const listAll = allowed('readTeamData', async (turn) => void (await turn.reply({ card: listCard(await desk.openIncidents(turn.tenantId, 25, turn.actor, turn)) })));

  const handlers: Record<CommandName, Command['run']> = {
    async declare(turn, args) {
      if (!args.trim()) return void (await turn.reply({ card: declare.formCard(turn.tenantId) }));
      const parsed = parseDeclareCommand(args);
      if ('errors' in parsed) return void (await turn.reply({ text: declare.refusal(parsed.errors, args) }));
      await declare.fromChat(turn, parsed.input, args);
    },
    ack: change((act) => act('acknowledge', {})),
    status: change(async (act, rest) => {
      const to = rest.toLowerCase() as Status;
      if (!(STATUSES as readonly string[]).includes(to)) return md`Which status? Use one of: ${STATUSES.filter((s) => s !== 'archived').join(', ')}.`;
      return act('changeStatus', { to });
    }),
    sev: change(async (act, rest) => {
      const to = parseSeverity(rest.split(/\s+/)[0] ?? '');
      if (!to) return md`Which severity? Use one of ${SEVERITIES.join(', ')}, e.g. \`sev P1\`.`;
      return act('changeSeverity', { to });
    }),
    role: change(async (act, rest, turn) => {
      const [word = '', ...others] = rest.replace(/<at>[^<]*<\/at>/g, '').trim().split(/\s+/);
      // Own keys only: `constructor` or `__proto__` is not a role.
      const role = Object.hasOwn(ROLE_WORDS, word.toLowerCase()) ? ROLE_WORDS[word.toLowerCase()] : undefined;
      if (!role) return md`Which role? Use one of: ${Object.keys(ROLE_WORDS).join(', ')}; e.g. \`role commander @Megan\` or \`role scribe me\`.`;
      const mentioned = turn.mentions[0];
      // A mention carries the Teams id only; the member lookup adds the Entra id (the activity feed needs it).
      const person = mentioned ? ((await turn.resolveMember(mentioned.id)) ?? mentioned) : others.join(' ').toLowerCase() === 'me' || others.length === 0 ? turn.actor : undefined;
      if (!person) return md`Mention the person (${mdCode(`role ${word.toLowerCase()} @name`)}) or say \`me\` to take the ${ROLE_NAMES[role]} role yourself.`;
      return act('assignRole', { role, person });
    }),
    invite: change((act, _rest, turn) => withMentioned(turn, 'invite', (person) => act('invite', { person }))),
    remove: change((act, _rest, turn) => withMentioned(turn, 'remove', (person) => act('removeMember', { person }))),
    update: change((act, rest) => act('postUpdate', { text: rest })),
    type: change((act, rest) => act('changeType', { to: rest })),
    review: onIncident(async (turn, incident) => {
      const answer = await reviews.schedule(incident, turn.actor, `review:${turn.activityId}`);
      await turn.reply({ text: md`${answer.message}` });
    }),
    take: change(async (act, rest) => {
      const reason = /^command\b\s*([\s\S]*)$/i.exec(rest.trim())?.[1];
      return reason === undefined ? md`To take over as Incident Commander, say why: \`take command <reason>\`.` : act('takeCommand', { reason });
    }),
    summary: onIncident(async (turn, incident) => {
      await turn.reply({ card: summaryFormCard(incident) });
    }),
    info: onIncident(async (turn, incident) => {
      await turn.reply({ card: desk.card(incident) });
    }),
    async list(turn, args) {
      if (turn.personal && args.trim().toLowerCase() !== 'all') return void (await turn.reply({ card: myIncidentsCard(await mine(turn), urls.myIncidentsTab) }));
      await listAll(turn, args);
    },
    async help(turn) {
      const here = await desk.incidentHere(turn);
      await turn.reply({ card: helpCard(COMMANDS, here ? md`You are in ${incidentLabel(here)}'s channel.` : md`incident-room commands`, here) });
    },
    escalate: change((act, rest) => act('escalate', { note: rest })),
    metrics: allowed('readTeamData', async (turn, args) => {
      const days = args.trim() ? Number(args.trim()) : 30;
      if (!Number.isInteger(days) || days < 1 || days > 730) return void (await turn.reply({ text: md`Say how many days, 1 to 730: e.g. \`metrics 90\`.` }));
      const now = metrics.clock.now();
      const hidden = await hiddenPrivateTypes(metrics.types?.(turn.tenantId), () => desk.seesEveryIncident(turn));
      const report = await metrics.store.metrics({ tenantId: turn.tenantId, from: new Date(now.getTime() - days * 86_400_000), to: now, timeZone: 'UTC', ...(hidden ? { hiddenPrivateTypes: hidden } : {}) }, now);
      await turn.reply({ card: metricsCard(report, days, urls.metricsTab) });
    }),
    oncall: allowed('readTeamData', (turn, args) => runOnCallCommand(rota, turn, args, (rule) => desk.mayDo(turn, rule))),
    action: onIncident(async (turn, incident, rest) => {
      const denied = await desk.mayDo(turn, 'writePostmortem');
      if (denied || !postmortems) return void (await turn.reply({ text: md`${denied ?? 'The post-mortem is not available here.'} Nothing was added.` }));
      // The member lookup adds the Entra id a mention lacks: with it the owner can be nudged.
      const mentioned = await Promise.all(turn.mentions.map(async (m) => (await turn.resolveMember(m.id)) ?? m));
      const parsed = parseActionItem(rest, mentioned);
      if ('problem' in parsed) return void (await turn.reply({ text: md`${parsed.problem}` }));
      await turn.reply({ text: md`${await addActionItem(postmortems, incident, turn.actor, parsed, `chat-action:${turn.activityId}`)}` });
    }),
    resolve: change((act) => act('resolve', {})),
    close: change((act) => act('close', {})),
  };
  return COMMANDS.map((info) => ({ ...info, run: handlers[info.name] }));
}

/**
 * Finds the command by its first word (case-insensitive). Anything else gets help, with the
 * incident's calls to action when typed in an incident channel.
 */
export async function dispatch(commands: readonly Command[], turn: BotTurn, text: string, incidentHere: () => Promise<Incident | undefined>): Promise<void> {
  const trimmed = text.trim();
  const [word = ''] = trimmed.split(/\s+/);
  const name = word.toLowerCase();
  const command = commands.find((c) => c.name === name || c.aliases?.includes(name));
  if (command) return command.run(turn, trimmed.slice(word.length).trim());
  // What they typed is quoted and escaped, not put in a code span: Adaptive Cards have no code spans.
  const guess = closestCommand(name, commands);
  const opening = !trimmed
    ? md`Hi! I run incidents. Here is what I can do:`
    : guess
      ? md`I don't know “${word.slice(0, 40)}”. Did you mean ${mdCode(guess)}? Here is what I can do:`
      : md`I don't know “${word.slice(0, 40)}”. Here is what I can do:`;
  await turn.reply({ card: helpCard(commands, opening, await incidentHere()) });
}

/** The command a mistyped word most likely meant (at most two letters off), e.g. `stauts` → `status`. */
export function closestCommand(word: string, commands: readonly Pick<CommandInfo, 'name' | 'aliases'>[]): string | undefined {
  if (word.length < 2 || word.length > 20) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const command of commands) {
    for (const candidate of [command.name, ...(command.aliases ?? [])]) {
      const distance = editDistance(word, candidate);
      if (distance <= Math.min(2, Math.floor(candidate.length / 2)) && (!best || distance < best.distance)) best = { name: command.name, distance };
    }
  }
  return best?.name;
}

/** Levenshtein distance, with adjacent swaps counted as one edit ("stauts"). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
