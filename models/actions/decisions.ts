/**
 * What each incident action does, as pure functions of the current record: either the fields
 * to set and the timeline event to record, or the reason it is refused. IncidentActions applies
 * them with optimistic concurrency, re-deciding on the latest record after a conflict.
 */
import { canMove, isOpen, nextStatuses, type Status } from '../incident/lifecycle.js';
import {
  incidentLabel,
  ROLE_NAMES,
  SUMMARY_FIELDS,
  SUMMARY_LABELS,
  type Incident,
  type PagingState,
  type Person,
  type ReviewMeeting,
  type Role,
  samePerson,
  type Topic,
} from '../incident/incident.js';
import type { Severity } from '../incident/severity.js';
import type { SeverityInfo } from '../incident/tenantProfile.js';
import type { PublicIncidentRef, PublicStatus } from '../incident/publicStatus.js';
import type { EventKind } from '../incident/timeline.js';
import type { ChecklistItem } from '../incident/checklist.js';
import type { IncidentPatch } from '../incident/patch.js';
import { missingRoles, type IncidentType } from '../incident/incidentTypes.js';
import { TEXT_LIMITS } from './limits.js';
import { whenClosed } from './roleDecisions.js';
import { utcMinute } from '../support/utcMinute.js';
export { assignRole, takeCommand } from './roleDecisions.js';

export interface Change {
  readonly patch: IncidentPatch;
  /** `at`: when what it records happened, when that was not now (a message marked key, written earlier). */
  readonly event: { readonly kind: EventKind; readonly payload: Readonly<Record<string, unknown>>; readonly at?: Date };
  /** What to tell the person who acted (and the channel). */
  readonly message: string;
  /** An update to post in the channel and the broadcast thread. */
  readonly post?: string;
  /** A new topic line for the channel. */
  readonly topic?: Topic;
}
export type Decision = Change | { readonly refuse: string };

const MAX_SMES = 20;
const UNKNOWN = 'UNKNOWN';

const label = incidentLabel;
const name = (p: Person) => p.name;


const MAX_FOLLOWERS = 500;

/**
 * The public status page: customers read it, so the access policy gives its words to the
 * Communications lead (and the commander, and incident admins) by default.
 */
export function publishPublicStatus(incident: Incident, actor: Person, status: PublicStatus, text: string, now: Date): Decision {
  if (incident.status === 'closed' || incident.status === 'archived') return { refuse: `${label(incident)} is ${incident.status}; the status page is no longer updated from here.` };
  const clean = text.trim();
  if (!clean) return { refuse: 'Write what customers should read first.' };
  if (clean.length > TEXT_LIMITS.publicText) return { refuse: `Keep the public text under ${TEXT_LIMITS.publicText} characters (it is ${clean.length}).` };
  const previous = incident.publicStatus;
  if (previous && previous.status === status && previous.text === clean && !previous.error) return { refuse: 'The status page already says exactly that.' };
  return {
    patch: { publicStatus: { status, text: clean, at: now, by: actor, ...(previous?.page ? { page: previous.page } : {}) } },
    event: { kind: 'public_status_updated', payload: { status, text: clean } },
    message: `${name(actor)} set the public status of ${label(incident)} to ${status}; publishing it to the status page.`,
  };
}

/** Where the status page keeps it now, or why it could not be updated. */
export function recordPublicStatusSync(incident: Incident, outcome: { page?: PublicIncidentRef; error?: string }): Decision {
  if (!incident.publicStatus) return { refuse: 'No public status to record.' };
  if (outcome.page) {
    return {
      patch: { publicStatus: { ...incident.publicStatus, page: outcome.page, error: undefined } },
      event: { kind: 'public_status_published', payload: { status: incident.publicStatus.status, url: outcome.page.url } },
      message: `The status page shows ${label(incident)} as ${incident.publicStatus.status}.`,
    };
  }
  return {
    patch: { publicStatus: { ...incident.publicStatus, error: outcome.error ?? 'unknown error' } },
    event: { kind: 'public_status_failed', payload: { error: outcome.error } },
    message: `The status page was not updated: ${outcome.error}.`,
  };
}

/** Something a change had to do in Teams could not be done (given up after retries, or refused for good). */
export function recordDeliveryFailure(incident: Incident, failure: { what: string; error: string }, now: Date): Decision {
  return {
    patch: { deliveryProblem: { what: failure.what, error: failure.error, at: now } },
    event: { kind: 'delivery_failed', payload: { what: failure.what, error: failure.error } },
    message: `${label(incident)}: ${failure.what} failed: ${failure.error}.`,
  };
}

