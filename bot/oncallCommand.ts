/**
 * `oncall` in chat: with no words, who is on call and the setup; otherwise a sub-command from the
 * table below changes the stored rota (people, shift length, per-severity timings).
 */
import type { RotaChange, Rota } from '../models/paging/rota.js';
import { parseSeverity } from '../models/incident/severity.js';
import { onCallText } from './oncallText.js';
import type { BotTurn } from './turn.js';
import type { PolicyRule } from '../models/access/policy.js';
import { Markdown, md } from '../models/support/markdown.js';

interface SubCommand {
  /** The access policy's rule for it: the rota's people and shifts, or its timings. */
  readonly rule: PolicyRule;
  run(rota: Rota, turn: BotTurn, words: readonly string[]): Promise<RotaChange | string | Markdown>;
}

const HELP = md`Use \`oncall\` to see the rota; \`oncall add @person\`, \`oncall remove @person\`, \`oncall shift <hours>\` or \`oncall timing P1 ack=10 update=15\` to change it.`;

const SUB_COMMANDS: Readonly<Record<string, SubCommand>> = {
  add: {
    rule: 'changeRota',
    async run(rota, turn) {
      const person = turn.mentions[0];
      return person ? rota.add(turn.tenantId, person) : md`Mention the person: \`oncall add @name\`.`;
    },
  },
  remove: {
    rule: 'changeRota',
    async run(rota, turn) {
      const person = turn.mentions[0];
      return person ? rota.remove(turn.tenantId, person) : md`Mention the person: \`oncall remove @name\`.`;
    },
  },
  shift: {
    rule: 'changeRota',
    async run(rota, turn, words) {
      const hours = Number(words[0]);
      return Number.isInteger(hours) ? rota.setShiftHours(turn.tenantId, hours) : md`How long is a shift? e.g. \`oncall shift 168\` for weekly, \`oncall shift 24\` for daily.`;
    },
  },
  timing: { rule: 'changeTimings', run: setTiming },
};

async function setTiming(rota: Rota, turn: BotTurn, words: readonly string[]): Promise<RotaChange | Markdown> {
  const severity = parseSeverity(words[0] ?? '');
  const values = new Map(words.slice(1).map((w) => w.split('=') as [string, string | undefined]).map(([k, v]) => [k.toLowerCase(), Number(v)]));
  const change = { ...(values.has('ack') ? { ackMinutes: values.get('ack') } : {}), ...(values.has('update') ? { updateMinutes: values.get('update') } : {}) };
  if (!severity || Object.keys(change).length === 0) return md`Say which severity and what to change, e.g. \`oncall timing P1 ack=10 update=15\` (minutes).`;
  return rota.setTiming(turn.tenantId, severity, change);
}

export async function runOnCallCommand(rota: Rota, turn: BotTurn, args: string, mayDo: (rule: PolicyRule) => Promise<string | undefined>): Promise<void> {
  const [verb = '', ...words] = args.replace(/<at>[^<]*<\/at>/g, '').trim().split(/\s+/).filter(Boolean);
  if (!verb) return void (await turn.reply({ text: onCallText(await rota.view(turn.tenantId)) }));
  const name = verb.toLowerCase();
  // Own keys only: a word like `constructor` or `__proto__` is not a sub-command.
  const sub = Object.hasOwn(SUB_COMMANDS, name) ? SUB_COMMANDS[name] : undefined;
  if (!sub) return void (await turn.reply({ text: HELP }));
  const denied = await mayDo(sub.rule);
  if (denied) return void (await turn.reply({ text: md`${denied}` }));
  const result = await sub.run(rota, turn, words);
  // The rota's own answers are plain text naming people: escaped; ours above are Markdown already.
  if (typeof result === 'string' || result instanceof Markdown) return void (await turn.reply({ text: md`${result}` }));
  await turn.reply({ text: result.changed ? md`${result.message}\n\n${onCallText(result.view)}` : md`${result.message}` });
}
