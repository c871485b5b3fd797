import { z } from 'zod';
import { incidentLabel, type Incident } from '../models/incident/incident.js';
import { PUBLIC_STATUSES } from '../models/incident/publicStatus.js';
import { SEVERITIES } from '../models/incident/severity.js';
import type { TenantProfiles } from '../models/incident/tenantProfile.js';
import { INPUT_BOUND } from '../models/actions/limits.js';
import { SUMMARY_FORM_FIELDS, unsavedFields, type SummaryFormField } from '../models/actions/summaryEdit.js';
import type { ActionResult } from '../models/actions/incidentActions.js';
import { DIALOGS, type DialogName } from './cards/cardVerbs.js';
import { publicStatusDialogCard, severityDialogCard, updateDialogCard, type DialogState } from './cards/dialogCards.js';
import { KEEP_PREFIX, summaryDialogCard } from './cards/summaryForm.js';
import type { CardElement } from './cards/common.js';
import type { IncidentDesk } from './incidentDesk.js';
import type { DialogAnswer } from './messageExtension.js';
import type { BotTurn } from './turn.js';

const field = z.string().max(INPUT_BOUND);
const ref = z.object({ dialog: z.enum(Object.values(DIALOGS) as [DialogName, ...DialogName[]]), incidentId: z.string().regex(/^[0-9a-f]{24}$/, 'is not an incident id'), v: z.coerce.number().int().min(1).optional() });
const summaryValues = z.object(Object.fromEntries(SUMMARY_FORM_FIELDS.map((f) => [f, field.optional()])) as Record<SummaryFormField, z.ZodOptional<typeof field>>);

interface Dialog {
  readonly title: string;
  /** The form, with the record's values now (and, after a refusal, what the person typed). */
  open(incident: Incident, state?: DialogState): CardElement;
  /** Runs the action with what the dialog sent; refused → the form again with the person's words. */
  submit(context: { turn: BotTurn; incident: Incident; data: Record<string, unknown>; seen?: number }): Promise<DialogAnswer>;
}

export interface DialogDeps {
  readonly desk: IncidentDesk;
  readonly profiles: TenantProfiles;
}

const strings = (data: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, typeof data[k] === 'string' ? (data[k] as string) : undefined]));

/**
 * The dialogs the incident card opens (Teams task modules): one entry per dialog, each with its
 * form and what its submit does. Fetch and submit are thin: find the incident, check the card
 * belongs to this channel, then the table.
 */
export class IncidentDialogs {
  private readonly table: Readonly<Record<DialogName, Dialog>>;