/** A stakeholder asks for updates in their personal chat. */
export function follow(incident: Incident, person: Person): Decision {
  if (incident.status === 'archived') return { refuse: `${label(incident)} is archived; there will be no more updates to follow.` };
  const followers = incident.followers ?? [];
  if (followers.some((f) => samePerson(f, person))) return { refuse: `You already follow ${label(incident)}; its updates come to your personal chat.` };
  if (followers.length >= MAX_FOLLOWERS) return { refuse: `${label(incident)} has ${MAX_FOLLOWERS} followers already; watch the broadcast channel instead.` };
  return {
    patch: { followers: [...followers, person] },
    event: { kind: 'followed', payload: { person } },
    message: `You follow ${label(incident)}: its updates, status and severity changes come to your personal chat with incident-room.`,
  };
}

export function unfollow(incident: Incident, person: Person): Decision {
  const followers = incident.followers ?? [];
  if (!followers.some((f) => samePerson(f, person))) return { refuse: `You do not follow ${label(incident)}.` };
  return {
    patch: { followers: followers.filter((f) => !samePerson(f, person)) },
    event: { kind: 'unfollowed', payload: { person } },
    message: `You no longer follow ${label(incident)}.`,
  };
}

export function acknowledge(incident: Incident, actor: Person, now: Date): Decision {
  const closed = whenClosed(incident);
  if (closed) return closed;
  if (incident.milestones.acknowledged) return { refuse: `${label(incident)} was already acknowledged.` };
  return {
    patch: { milestones: { acknowledged: now } },
    event: { kind: 'acknowledged', payload: {} },
    message: `${name(actor)} acknowledged ${label(incident)}.`,
  };
}


/** Milestones a status move records, the first time it happens. */
function milestonesFor(incident: Incident, to: Status, now: Date): NonNullable<IncidentPatch['milestones']> {
  const m = incident.milestones;
  return {
    ...(!m.acknowledged ? { acknowledged: now } : {}),
    ...((to === 'monitoring' || to === 'resolved') && !m.mitigated ? { mitigated: now } : {}),
    ...(to === 'resolved' && !m.resolved ? { resolved: now } : {}),
  };
}

export function changeStatus(incident: Incident, to: Status, actor: Person, now: Date, type?: IncidentType): Decision {
  if (to === 'closed') return close(incident, actor, now, type);
  const closed = whenClosed(incident);
  if (closed) return closed;
  if (incident.status === to) return { refuse: `${label(incident)} is already ${to}.` };
  if (!canMove(incident.status, to)) {
    return { refuse: `${label(incident)} cannot go from ${incident.status} to ${to}. From ${incident.status} it can go to: ${nextStatuses(incident.status).join(', ')}.` };
  }
  const milestones = milestonesFor(incident, to, now);
  // Moving on from triage means someone is on it: the acknowledgement (and, further on, recovery and resolution) is recorded with this event, by this person, and says so.
  const implied = Object.keys(milestones);
  const message = `${name(actor)} moved ${label(incident)} from ${incident.status} to ${to}${milestones.acknowledged ? '; that also records it as acknowledged' : ''}.`;
  // Announced once, in the channel and the broadcast thread, whichever door it came through.
  return {
    patch: { status: to, milestones },
    event: { kind: to === 'resolved' ? 'resolved' : 'status_changed', payload: { from: incident.status, to, ...(implied.length > 0 ? { milestones: implied } : {}) } },
    message,
    post: message,
  };
}

/** How the `role` command names each role, for the refusal that asks for one. */
const ROLE_COMMAND_WORD: Readonly<Record<Role, string>> = { commander: 'commander', communications: 'comms', business: 'business', technical: 'tech', scribe: 'scribe', sme: 'sme' };

/**
 * The rules for closing: resolved, with the recovery and resolution times and a status summary,
 * and the roles the incident's type requires held (a security incident needs its Technical lead).
 */
