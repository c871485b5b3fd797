import { z } from 'zod';
import { incidentLabel, ROLES, type Incident } from '../models/incident/incident.js';
import { ACTIONS, CARD_ACTION_NAMES, type ActionDefinition, type ActionInput, type ActionName, type CardActionName } from '../models/actions/actionTable.js';
import type { ActionResult } from '../models/actions/incidentActions.js';
import { INPUT_BOUND, TEXT_LIMITS } from '../models/actions/limits.js';
import { STATUSES } from '../models/incident/lifecycle.js';
import { SEVERITIES } from '../models/incident/severity.js';
import { PUBLIC_STATUSES } from '../models/incident/publicStatus.js';
import { CARD_VERBS, type CardVerb } from './cards/cardVerbs.js';
import type { CardElement } from './cards/common.js';
import { summaryFormCard } from './cards/summaryForm.js';
import { declareInputFromForm } from './declareCommand.js';
import { unsavedFields } from '../models/actions/summaryEdit.js';
import type { DeclareFlow } from './declareFlow.js';
import type { IncidentDesk } from './incidentDesk.js';
import type { BotTurn } from './turn.js';

/** What a card action answers: a card that replaces the one clicked, or a short message. */
export type VerbResult = { readonly card: CardElement } | { readonly message: string };

export interface Verb<T = unknown> {
  readonly schema: z.ZodType<T>;
  run(turn: BotTurn, data: T, cardActivityId: string | undefined): Promise<VerbResult>;
}

/** A handler for every verb our cards can send: a card naming a verb without one does not compile. */
export type VerbTable = Readonly<Record<CardVerb, Verb<unknown>>>;

/** Keeps each handler's data type precise while the table holds them side by side. */
export function defineVerb<T>(verb: Verb<T>): Verb<unknown> {
  return verb as unknown as Verb<unknown>;
}

export interface VerbDeps {
  readonly declare: DeclareFlow;
  readonly desk: IncidentDesk;
}

const field = z.string().max(INPUT_BOUND);
const optionalField = field.optional();
/** Every incident button carries the incident id and the version the card showed. */
const incidentRef = { incidentId: z.string().regex(/^[0-9a-f]{24}$/, 'is not an incident id'), v: z.coerce.number().int().min(1).optional() };

/** The form's Private toggle ('true' / 'false'), as the declaration's flag. */
export const PRIVATE_SWITCH = z.enum(['true', 'false']).optional().transform((value) => value === 'true' || undefined);

const NOT_FOUND: VerbResult = { message: 'This card refers to an incident I cannot find. Nothing was changed.' };

type IncidentVerbContext<T> = { turn: BotTurn; incident: Incident; data: T; act: <N extends ActionName>(name: N, input: ActionInput<N>) => Promise<ActionResult> };

/**
 * An incident button: finds the incident, refuses cards that do not belong to this conversation
 * (forged or copied), runs the action, and answers with the re-rendered card carrying a notice
 * of what happened (or why not, and what others changed meanwhile).
 */
function incidentVerb<S extends z.ZodRawShape>(desk: IncidentDesk, shape: S, run: (context: IncidentVerbContext<z.infer<z.ZodObject<S & typeof incidentRef>>>) => Promise<ActionResult | VerbResult>): Verb<unknown> {
  return defineVerb({
    schema: z.object({ ...incidentRef, ...shape }),
    async run(turn, raw) {
      const data = raw as { incidentId: string; v?: number };
      const incident = await desk.cardIncident(turn, data.incidentId);
      if (!incident) return NOT_FOUND;
      if (!desk.inChannelOf(turn, incident)) return { message: `This card belongs to ${incidentLabel(incident)}'s channel; use it there. Nothing was changed.` };
      const result = await run({ turn, incident, data: raw as never, act: (name, input) => desk.act(name, turn, incident, input, data.v) });
      if (!('outcome' in result)) return result;
      return { card: desk.card(result.incident ?? incident, desk.explain(result)) };
    },
  });
}

