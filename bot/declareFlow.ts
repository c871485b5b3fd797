import { declareIncident, type DeclareInput, type DeclareRequest } from '../models/warRoom/declareIncident.js';
import { InvalidInputError } from '../models/support/errors.js';
import type { Incident, IncidentSource, QuotedMessage } from '../models/incident/incident.js';
import type { Clock } from '../models/ports/clock.js';
import type { IncidentStore } from '../models/ports/incidentStore.js';
import type { Logger } from '../models/ports/logger.js';
import type { ProvisioningRunner } from '../models/warRoom/provisioningRunner.js';
import type { TenantProfiles } from '../models/incident/tenantProfile.js';
import { declareFormCard, type DeclareFormMode } from './cards/declareForm.js';
import { reporterCard } from './cards/messages.js';
import type { CardElement } from './cards/common.js';
import type { BotTurn } from './turn.js';
import type { Access } from '../models/access/access.js';
import { md, mdJoin, type Markdown } from '../models/support/markdown.js';
import { chosenType } from '../models/incident/typedDeclaration.js';
import { typeById } from '../models/incident/incidentTypes.js';
import { mentionWord } from './declareCommand.js';

export interface DeclareFlowDeps {
  readonly store: IncidentStore;
  readonly clock: Clock;
  readonly runner: ProvisioningRunner;
  readonly profiles: TenantProfiles;
  readonly log: Logger;
  /** The access policy's `declare` rule (by default: members of the incidents team). */
  readonly access: Pick<Access, 'mayDo'>;
}

/**
 * Declaring from Teams, by command or by form: record the incident, answer the reporter at
 * once, and open the war room in the background. Both paths are idempotent on the Teams
 * activity id, so a retried activity finds the incident it already declared.
 */
export class DeclareFlow {
  constructor(private readonly deps: DeclareFlowDeps) {}

  /** The declare form in the tenant's words (its severity names and definitions). */
  formCard(tenantId: string, values: DeclareInput = {}, problems: readonly string[] = [], mode?: DeclareFormMode): CardElement {
    const profile = this.deps.profiles.for(tenantId);
    return declareFormCard(values, problems, mode, profile.severities, profile.types);
  }

  /** Why nothing was declared, with what they typed to copy and fix (people's words escaped). */
  refusal(problems: readonly string[], typed?: string): Markdown {
    const echo = typed?.trim() ? md`\n\nYou typed: “declare ${typed.trim().slice(0, 600)}”` : md``;
    return md`I could not declare that incident, nothing was created:\n\n${mdJoin(problems.map((p) => md`- ${p}`), md`\n`)}${echo}\n\nType \`declare\` alone for a form.`;
  }

  /**
   * The people named in the type's person fields: `me`, an @mention (chat), or the people
   * picker's id (forms). Someone not found stays as typed, and the field's check names it.
   */
  private async withPeople(turn: BotTurn, input: DeclareInput): Promise<DeclareInput> {
    const type = chosenType(this.deps.profiles.for(turn.tenantId).types, input.type);
    const given = input.fields;
    if (!type || !given) return input;
    const fields: Record<string, unknown> = { ...given };
    for (const field of type.fields.filter((f) => f.kind === 'person')) {
      const raw = Object.hasOwn(given, field.id) ? given[field.id] : undefined;
      if (typeof raw !== 'string' || !raw.trim()) continue;
      const word = raw.trim();
      const person = word.toLowerCase() === 'me' ? turn.actor : word.startsWith('@') ? turn.mentions.find((m) => mentionWord(m.name) === word) : await turn.resolveMember(word);
      if (person) fields[field.id] = person;
    }
    return { ...input, fields };
  }

  /**
   * A form showed one type's fields and another type was chosen: the form comes back with that
   * type's fields (values kept) before anything is declared, so its details are not skipped.
   */
  private typeSwitched(tenantId: string, input: DeclareInput, shownType: string | undefined): string | undefined {
    if (shownType === undefined) return undefined;
    const types = this.deps.profiles.for(tenantId).types;
    const type = chosenType(types, input.type);
    if (!type || type.id === shownType || (type.fields.length === 0 && !input.fields)) return undefined;
    // What was filled in for the other type's own fields is said back, so it is not lost with them.
    const shown = typeById(types, shownType);
    const given = input.fields ?? {};
    const dropped = (shown?.fields ?? []).filter((f) => Object.hasOwn(given, f.id) && !type.fields.some((t) => t.id === f.id));
    const kept = dropped.length > 0 ? ` You wrote for ${shown!.label}: ${dropped.map((f) => `${f.label}: ${String(given[f.id])}`).join('; ')}.` : '';
    const next = type.fields.length > 0 ? `${type.label} has details of its own: fill them in (or leave them empty) and press Declare again.` : `${type.label} has no details of its own: press Declare again.`;
    return `${next}${kept} Nothing was created yet.`;
  }