export function closeBlockers(incident: Incident, type?: IncidentType): string[] {
  const missing: string[] = [];
  if (incident.status !== 'resolved') missing.push(`it must be resolved first (it is ${incident.status})`);
  if (!incident.milestones.mitigated) missing.push('the time service recovered (mitigated) is not recorded');
  if (!incident.milestones.resolved) missing.push('the resolution time is not recorded');
  if (!incident.summary) missing.push('there is no status summary yet (use Summary)');
  if (!incident.roles.commander) missing.push('no Incident Commander was ever assigned');
  // The commander is named above already; the type's other roles are named with how to fill them.
  const roles = type ? missingRoles(type, incident.roles).filter((r) => r !== 'commander') : [];
  if (type && roles.length > 0) missing.push(`a ${type.label} incident needs ${roles.map((r) => `a ${ROLE_NAMES[r]}`).join(' and ')} before closing; nobody holds ${roles.length > 1 ? 'these roles' : 'that role'} (${'`'}role ${ROLE_COMMAND_WORD[roles[0]!]} @name${'`'})`);
  return missing;
}

export function close(incident: Incident, actor: Person, now: Date, type?: IncidentType): Decision {
  const closed = whenClosed(incident);
  if (closed) return closed;
  const missing = closeBlockers(incident, type);
  if (missing.length > 0) return { refuse: `${label(incident)} cannot be closed yet: ${missing.join('; ')}.` };
  return {
    patch: { status: 'closed', milestones: { closed: now } },
    event: { kind: 'closed', payload: { from: incident.status, to: 'closed' } },
    message: `${name(actor)} closed ${label(incident)}.`,
    post: `${name(actor)} closed ${label(incident)}.`,
  };
}

export function resolve(incident: Incident, actor: Person, now: Date): Decision {
  return changeStatus(incident, 'resolved', actor, now);
}

/** `meaning` is the new level in the tenant's words. */
export function changeSeverity(incident: Incident, to: Severity, meaning: SeverityInfo, actor: Person, reason?: string): Decision {
  const closed = whenClosed(incident);
  if (closed) return closed;
  if (incident.severity === to) return { refuse: `${label(incident)} is already ${to}.` };
  if (reason && reason.length > TEXT_LIMITS.severityReason) return { refuse: `Keep the reason under ${TEXT_LIMITS.severityReason} characters (it is ${reason.length}).` };
  return {
    patch: { severity: to },
    event: { kind: 'severity_changed', payload: { from: incident.severity, to, reason } },
    message: `${name(actor)} changed ${label(incident)} from ${incident.severity} to ${to} (${meaning.label}: ${meaning.definition})${reason ? ` because ${reason}` : ''}.`,
    post: `${name(actor)} changed ${label(incident)} from ${incident.severity} to ${to} (${meaning.label})${reason ? ` because ${reason}` : ''}.`,
  };
}

export { updateSummary, type SummaryInput } from './summaryEdit.js';

/** Data loss or corruption, reported in one click: the escalation rules then suggest P0 (or, forced, make it so). */
export function reportDataLoss(incident: Incident, actor: Person, forceP0: boolean): Decision {
  const closed = whenClosed(incident);
  if (closed) return closed;
  if (incident.dataLoss) return { refuse: `Data loss is already reported on ${label(incident)}.` };
  const raise = forceP0 && incident.severity !== 'P0';
  const next = raise ? '; it is now P0' : incident.severity === 'P0' ? '' : '; the card offers raising it to P0';
  return {
    patch: { dataLoss: true, ...(raise ? { severity: 'P0' as const } : {}) },
    event: { kind: 'data_loss_reported', payload: { severityRaisedTo: raise ? 'P0' : undefined } },
    message: `${name(actor)} reported data loss or corruption on ${label(incident)}${next}.`,
  };
}

/** The channel description Teams shows under the channel name: the topic line (what is wrong, who owns it). */
/**
 * The channel's description, as people read it in the channel header: the incident, its current
 * severity and what is wrong (the topic line once there is one). It also tells a channel we
 * created before a crash apart from anyone else's (`isOurChannel`), so it needs no internal id.
 */
export function channelDescription(incident: Incident): string {
  return incident.topic ? topicText(incident, incident.topic) : `${label(incident)} (${incident.severity}): ${incident.title}`;
}

/** Whether a channel's description is the one we give an incident's channel (numbers are unique per tenant). */
export function isOurChannel(incident: Incident, description: string | undefined): boolean {
  return Boolean(description?.startsWith(`${label(incident)} (`));
}

export function topicText(incident: Incident, topic: Topic): string {
  const owners = [topic.sreOwner && `SRE: ${topic.sreOwner}`, topic.devOwner && `Dev: ${topic.devOwner}`].filter(Boolean).join(', ');
  return `${label(incident)} (${incident.severity}): ${topic.line}${owners ? ` | ${owners}` : ''}`;
}

