import { z } from 'zod';
import { DECLARE_VERB } from './cards/declareForm.js';
import type { CardElement } from './cards/common.js';
import type { DeclareFlow } from './declareFlow.js';
import type { BotTurn } from './turn.js';

/** What a card action answers: a card that replaces the one clicked, or a short message. */
export type VerbResult = { readonly card: CardElement } | { readonly message: string };

export interface Verb<T = unknown> {
  readonly schema: z.ZodType<T>;
  run(turn: BotTurn, data: T, cardActivityId: string | undefined): Promise<VerbResult>;
}

export type VerbTable = Readonly<Record<string, Verb<unknown>>>;

/** Keeps each handler's data type precise while the table holds them side by side. */
export function defineVerb<T>(verb: Verb<T>): Verb<unknown> {
  return verb as unknown as Verb<unknown>;
}

export interface VerbDeps {
  readonly declare: DeclareFlow;
}

const optionalField = z.string().max(10_000).optional();

/** The verb table: Action.Execute verbs to handlers, each with a schema for its data. */
export function verbTable(deps: VerbDeps): VerbTable {
  return {
    [DECLARE_VERB]: defineVerb({
      schema: z.object({ title: optionalField, severity: optionalField, component: optionalField, description: optionalField }),
      async run(turn, data, cardActivityId) {
        return { card: await deps.declare.fromForm(turn, data, cardActivityId) };
      },
    }),
  };
}

/** Validates and runs a verb; unknown verbs and malformed data get a clear message. */
export async function runVerb(verbs: VerbTable, turn: BotTurn, verb: string, data: unknown, cardActivityId: string | undefined): Promise<VerbResult> {
  const handler = Object.hasOwn(verbs, verb) ? verbs[verb] : undefined;
  if (!handler) return { message: `This card action ("${verb.slice(0, 40)}") is not one I know. The card may be from an older version; nothing was changed.` };
  const parsed = handler.schema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ');
    return { message: `That card action had data I cannot accept (${problems}); nothing was changed.` };
  }
  return handler.run(turn, parsed.data, cardActivityId);
}