/** Follow/unfollow: anyone in the tenant, from any card that names the incident; answers with a message. */
function followVerb(desk: IncidentDesk, name: 'follow' | 'unfollow'): Verb<unknown> {
  return defineVerb({
    schema: z.object(incidentRef),
    async run(turn, raw) {
      const incident = await desk.cardIncident(turn, (raw as { incidentId: string }).incidentId);
      if (!incident) return NOT_FOUND;
      return { message: desk.explain(await desk.act(name, turn, incident, {})) };
    },
  });
}

/** Invite or remove the person picked in the card's Members section. */
function memberVerb(desk: IncidentDesk, name: 'invite' | 'removeMember'): Verb<unknown> {
  return incidentVerb(desk, { member: z.string().max(TEXT_LIMITS.personId).min(1, 'pick a person') }, async ({ act, turn, data, incident }) => {
    const person = await desk.person(turn, data.member);
    if (!person) return { card: desk.card(incident, 'I could not find that person in the incidents team, so nothing was changed.') };
    return act(name, { person });
  });
}

const SUMMARY_FIELDS = {
  environment: optionalField, component: optionalField, probableCause: optionalField, frequency: optionalField, type: optionalField,
  recoveryEstimate: optionalField, workingOnIt: optionalField, currentAction: optionalField, nextAction: optionalField,
  topicLine: optionalField, sreOwner: optionalField, devOwner: optionalField, dataLoss: z.enum(['true', 'false']).optional(),
};

/** A button that runs an action of the action table by name, with the action's own card schema. */
function actionVerb(desk: IncidentDesk, name: CardActionName): Verb<unknown> {
  const fromCard = (ACTIONS[name as ActionName] as ActionDefinition<unknown>).fromCard as z.ZodType<ActionInput<CardActionName>>;
  const verb = incidentVerb(desk, {}, ({ act, data }) => {
    const { incidentId: _id, v: _v, ...rest } = data as Record<string, unknown>;
    const input = fromCard.safeParse(rest);
    if (!input.success) return Promise.resolve({ message: `That card action had data I cannot accept (${input.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ')}); nothing was changed.` });
    return act(name, input.data);
  });
  // The ids the card carries, plus whatever the action's schema reads.
  return { ...verb, schema: z.object(incidentRef).passthrough() };
}