export function postUpdate(incident: Incident, text: string, actor: Person, now: Date): Decision {
  const closed = whenClosed(incident);
  if (closed) return closed;
  const clean = text.trim();
  if (!clean) return { refuse: 'An update needs some text, e.g. `update Rolled back 2026.05.01-3; error rate falling`.' };
  if (clean.length > TEXT_LIMITS.update) return { refuse: `Updates are limited to ${TEXT_LIMITS.update} characters (this one has ${clean.length}).` };
  return {
    // This update is posted afresh: an earlier one's delivery problem is no longer the news.
    patch: { lastUpdate: { text: clean, at: now, by: actor }, ...(incident.deliveryProblem ? { deliveryProblem: null } : {}) },
    event: { kind: 'update_posted', payload: { text: clean } },
    message: `${name(actor)} posted an update on ${label(incident)}.`,
    post: clean,
  };
}

export function escalate(incident: Incident, actor: Person, note: string | undefined): Decision {
  const closed = whenClosed(incident);
  if (closed) return closed;
  if (!isOpen(incident.status)) return { refuse: `${label(incident)} is ${incident.status}; there is nobody to escalate to for a resolved incident.` };
  const level = (incident.escalations ?? 0) + 1;
  // Levels are counted from 1 wherever people read them (level 1 is the primary on-call): the one now paged follows the one last paged.
  const toLevel = (incident.paging?.level ?? -1) + 2;
  const clean = note?.trim().slice(0, TEXT_LIMITS.escalationNote) || undefined;
  return {
    patch: { escalations: level },
    event: { kind: 'escalated', payload: { level, toLevel, note: clean } },
    message: `${name(actor)} escalated ${label(incident)}: paging level ${toLevel} of the on-call escalation policy.`,
  };
}

/** The monitor says its alert is resolved: recorded and suggested; people decide. */
export function recordMonitorResolved(incident: Incident, report: { at: Date; title: string; source: string }): Decision {
  return {
    patch: { monitorResolved: report },
    event: { kind: 'alert_received', payload: { status: 'resolved', title: report.title, source: report.source } },
    message: `The monitor reports "${report.title}" resolved for ${label(incident)}.`,
  };
}

/** A page went out to a level of the escalation policy (recorded by the paging timers). */
export function recordPage(incident: Incident, paging: PagingState): Decision {
  if (!isOpen(incident.status)) return { refuse: `${label(incident)} is ${incident.status}; nobody needs paging.` };
  return {
    patch: { paging },
    event: { kind: 'paged', payload: { level: paging.level, label: paging.label, people: paging.people.map((p) => ({ id: p.id, name: p.name, ...(p.aadObjectId ? { aadObjectId: p.aadObjectId } : {}) })), person: paging.people[0] } },
    message: `Paged ${paging.people.map((p) => p.name).join(', ')} (${paging.label}) for ${label(incident)}.`,
  };
}

/** A note on the timeline (from the tab): allowed until the incident is archived, for late findings. */
export function addNote(incident: Incident, text: string, actor: Person): Decision {
  if (incident.status === 'archived') return { refuse: `${label(incident)} is archived; its timeline is read-only.` };
  const clean = text.trim();
  if (!clean) return { refuse: 'A note needs some text.' };
  if (clean.length > TEXT_LIMITS.note) return { refuse: `Notes are limited to ${TEXT_LIMITS.note} characters (this one has ${clean.length}).` };
  return { patch: {}, event: { kind: 'note', payload: { text: clean } }, message: `${name(actor)} added a note to ${label(incident)}.` };
}

/** Ticks or unticks an SOP item of the incident's current severity, recording who and when. */
export function tickChecklist(incident: Incident, item: ChecklistItem | undefined, done: boolean, actor: Person, now: Date, because?: string): Decision {
  if (incident.status === 'archived') return { refuse: `${label(incident)} is archived; its checklist is read-only.` };
  if (!item) return { refuse: `That item is not on the ${incident.severity} checklist (the severity may have changed); reload the checklist.` };
  const ticked = Boolean(incident.checklist?.[item.id]);
  if (ticked === done) return { refuse: done ? `"${item.text}" was already ticked.` : `"${item.text}" was not ticked.` };
  return {
    // An unticked item stays on the record as null: it reads as unticked, and shows it was touched.
    patch: { checklist: { [item.id]: done ? { by: actor, at: now } : null } },
    event: { kind: done ? 'checklist_ticked' : 'checklist_unticked', payload: { item: item.id, text: item.text, ...(because ? { because } : {}) } },
    message: `${name(actor)} ${done ? 'ticked' : 'unticked'} "${item.text}"${because ? `: ${because}` : ''}.`,
  };
}

