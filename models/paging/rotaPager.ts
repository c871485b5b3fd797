/**
 * The built-in pager: the on-call rota pages people by @mentioning them in the incident channel
 * (a Teams notification on their phone), with the channel link. Acknowledging happens in Teams
 * itself, so there is nothing to tell a pager service afterwards.
 */
import { incidentLabel } from '../incident/incident.js';
import type { Messenger } from '../ports/messenger.js';
import type { PageRequest, Pager } from '../ports/pager.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';

export class RotaPager implements Pager {
  readonly name = 'on-call rota (Teams mentions)';

  constructor(
    private readonly messenger: Pick<Messenger, 'postNotice'>,
    private readonly profiles: TenantProfiles,
  ) {}

  async page({ incident, people, level, label, link }: PageRequest): Promise<void> {
    const sev = `${incident.severity} ${this.profiles.severityOf(incident).label}`;
    const text =
      `📟 You are paged (${label}, level ${level + 1}) for **${incidentLabel(incident)}** (${sev}): ${incident.title.replace(/[<>]/g, '')}. ` +
      `Acknowledge with the card's Acknowledge button or \`ack\`${link ? ` — [open the incident channel](${link})` : ''}.`;
    await this.messenger.postNotice(incident, text, people);
  }

  async acknowledge(): Promise<void> {}

  async resolve(): Promise<void> {}
}
