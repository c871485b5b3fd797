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
import { md, mdJoin } from '../models/support/markdown.js';

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
    return declareFormCard(values, problems, mode, this.deps.profiles.for(tenantId).severities);
  }

  /** The incident's severity name in its tenant's words, e.g. "Major". */
  severityLabel(incident: Incident): string {
    return this.deps.profiles.severityOf(incident).label;
  }

  /** A new record is stored holding this process's provisioning lease, so its war room starts without a claim. */
  private declare(request: DeclareRequest) {
    return declareIncident({ ...this.deps, lease: () => this.deps.runner.leaseForNew() }, request);
  }

  private mayDeclare(turn: BotTurn): Promise<string | undefined> {
    return this.deps.access.mayDo('declare', turn.actor, turn.tenantId);
  }

  private reporterCard(incident: Incident): CardElement {
    return reporterCard(incident, this.deps.profiles.for(incident.tenantId));
  }

  /** `declare <title> --sev P1`: replies with "declaring…" and updates that reply with the channel link later. */
  async fromChat(turn: BotTurn, input: DeclareInput): Promise<void> {
    const denied = await this.mayDeclare(turn);
    if (denied) return void (await turn.reply({ text: md`${denied} Nothing was created.` }));
    const source: IncidentSource = { kind: 'chat', key: `teams-activity:${turn.activityId}`, replyTo: turn.address };
    let result;
    try {
      result = await this.declare({ tenantId: turn.tenantId, reporter: turn.actor, source, input });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      await turn.reply({
        // The problems quote what was typed (a title too long, an unknown severity): escaped.
        text: md`I could not declare that incident, nothing was created:\n\n${mdJoin(error.problems.map((p) => md`- ${p}`), md`\n`)}\n\nType \`declare\` alone for a form.`,
      });
      return;
    }
    const { incident, created } = result;
    // The war room starts now, while the reporter is answered (also for a retry: if the first
    // attempt died mid-way, this resumes it; the lease keeps it single).
    this.deps.runner.start(incident.id, created ? incident : undefined);
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
  async fromMessage(turn: BotTurn, input: DeclareInput, message: QuotedMessage): Promise<{ incident: Incident; created: boolean } | { problems: readonly string[] }> {
    const denied = await this.mayDeclare(turn);
    if (denied) return { problems: [denied] };
    const source: IncidentSource = { kind: 'message', key: `teams-message:${message.id}`, message };
    try {
      const result = await this.declare({ tenantId: turn.tenantId, reporter: turn.actor, source, input });
      this.deps.runner.start(result.incident.id, result.created ? result.incident : undefined);
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
  async fromForm(turn: BotTurn, input: DeclareInput, formActivityId: string | undefined): Promise<CardElement> {
    const denied = await this.mayDeclare(turn);
    if (denied) return this.formCard(turn.tenantId, input, [denied]);
    const source: IncidentSource = {
      kind: 'form',
      key: `teams-activity:${turn.activityId}`,
      replyTo: turn.address,
      ackActivityId: formActivityId,
    };
    try {
      const { incident, created } = await this.declare({ tenantId: turn.tenantId, reporter: turn.actor, source, input });
      this.deps.runner.start(incident.id, created ? incident : undefined);
      return this.reporterCard(incident);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      return this.formCard(turn.tenantId, input, error.problems);
    }
  }
}