/** Records that a post-mortem version was saved (the text itself is in the postmortems store). */
export function postmortemSaved(incident: Incident, version: number, actor: Person, now: Date): Decision {
  if ((incident.postmortem?.version ?? 0) >= version) return { refuse: `Version ${version} of the post-mortem is already recorded.` };
  return {
    patch: { postmortem: { version, savedAt: now, savedBy: actor } },
    event: { kind: 'postmortem_saved', payload: { version } },
    message: `${name(actor)} saved version ${version} of the ${label(incident)} post-mortem.`,
  };
}

/** Publishing needs the incident to be over, and publishes exactly the version the person read. */
export function publishPostmortem(incident: Incident, version: number, actor: Person, now: Date): Decision {
  if (incident.status === 'archived') return { refuse: `${label(incident)} is archived; its post-mortem was published already.` };
  if (incident.status !== 'resolved' && incident.status !== 'closed') {
    return { refuse: `${label(incident)} is ${incident.status}: publish the post-mortem once it is resolved.` };
  }
  const saved = incident.postmortem?.version ?? 0;
  if (saved === 0) return { refuse: 'Save the post-mortem before publishing it.' };
  if (version !== saved) return { refuse: `You are publishing version ${version}, but version ${saved} was saved since. Reload it, read it, then publish.` };
  if (incident.postmortem?.publishedVersion === version) return { refuse: `Version ${version} is already published.` };
  return {
    patch: { postmortem: { publishedVersion: version, publishedAt: now, publishedBy: actor } },
    event: { kind: 'postmortem_published', payload: { version } },
    message: `${name(actor)} published version ${version} of the ${label(incident)} post-mortem.`,
  };
}

/** The published post-mortem, filed as a document where the team keeps its files. Filing the same version again changes nothing. */
export function postmortemFiled(incident: Incident, filed: { version: number; name: string; webUrl: string }): Decision {
  const before = incident.postmortem?.filed;
  if (!incident.postmortem) return { refuse: `${label(incident)} has no post-mortem to file.` };
  if (before?.version === filed.version && before.webUrl === filed.webUrl) return { refuse: `Version ${filed.version} of the post-mortem is already filed.` };
  return {
    patch: { postmortem: { filed } },
    event: { kind: 'postmortem_filed', payload: { ...filed } },
    message: `Version ${filed.version} of the ${label(incident)} post-mortem is in the channel’s files: ${filed.name}.`,
  };
}

/** The review meeting is in the organizer's calendar (or moved there): on the record, the card and the timeline. */
export function reviewScheduled(incident: Incident, input: { review: ReviewMeeting; busy: readonly string[] }): Decision {
  const before = incident.review;
  if (before && before.eventId === input.review.eventId && new Date(before.start).getTime() === input.review.start.getTime()) return { refuse: `The ${label(incident)} review is already at that time.` };
  const moved = Boolean(before);
  const at = utcMinute(input.review.start);
  return {
    patch: { review: input.review },
    event: { kind: moved ? 'review_moved' : 'review_scheduled', payload: { start: input.review.start, end: input.review.end, invited: [...input.review.invited], busy: [...input.busy], eventId: input.review.eventId } },
    message: `The ${label(incident)} post-mortem review is ${moved ? 'moved to' : 'set for'} ${at} with ${input.review.invited.join(', ')}${input.busy.length ? `; busy then: ${input.busy.join(', ')}` : ''}.`,
  };
}

/** After the post-mortem: the record is kept, the channel read-only. */
export function archive(incident: Incident, actor: Person): Decision {
  if (incident.status === 'archived') return { refuse: `${label(incident)} is already archived.` };
  if (!canMove(incident.status, 'archived')) return { refuse: `${label(incident)} must be closed before it is archived (it is ${incident.status}).` };
  if (incident.postmortem?.publishedVersion === undefined) return { refuse: `Publish the ${label(incident)} post-mortem before archiving.` };
  return {
    patch: { status: 'archived' },
    event: { kind: 'archived', payload: { from: incident.status, to: 'archived' } },
    message: `${name(actor)} archived ${label(incident)}; its channel is read-only and kept for the record.`,
  };
}