/** The verb table: Action.Execute verbs to handlers, each with a schema for its data. */
export function verbTable({ declare, desk }: VerbDeps): VerbTable {
  const byName = Object.fromEntries(CARD_ACTION_NAMES.map((name) => [name, actionVerb(desk, name)])) as Record<CardActionName, Verb<unknown>>;
  return {
    ...byName,
    [CARD_VERBS.declare]: defineVerb({
      // The extra fields' inputs are named by the tenant's types (`field-<id>`): any further key, as long as it is bounded text.
      schema: z.object({ title: optionalField, severity: optionalField, component: optionalField, description: optionalField, type: optionalField, shownType: optionalField, private: PRIVATE_SWITCH }).catchall(field),
      async run(turn, data, cardActivityId) {
        const { input, shownType } = declareInputFromForm(data);
        return { card: await declare.fromForm(turn, input, cardActivityId, shownType) };
      },
    }),
    [CARD_VERBS.refresh]: incidentVerb(desk, {}, async ({ incident }) => ({ card: await desk.current(incident) })),
    [CARD_VERBS.info]: incidentVerb(desk, {}, async ({ incident }) => ({ card: desk.card(incident) })),
    [CARD_VERBS.editSummary]: incidentVerb(desk, {}, async ({ incident }) => ({ card: summaryFormCard(incident) })),
    [CARD_VERBS.acknowledge]: incidentVerb(desk, {}, ({ act }) => act('acknowledge', {})),
    [CARD_VERBS.takeRole]: incidentVerb(desk, { role: z.enum(ROLES).default('commander') }, ({ act, turn, data }) => act('assignRole', { role: data.role, person: turn.actor })),
    [CARD_VERBS.assignRole]: incidentVerb(desk, { role: z.enum(ROLES), person: z.string().max(TEXT_LIMITS.personId).min(1, 'pick a person') }, async ({ act, turn, data, incident }) => {
      const person = await turn.resolveMember(data.person);
      if (!person) return { card: desk.card(incident, 'I could not find that person in this team, so no role was assigned.') };
      return act('assignRole', { role: data.role, person });
    }),
    [CARD_VERBS.status]: incidentVerb(desk, { statusTo: z.enum(STATUSES) }, ({ act, data }) => act('changeStatus', { to: data.statusTo })),
    [CARD_VERBS.severity]: incidentVerb(desk, { severityTo: z.enum(SEVERITIES).optional(), reason: field.optional() }, async ({ act, data, incident }) => {
      if (!data.severityTo) return { card: desk.card(incident, 'Pick a severity first. Nothing was changed.') };
      return act('changeSeverity', { to: data.severityTo, reason: data.reason });
    }),
    // A summary form on a card from before dialogs: it sends no base, so on a stale card every field it differs in is a conflict, never an overwrite.
    [CARD_VERBS.summary]: incidentVerb(desk, SUMMARY_FIELDS, async ({ act, data, incident }) => {
      const { dataLoss, incidentId: _id, v, ...values } = data;
      const input = { values, base: v !== undefined && v < incident.version ? {} : undefined, dataLoss: dataLoss === 'true' };
      const result = await act('updateSummary', input);
      const unsaved = unsavedFields(result.incident ?? incident, input);
      if (unsaved.length === 0) return result;
      const kept = unsaved.map((c) => `${c.label}: now “${c.theirs}”, you wrote “${c.mine}”`).join('; ');
      return { card: desk.card(result.incident ?? incident, `${desk.explain(result)} Someone else changed these since your form was shown, so theirs was kept — ${kept}. Use Edit summary to choose.`) };
    }),
    [CARD_VERBS.update]: incidentVerb(desk, { updateText: field }, ({ act, data }) => act('postUpdate', { text: data.updateText })),
    [CARD_VERBS.escalate]: incidentVerb(desk, { note: field.optional() }, ({ act, data }) => act('escalate', { note: data.note })),
    [CARD_VERBS.publicStatus]: incidentVerb(desk, { publicStatus: z.enum(PUBLIC_STATUSES), publicText: field }, ({ act, data }) => act('publishPublicStatus', { status: data.publicStatus, text: data.publicText })),
    // Stakeholders follow from the broadcast channel as well as the incident channel: no channel check.
    [CARD_VERBS.follow]: followVerb(desk, 'follow'),
    [CARD_VERBS.unfollow]: followVerb(desk, 'unfollow'),
    // A private incident's members, picked from the directory (the picker's value is the person's id).
    [CARD_VERBS.invite]: memberVerb(desk, 'invite'),
    [CARD_VERBS.removeMember]: memberVerb(desk, 'removeMember'),
    [CARD_VERBS.resolve]: incidentVerb(desk, {}, ({ act }) => act('resolve', {})),
    [CARD_VERBS.close]: incidentVerb(desk, {}, ({ act }) => act('close', {})),
  };
}

/** Validates and runs a verb; unknown verbs and malformed data get a clear message. */
export async function runVerb(verbs: VerbTable, turn: BotTurn, verb: string, data: unknown, cardActivityId: string | undefined): Promise<VerbResult> {
  const handler = Object.hasOwn(verbs, verb) ? verbs[verb as CardVerb] : undefined;
  if (!handler) return { message: `This card action ("${verb.slice(0, 40)}") is not one I know. The card may be from an older version; nothing was changed.` };
  const parsed = handler.schema.safeParse(data ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ');
    return { message: `That card action had data I cannot accept (${problems}); nothing was changed.` };
  }
  return handler.run(turn, parsed.data, cardActivityId);
}
