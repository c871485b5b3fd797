/**
 * Stakeholders who follow an incident get its news in their personal chat with the bot: updates,
 * status and severity changes, resolution. Sent after the change is recorded; a follower who
 * cannot be reached (the app not installed for them) is logged and skipped, never blocking others.
 */
import { incidentLabel, isActor, type Incident } from '../incident/incident.js';
import { isMember } from '../incident/membership.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import type { TimelineEvent } from '../incident/timeline.js';
import { md, mdLink, type Markdown } from '../support/markdown.js';

const str = (value: unknown) => (typeof value === 'string' ? value : String(value ?? '?'));

/** What a follower reads for this change, or nothing for changes they need not hear about. People's words (title, update, reason, names) are escaped. */
export function followerMessage(incident: Incident, event: TimelineEvent): Markdown | undefined {
  const label = md`**${incidentLabel(incident)}** (${incident.title})`;
  const link = incident.channel ? md` — ${mdLink('incident channel', incident.channel.webUrl)}` : md``;
  const p = event.payload;
  switch (event.kind) {
    case 'update_posted':
      return md`📣 ${label} update from ${event.actor.name}: ${str(p.text)}${link}`;
    case 'status_changed':
    case 'resolved':
    case 'closed':
      return md`${label} is now **${str(p.to ?? incident.status)}**${p.from ? md` (was ${str(p.from)})` : ''}${link}`;
    case 'severity_changed':
      return md`${label} severity is now **${str(p.to)}** (was ${str(p.from)})${p.reason ? md`: ${str(p.reason)}` : ''}${link}`;
    default:
      return undefined;
  }
}

export class FollowerUpdates {
  constructor(private readonly deps: { messenger: Pick<Messenger, 'sendPersonal'>; log: Logger }) {}

  /** Listens to applied changes (IncidentActions.onApplied). */
  async incidentChanged(incident: Incident, event: TimelineEvent): Promise<void> {
    const text = followerMessage(incident, event);
    if (!text) return;
    // A private incident's news reaches only followers who are still its members.
    const followers = (incident.followers ?? []).filter((f) => !isActor(f, event.actor) && (!incident.private || isMember(incident, f)));
    await Promise.all(
      followers.map((follower) =>
        this.deps.messenger.sendPersonal(incident.tenantId, follower, text).catch((error: unknown) =>
          this.deps.log.warn({ incident: incidentLabel(incident), follower: follower.id, err: (error as Error).message }, 'could not tell a follower'),
        ),
      ),
    );
  }
}
