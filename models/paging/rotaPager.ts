/**
 * The built-in pager: the on-call rota pages people by @mentioning them in the incident channel
 * (a Teams notification on their phone), with the channel link. Acknowledging happens in Teams
 * itself, so there is nothing to tell a pager service afterwards.
 */
import { incidentLabel } from '../incident/incident.js';
import type { Messenger } from '../ports/messenger.js';
import type { PageRequest, Pager } from '../ports/pager.js';
import type { TenantProfiles } from '../incident/tenantProfile.js';
import { md, mdLink, type Markdown } from '../support/markdown.js';

export class RotaPager implements Pager {
  readonly name = 'on-call rota (Teams mentions)';

  constructor(
    private readonly messenger: Pick<Messenger, 'postNotice'>,
    private readonly profiles: TenantProfiles,
  ) {}

  async page(request: PageRequest): Promise<void> {
    await this.messenger.postNotice(request.incident, this.pageText(request), request.people);
  }

  /** The page: the title as typed (escaped: a title is never a link or a mention here), and our link to the channel. */
  pageText({ incident, level, label, link }: PageRequest): Markdown {
    const sev = `${incident.severity} ${this.profiles.severityOf(incident).label}`;
    // A private incident's page names no title: a page reaches people who may not be its members yet.
    const what = incident.private ? md`a private incident` : md`${incident.title}`;
    return md`📟 You are paged (${label}, level ${level + 1}) for **${incidentLabel(incident)}** (${sev}): ${what}. Acknowledge with the card's Acknowledge button or \`ack\`${link ? md` — ${mdLink('open the incident channel', link)}` : ''}.`;
  }

  async acknowledge(): Promise<void> {}

  async resolve(): Promise<void> {}
}
