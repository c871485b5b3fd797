/**
 * Personal notifications: role assignments, pages and escalations reach the person in their
 * Teams activity feed, and where the tenant does not permit that (or the feed fails), as an
 * @mention in the incident channel, so nobody misses being made commander at 3 a.m.
 */
import { withTransientRetries } from '../support/retry.js';
import { incidentLabel, isActor, ROLE_NAMES, type Incident, type Person, type Role } from '../incident/incident.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Messenger } from '../ports/messenger.js';
import type { TimelineEvent } from '../incident/timeline.js';
import { md } from '../support/markdown.js';

/**
 * The activity types we send, declared in the manifest (`activities.activityTypes`): Teams fills
 * the template with the parameters of the same names.
 */
export const ACTIVITY_TYPES = {
  roleAssigned: { description: 'You were given a role in an incident', templateText: '{assignedBy} made you {role} on {incident}' },
  paged: { description: 'You are paged for an incident', templateText: 'You are paged for {incident} ({level})' },
  escalated: { description: 'An unacknowledged incident was escalated to you', templateText: '{incident} was escalated to you ({level})' },
  commandTaken: { description: 'Someone took over command of your incident', templateText: '{takenBy} took over command of {incident} from you' },
  actionAssigned: { description: 'A post-mortem action item is yours', templateText: '{assignedBy} gave you an action item from {incident}' },
  actionDueSoon: { description: 'Your post-mortem action item is due soon', templateText: 'Your action item from {incident} is due {due}' },
  actionOverdue: { description: 'Your post-mortem action item is overdue', templateText: 'Your action item from {incident} is overdue (due {due})' },
} as const;

export type ActivityType = keyof typeof ACTIVITY_TYPES;

export interface PersonalNotification {
  readonly type: ActivityType;
  readonly person: Person;
  readonly incident: Incident;
  /** Values for the template's {placeholders}. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The preview line (Teams shows 150 characters), plain text; escaped when it is the chat mention's text instead. */
  readonly text: string;
}

/** The Teams activity feed (Graph sendActivityNotification). */
export interface ActivityFeed {
  /** 'not-permitted': the tenant, the person or the app's consent does not allow it here. */
  notify(notification: PersonalNotification): Promise<'sent' | 'not-permitted'>;
}

export interface NotificationsDeps {
  readonly feed: ActivityFeed;
  readonly messenger: Pick<Messenger, 'postNotice'>;
  readonly clock: Clock;
  readonly log: Logger;
  /** The built-in rota pages by @mention already: no second mention when the feed is not permitted. */
  readonly pagesMentionInChat: boolean;
  readonly attempts?: number;
}

export class Notifications {
  constructor(private readonly deps: NotificationsDeps) {}

  /** Listens to applied changes (IncidentActions.onApplied). */
  async incidentChanged(incident: Incident, event: TimelineEvent): Promise<void> {
    for (const notification of notificationsFor(incident, event)) await this.send(notification);
  }

  private async send(notification: PersonalNotification): Promise<void> {
    const { person, incident, type } = notification;
    const outcome = person.aadObjectId ? await this.tryFeed(notification) : 'not-permitted';
    if (outcome === 'sent') return;
    // Pages already @mention the paged in chat; anything else about a person is told there when the feed cannot.
    if ((type === 'paged' || type === 'escalated') && this.deps.pagesMentionInChat) return;
    this.deps.log.info({ incident: incidentLabel(incident), type, outcome }, 'activity feed not used; mentioning in the channel instead');
    // Plain text with names, titles and reasons in it: all of it is escaped in the chat message.
    await this.deps.messenger.postNotice(incident, md`🔔 ${notification.text}`, [person]);
  }

  private async tryFeed(notification: PersonalNotification): Promise<'sent' | 'not-permitted' | 'failed'> {
    try {
      return await withTransientRetries(this.deps.clock, this.deps.attempts ?? 3, () => this.deps.feed.notify(notification));
    } catch (error) {
      this.deps.log.warn({ err: (error as Error).message, type: notification.type, incident: incidentLabel(notification.incident) }, 'activity feed notification failed');
      return 'failed';
    }
  }
}

const levelText = (level: number, label: string) => `${label}, level ${level + 1}`;

/** Which people an applied change should tell personally, and what. */
export function notificationsFor(incident: Incident, event: TimelineEvent): PersonalNotification[] {
  // A private incident's feed text names no title: previews show on lock screens and in notification lists.
  const label = incident.private ? `${incidentLabel(incident)} (private)` : `${incidentLabel(incident)}: ${incident.title}`;
  if (event.kind === 'role_assigned') {
    const person = event.payload.person as Person | undefined;
    const role = ROLE_NAMES[event.payload.role as Role] ?? String(event.payload.role);
    // Taking a role yourself needs no notification.
    if (!person?.id || isActor(person, event.actor)) return [];
    return [{ type: 'roleAssigned', person, incident, parameters: { assignedBy: event.actor.name, role, incident: label }, text: `${event.actor.name} made you ${role} on ${label}` }];
  }
  if (event.kind === 'command_taken') {
    const previous = event.payload.previous as Person | undefined;
    if (!previous?.id) return [];
    const reason = typeof event.payload.reason === 'string' ? event.payload.reason : '';
    return [{ type: 'commandTaken', person: previous, incident, parameters: { takenBy: event.actor.name, incident: label }, text: `${event.actor.name} took over command of ${label} from you: ${reason}` }];
  }
  if (event.kind === 'paged' && incident.paging) {
    const { level, label: levelLabel, people } = incident.paging;
    const type: ActivityType = level === 0 ? 'paged' : 'escalated';
    const at = levelText(level, levelLabel);
    return people.map((person) => ({
      type,
      person,
      incident,
      parameters: { incident: label, level: at },
      text: type === 'paged' ? `You are paged for ${label} (${at})` : `${label} was escalated to you (${at})`,
    }));
  }
  return [];
}