  /** The incident's severity name in its tenant's words, e.g. "Major". */
  severityLabel(incident: Incident): string {
    return this.deps.profiles.severityOf(incident).label;
  }

  /** A new record is stored holding this process's provisioning lease, so its war room starts without a claim. */
  private declare(request: DeclareRequest) {
    // The war room starts the moment the record is stored (its declared event is written meanwhile).
    return declareIncident({ ...this.deps, lease: () => this.deps.runner.leaseForNew(), onStored: (incident) => this.deps.runner.start(incident.id, incident) }, request);
  }

  private mayDeclare(turn: BotTurn): Promise<string | undefined> {
    return this.deps.access.mayDo('declare', turn.actor, turn.tenantId);
  }

  private reporterCard(incident: Incident): CardElement {
    return reporterCard(incident, this.deps.profiles.for(incident.tenantId));
  }

  /** `declare <title> --sev P1`: replies with "declaring…" and updates that reply with the channel link later. */
  async fromChat(turn: BotTurn, input: DeclareInput, typed?: string): Promise<void> {
    const denied = await this.mayDeclare(turn);
    if (denied) return void (await turn.reply({ text: md`${denied} Nothing was created.` }));
    const source: IncidentSource = { kind: 'chat', key: `teams-activity:${turn.activityId}`, replyTo: turn.address };
    let result;
    try {
      result = await this.declare({ tenantId: turn.tenantId, reporter: turn.actor, source, input: await this.withPeople(turn, input) });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      // The problems quote what was typed (a title too long, an unknown severity): escaped.
      await turn.reply({ text: this.refusal(error.problems, typed) });
      return;
    }
    const { incident, created } = result;
    // A new war room started as the record was stored; a retry resumes one whose first attempt
    // died mid-way (the lease keeps it single).
    if (!created) this.deps.runner.start(incident.id);
    if (created) {
      try {
        const ackId = await turn.reply({ card: this.reporterCard(incident) });
        if (ackId) await this.deps.store.setAckActivity(incident.id, ackId);
      } catch (error) {
        // The incident is declared; the reporter step answers them once the room is open.
        this.deps.log.warn({ incidentId: incident.id, err: (error as Error).message }, 'the "declaring…" reply failed; the war room opens anyway');
      }
    }
  }

  /**
   * "Declare incident" on a Teams message (the message extension). One incident per message: a
   * second declaration from the same message, or Teams retrying the submit, finds the first.
   * No reply in that conversation (the bot may not be a member there): the dialog answers.
   */
  async fromMessage(turn: BotTurn, input: DeclareInput, message: QuotedMessage, shownType?: string): Promise<{ incident: Incident; created: boolean } | { problems: readonly string[] }> {
    const denied = await this.mayDeclare(turn);
    if (denied) return { problems: [denied] };
    const switched = this.typeSwitched(turn.tenantId, input, shownType);
    if (switched) return { problems: [switched] };
    const source: IncidentSource = { kind: 'message', key: `teams-message:${message.id}`, message };
    try {
      const result = await this.declare({ tenantId: turn.tenantId, reporter: turn.actor, source, input: await this.withPeople(turn, input) });
      if (!result.created) this.deps.runner.start(result.incident.id);
      return result;
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return { problems: error.problems };
    }
  }

  /**
   * The form's Declare button. Returns the card that replaces the form: the "declaring…" card on
   * success (updated with the channel link later), or the form again, values kept, on bad input.
   */
  async fromForm(turn: BotTurn, input: DeclareInput, formActivityId: string | undefined, shownType?: string): Promise<CardElement> {
    const denied = await this.mayDeclare(turn);
    if (denied) return this.formCard(turn.tenantId, input, [denied]);
    const switched = this.typeSwitched(turn.tenantId, input, shownType);
    if (switched) return this.formCard(turn.tenantId, input, [switched]);
    const source: IncidentSource = {
      kind: 'form',
      key: `teams-activity:${turn.activityId}`,
      replyTo: turn.address,
      ackActivityId: formActivityId,
    };
    try {
      const { incident, created } = await this.declare({ tenantId: turn.tenantId, reporter: turn.actor, source, input: await this.withPeople(turn, input) });
      if (!created) this.deps.runner.start(incident.id);
      return this.reporterCard(incident);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return this.formCard(turn.tenantId, input, error.problems);
    }
  }
}
