/**
 * The app's message actions, as Teams finds them: the manifest's message-extension commands of
 * type `action` with `message` in their context appear in every message's "…" menu, and choosing
 * one sends the bot `composeExtension/fetchTask` (with `fetchTask: true`). Read from the same
 * manifest template the app package is built from, so the sandbox offers what Teams would.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export interface MessageAction {
  readonly id: string;
  readonly title: string;
  readonly description: string;
}

const manifest = z.object({
  composeExtensions: z
    .array(
      z.object({
        commands: z.array(
          z.object({
            id: z.string().min(1).max(64),
            type: z.enum(['query', 'action']).default('query'),
            title: z.string().min(1).max(32),
            description: z.string().max(128).default(''),
            context: z.array(z.enum(['compose', 'commandBox', 'message'])).default(['compose', 'commandBox']),
            fetchTask: z.boolean().default(false),
          }).loose(),
        ).max(10),
      }).loose(),
    )
    .max(1)
    .default([]),
}).loose();

/** The message actions the manifest declares (dialogs fetched from the bot only: `fetchTask: true`). */
export function messageActionsOf(manifestJson: unknown): MessageAction[] {
  const { composeExtensions } = manifest.parse(manifestJson);
  return composeExtensions
    .flatMap((extension) => extension.commands)
    .filter((command) => command.type === 'action' && command.context.includes('message') && command.fetchTask)
    .map(({ id, title, description }) => ({ id, title, description }));
}

export function loadMessageActions(): MessageAction[] {
  return messageActionsOf(JSON.parse(readFileSync(new URL('../../manifest/manifest.template.json', import.meta.url), 'utf8')));
}
