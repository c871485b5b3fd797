import { z } from 'zod';
import { incidentLabel, type Incident, type Role } from '../models/incident/incident.js';
import type { ActionRequest, ActionResult } from '../models/actions/incidentActions.js';
import { STATUSES } from '../models/incident/lifecycle.js';
import { SEVERITIES } from '../models/incident/severity.js';
import { PUBLIC_STATUSES, PUBLIC_TEXT_LIMIT } from '../models/actions/statusPage.js';
import { DECLARE_VERB } from './cards/declareForm.js';
import type { CardElement } from './cards/common.js';
import { execute } from './cards/incidentCard.js';
import { summaryFormCard } from './cards/summaryForm.js';
import type { DeclareFlow } from './declareFlow.js';
import { requestContext } from '../http/requestContext.js';
import type { IncidentDesk } from './incidentDesk.js';
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
  readonly desk: IncidentDesk;
}

const text = (max: number) => z.string().max(max);
const optionalText = z.string().max(10_000).optional();
const ROLES = ['commander', 'communications', 'business', 'technical', 'scribe', 'sme'] as const;
/** Every incident button carries the incident id and the version the card showed. */
const incidentRef = { incidentId: z.string().regex(/^[0-9a-f]{24}$/, 'is not an incident id'), v: z.coerce.number().int().min(1).optional() };

const NOT_FOUND: VerbResult = { message: 'This card refers to an incident I cannot find. Nothing was changed.' };

/** The incident a card names, if it is in the clicker's tenant (a card from elsewhere names nothing here). */
async function cardIncident(desk: IncidentDesk, turn: BotTurn, incidentId: string): Promise<Incident | undefined> {
  const incident = await desk.deps.store.findById(incidentId);
  if (incident?.tenantId !== turn.tenantId) return undefined;
  requestContext.tagIncident(incidentLabel(incident));
  return incident;
}

type IncidentVerbRun<T> = (context: { turn: BotTurn; incident: Incident; request: ActionRequest; data: T }) => Promise<ActionResult | VerbResult>;

/**
 * An incident button: finds the incident, refuses cards that do not belong to this conversation
 * (forged or copied), runs the use case, and answers with the re-rendered card carrying a notice
 * of what happened (or why not, and what others changed meanwhile).
 */
function incidentVerb<S extends z.ZodRawShape>(desk: IncidentDesk, shape: S, run: IncidentVerbRun<z.infer<z.ZodObject<S & typeof incidentRef>>>): Verb<unknown> {
  const schema = z.object({ ...incidentRef, ...shape });
  return defineVerb({
    schema,
    async run(turn, raw) {
      const data = raw as { incidentId: string; v?: number };
      const incident = await cardIncident(desk, turn, data.incidentId);
      if (!incident) return NOT_FOUND;
      if (!incident.channel || incident.channel.id !== turn.conversationRoot) {
        return { message: `This card belongs to ${incidentLabel(incident)}'s channel; use it there. Nothing was changed.` };
      }
      const result = await run({ turn, incident, request: desk.request(turn, incident, data.v), data: raw as never });
      if (!('outcome' in result)) return result;
      return { card: desk.card(result.incident ?? incident, desk.explain(result)) };
    },
  });
}

/** Follow/unfollow: anyone in the tenant, from any card that names the incident; answers with a message. */
function followVerb(desk: IncidentDesk, run: (request: ActionRequest) => Promise<ActionResult>): Verb<unknown> {
  return defineVerb({
    schema: z.object(incidentRef),
    async run(turn, raw) {
      const incident = await cardIncident(desk, turn, (raw as { incidentId: string }).incidentId);
      if (!incident) return NOT_FOUND;
      return { message: desk.explain(await run(desk.request(turn, incident))) };
    },
  });
}

/** The verb table: Action.Execute verbs to handlers, each with a schema for its data. */
export function verbTable({ declare, desk }: VerbDeps): VerbTable {
  const { actions } = desk.deps;
  return {
    [DECLARE_VERB]: defineVerb({
      schema: z.object({ title: optionalText, severity: optionalText, component: optionalText, description: optionalText }),
      async run(turn, data, cardActivityId) {
        return { card: await declare.fromForm(turn, data, cardActivityId) };
      },
    }),
    refresh: incidentVerb(desk, {}, async ({ incident }) => ({ card: desk.card(await actions.enforceRules(incident)) })),
    info: incidentVerb(desk, {}, async ({ incident }) => ({ card: desk.card(incident) })),
    editSummary: incidentVerb(desk, {}, async ({ incident }) => ({ card: summaryFormCard(incident, (title, verb) => execute(incident, title, verb)) })),
    ack: incidentVerb(desk, {}, ({ request }) => actions.acknowledge(request)),
    takeRole: incidentVerb(desk, { role: z.enum(ROLES).default('commander') }, ({ request, turn, data }) => actions.assignRole(request, data.role as Role, turn.actor)),
    assignRole: incidentVerb(desk, { role: z.enum(ROLES), person: text(200).min(1, 'pick a person') }, async ({ request, turn, data, incident }) => {
      const person = await turn.resolveMember(data.person);
      if (!person) return { card: desk.card(incident, 'I could not find that person in this team, so no role was assigned.') };
      return actions.assignRole(request, data.role as Role, person);
    }),
    status: incidentVerb(desk, { statusTo: z.enum(STATUSES) }, ({ request, data }) => actions.changeStatus(request, data.statusTo)),
    severity: incidentVerb(desk, { severityTo: z.enum(SEVERITIES).optional(), to: z.enum(SEVERITIES).optional(), reason: text(300).optional() }, async ({ request, data, incident }) => {
      const to = data.to ?? data.severityTo;
      if (!to) return { card: desk.card(incident, 'Pick a severity first. Nothing was changed.') };
      return actions.changeSeverity(request, to, data.reason);
    }),
    summary: incidentVerb(
      desk,
      {
        environment: optionalText, component: optionalText, probableCause: optionalText, frequency: optionalText, type: optionalText,
        recoveryEstimate: optionalText, workingOnIt: optionalText, currentAction: optionalText, nextAction: optionalText,
        topicLine: optionalText, sreOwner: optionalText, devOwner: optionalText, dataLoss: z.enum(['true', 'false']).optional(),
      },
      async ({ request, data }) => {
        const { topicLine, sreOwner, devOwner, dataLoss, incidentId: _id, v: _v, ...summary } = data;
        return actions.updateSummary(request, { summary, topic: topicLine !== undefined ? { line: topicLine, sreOwner, devOwner } : undefined, dataLoss: dataLoss === 'true' });
      },
    ),
    update: incidentVerb(desk, { updateText: text(10_000) }, ({ request, data }) => actions.postUpdate(request, data.updateText)),
    escalate: incidentVerb(desk, { note: text(2000).optional() }, ({ request, data }) => actions.escalate(request, data.note)),
    publicStatus: incidentVerb(desk, { publicStatus: z.enum(PUBLIC_STATUSES), publicText: text(PUBLIC_TEXT_LIMIT * 2) }, ({ request, data }) => actions.publishPublicStatus(request, data.publicStatus, data.publicText)),
    // Stakeholders follow from the broadcast channel as well as the incident channel: no channel check.
    follow: followVerb(desk, (request) => actions.follow(request)),
    unfollow: followVerb(desk, (request) => actions.unfollow(request)),
    resolve: incidentVerb(desk, {}, ({ request }) => actions.resolve(request)),
    close: incidentVerb(desk, {}, ({ request }) => actions.close(request)),
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