  constructor(private readonly deps: DialogDeps) {
    const { desk } = deps;
    const answer = (dialog: Dialog, incident: Incident, result: ActionResult, typed: Record<string, string | undefined>): DialogAnswer =>
      result.outcome === 'applied' || result.outcome === 'duplicate'
        ? { message: desk.explain(result) }
        : { dialog: { title: dialog.title, card: dialog.open(result.incident ?? incident, { typed, problem: desk.explain(result) }) } };
    const severities = (incident: Incident) => deps.profiles.for(incident.tenantId).severities;
    const update: Dialog = {
      title: 'Post an update',
      open: (incident, state) => updateDialogCard(incident, state),
      async submit({ turn, incident, data, seen }) {
        const typed = strings(data, ['updateText']);
        const parsed = field.safeParse(typed.updateText ?? '');
        if (!parsed.success || !parsed.data.trim()) return { dialog: { title: update.title, card: update.open(incident, { typed, problem: 'Write the update first; nothing was posted.' }) } };
        return answer(update, incident, await desk.act('postUpdate', turn, incident, { text: parsed.data }, seen), typed);
      },
    };
    const severity: Dialog = {
      title: 'Change severity',
      open: (incident, state) => severityDialogCard(incident, severities(incident), state),
      async submit({ turn, incident, data, seen }) {
        const typed = strings(data, ['severityTo', 'reason']);
        const to = z.enum(SEVERITIES).safeParse(typed.severityTo);
        if (!to.success) return { dialog: { title: severity.title, card: severity.open(incident, { typed, problem: 'Pick a severity first; nothing was changed.' }) } };
        return answer(severity, incident, await desk.act('changeSeverity', turn, incident, { to: to.data, reason: field.safeParse(typed.reason).data || undefined }, seen), typed);
      },
    };
    const publicStatus: Dialog = {
      title: 'Public status page',
      open: (incident, state) => publicStatusDialogCard(incident, state),
      async submit({ turn, incident, data, seen }) {
        const typed = strings(data, ['publicStatus', 'publicText']);
        const status = z.enum(PUBLIC_STATUSES).safeParse(typed.publicStatus);
        if (!status.success) return { dialog: { title: publicStatus.title, card: publicStatus.open(incident, { typed, problem: 'Pick a public status first; nothing was published.' }) } };
        return answer(publicStatus, incident, await desk.act('publishPublicStatus', turn, incident, { status: status.data, text: field.safeParse(typed.publicText).data ?? '' }, seen), typed);
      },
    };
    const summary: Dialog = {
      title: 'Status summary',
      open: (incident, state) => summaryDialogCard(incident, { problem: state?.problem }),
      async submit({ turn, incident, data, seen }) {
        const values = summaryValues.safeParse(data);
        const base = summaryValues.safeParse(data.base ?? {});
        if (!values.success || !base.success) return { dialog: { title: summary.title, card: summaryDialogCard(incident, { problem: 'The form sent values I cannot accept; nothing was saved.' }) } };
        // A field the person chose to give up (keep theirs) is not sent at all.
        const mine = Object.fromEntries(Object.entries(values.data).filter(([f]) => data[`${KEEP_PREFIX}${f}`] !== 'theirs'));
        const input = { values: mine, base: base.data, dataLoss: data.dataLoss === 'true' };
        const result = await desk.act('updateSummary', turn, incident, input, seen);
        const after = result.incident ?? incident;
        const conflicts = unsavedFields(after, input);
        if (conflicts.length > 0) {
          const saved = result.outcome === 'applied' ? `${desk.explain(result)} ` : '';
          return { dialog: { title: summary.title, card: summaryDialogCard(after, { values: Object.fromEntries(conflicts.map((c) => [c.field, mine[c.field]])), conflicts, problem: `${saved}Choose what to keep for what someone else changed meanwhile, then save again.` }) } };
        }
        if (result.outcome === 'refused' && !/Nothing was changed: the summary already says that/.test(result.message)) return { dialog: { title: summary.title, card: summaryDialogCard(after, { values: mine, problem: desk.explain(result) }) } };
        return { message: desk.explain(result) };
      },
    };
    this.table = { update, severity, publicStatus, summary };
  }

  /** `task/fetch` from a card button: the dialog with the record's values now. */
  async fetch(turn: BotTurn, raw: unknown): Promise<DialogAnswer> {
    const found = await this.find(turn, raw);
    if ('message' in found) return found;
    const dialog = this.table[found.ref.dialog];
    return { dialog: { title: `${dialog.title} · ${incidentLabel(found.incident)}`, card: dialog.open(found.incident) } };
  }

  /** `task/submit` from a dialog: runs its action as the person who pressed it. */
  async submit(turn: BotTurn, raw: unknown): Promise<DialogAnswer> {
    const found = await this.find(turn, raw);
    if ('message' in found) return found;
    return this.table[found.ref.dialog].submit({ turn, incident: found.incident, data: raw as Record<string, unknown>, seen: found.ref.v });
  }

  private async find(turn: BotTurn, raw: unknown): Promise<{ incident: Incident; ref: z.infer<typeof ref> } | { message: string }> {
    const parsed = ref.safeParse(raw);
    if (!parsed.success) return { message: 'This dialog is not one I know (the card may be from an older version); nothing was changed.' };
    const incident = await this.deps.desk.cardIncident(turn, parsed.data.incidentId);
    if (!incident) return { message: 'This card refers to an incident I cannot find. Nothing was changed.' };
    if (!this.deps.desk.inChannelOf(turn, incident)) return { message: `This card belongs to ${incidentLabel(incident)}'s channel; use it there. Nothing was changed.` };
    return { incident, ref: parsed.data };
  }
}
