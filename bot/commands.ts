import { parseCommandLine } from './commandLine.js';
import { declareFormCard } from './cards/declareForm.js';
import type { DeclareFlow } from './declareFlow.js';
import type { BotTurn } from './turn.js';

/** What a command is called and does: the source of help text and the manifest's command list. */
export interface CommandInfo {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** How to type it; shown in help. */
  readonly usage: string;
  readonly summary: string;
}

export const COMMANDS = [
  {
    name: 'declare',
    usage: 'declare <title> [--sev P0-P3] [--component name] [--description text]',
    summary: 'Declare an incident: opens its channel, meeting, tab and card. Alone, opens a form.',
  },
  { name: 'help', aliases: ['?'], usage: 'help', summary: 'Show what I can do.' },
] as const satisfies readonly CommandInfo[];

export type CommandName = (typeof COMMANDS)[number]['name'];

export interface Command extends CommandInfo {
  run(turn: BotTurn, args: string): Promise<void>;
}

export interface CommandDeps {
  readonly declare: DeclareFlow;
}

const DECLARE_FLAGS = ['sev', 'severity', 'component', 'description'] as const;

/** The command table: each command's metadata with its handler. */
export function commandTable(deps: CommandDeps): Command[] {
  const handlers: Record<CommandName, Command['run']> = {
    async declare(turn, args) {
      if (!args.trim()) {
        await turn.reply({ card: declareFormCard() });
        return;
      }
      const line = parseCommandLine(args, DECLARE_FLAGS);
      if (line.errors.length > 0) {
        await turn.reply({ text: `I could not declare that incident, nothing was created:\n\n${line.errors.map((e) => `- ${e}`).join('\n')}` });
        return;
      }
      await deps.declare.fromChat(turn, {
        title: line.positional,
        severity: line.flags.sev ?? line.flags.severity,
        component: line.flags.component,
        description: line.flags.description,
      });
    },
    async help(turn) {
      await turn.reply({ text: helpText(COMMANDS) });
    },
  };
  return COMMANDS.map((info) => ({ ...info, run: handlers[info.name] }));
}

export function helpText(commands: readonly CommandInfo[]): string {
  const lines = commands.map((c) => `- \`${c.usage}\`: ${c.summary}`);
  return `**incident-room** commands:\n\n${lines.join('\n')}`;
}

/** Finds the command by its first word (case-insensitive); anything else gets help. */
export async function dispatch(commands: readonly Command[], turn: BotTurn, text: string): Promise<void> {
  const trimmed = text.trim();
  const [word = '', ...rest] = trimmed.split(/\s+/);
  const name = word.toLowerCase();
  const command = commands.find((c) => c.name === name || c.aliases?.includes(name));
  if (command) return command.run(turn, trimmed.slice(word.length).trim() || rest.join(' '));
  const opening = trimmed ? `I don't know \`${word.replace(/`/g, '').slice(0, 40)}\`.` : 'Hi! I run incidents.';
  await turn.reply({ text: `${opening}\n\n${helpText(commands)}` });
}
