/**
 * The JSON the tab receives: the domain records turned into plain, display-ready shapes. User
 * text is sent as text (the page escapes it when rendering); nothing here is HTML.
 */
import { transcriptStatus } from '../models/record/bridgeDecisions.js';
import type { ChecklistView } from '../models/record/incidentTab.js';
import type { ChatEntry } from '../models/record/chatEntries.js';
import { ROLE_NAMES, SINGLE_ROLES, incidentLabel, type Incident } from '../models/incident/incident.js';
import { describeEvent, eventLink } from '../models/incident/eventText.js';
import type { PostmortemView } from '../models/postmortem/postmortems.js';
import { ACTION_KINDS, FIX_WINDOWS, ROOT_CAUSE_TYPES, postmortemDurations } from '../models/postmortem/postmortem.js';
import type { SeverityInfo } from '../models/incident/tenantProfile.js';
import type { IncidentType } from '../models/incident/incidentTypes.js';
import { fieldFacts } from '../models/incident/extraFields.js';
import type { EventCursor } from '../models/ports/timelineStore.js';
import type { TimelineEvent } from '../models/incident/timeline.js';

const iso = (date: Date | string | undefined) => (date ? new Date(date).toISOString() : undefined);

/** `severity` is the incident's level in its tenant's words; `type` its incident type (label and extra fields shown). */
export function incidentView(incident: Incident, severity: SeverityInfo, type?: IncidentType, typeChoices: readonly { id: string; label: string }[] = []) {
  const roles = [
    ...SINGLE_ROLES.flatMap((role) => {
      const person = incident.roles[role];
      return person ? [{ role: ROLE_NAMES[role], name: person.name }] : [];
    }),
    ...incident.roles.smes.map((person) => ({ role: ROLE_NAMES.sme, name: person.name })),
  ];
  const m = incident.milestones;
  return {
    id: incident.id,
    label: incidentLabel(incident),
    title: incident.title,
    description: incident.description,
    severity: incident.severity,
    severityLabel: severity.label,
    severityDefinition: severity.definition,
    status: incident.status,
    component: incident.component,
    type: type && { id: type.id, label: type.label },
    fields: type ? fieldFacts(type.fields, incident.fields) : [],
    /** The types it may be, for the type picker. */
    typeChoices,
    roles,
    milestones: {
      started: iso(m.started), detected: iso(m.detected), declared: iso(m.declared), acknowledged: iso(m.acknowledged),
      mitigated: iso(m.mitigated), resolved: iso(m.resolved), closed: iso(m.closed),
    },
    channel: incident.channel && { name: incident.channel.name, url: incident.channel.webUrl },
    meetingUrl: incident.meeting?.joinUrl,
    /** The bridge's transcript in one line ("will be fetched after the meeting ends", "not available: …"), and its recordings' links. */
    transcript: transcriptStatus(incident),
    recordings: (incident.bridge?.recordings ?? []).flatMap((r) => (r.url ? [{ url: r.url, at: iso(r.createdAt) }] : [])),
    topic: incident.topic?.line,
    postmortem: incident.postmortem && { version: incident.postmortem.version, publishedVersion: incident.postmortem.publishedVersion },
    review: incident.review && { start: iso(incident.review.start), webLink: incident.review.webLink },
    version: incident.version,
  };
}

export function checklistJson(view: ChecklistView) {
  return {
    done: view.done,
    total: view.total,
    items: view.items.map((i) => ({ id: i.id, phase: i.phase, text: i.text, done: i.done && { by: i.done.by.name, at: iso(i.done.at) } })),
  };
}

export function eventJson(event: TimelineEvent) {
  return { id: event.id, at: event.at.toISOString(), actor: event.actor.name, actorKind: event.actor.kind, kind: event.kind, text: describeEvent(event), link: eventLink(event) };
}

/** A chat entry as the tab shows it: with the story's shape (time, who, text, link) and whether it was edited or deleted. */
export function chatJson(entry: ChatEntry) {
  return { id: entry.id, at: new Date(entry.at).toISOString(), actor: entry.author.name, kind: 'chat', text: entry.deletedAt ? '' : entry.text, link: entry.link, ...(entry.replyToId ? { replyToId: entry.replyToId } : {}), ...(entry.editedAt ? { edited: new Date(entry.editedAt).toISOString() } : {}), ...(entry.deletedAt ? { deleted: new Date(entry.deletedAt).toISOString() } : {}) };
}

/** Cursors travel as `millis.id`: opaque to the page, cheap to validate. */
export function encodeCursor(cursor: EventCursor | undefined): string | undefined {
  return cursor && `${new Date(cursor.at).getTime()}.${cursor.id}`;
}

export function decodeCursor(text: string): EventCursor | undefined {
  const match = /^(\d{1,15})\.([0-9a-f]{24})$/.exec(text);
  return match ? { at: new Date(Number(match[1])), id: match[2]! } : undefined;
}

export function postmortemJson(view: PostmortemView) {
  return {
    version: view.version,
    draft: view.version === 0,
    content: view.content,
    savedAt: iso(view.savedAt),
    savedBy: view.savedBy?.name,
    publishedVersion: view.publishedVersion,
    warnings: view.warnings,
    durations: postmortemDurations(view.content.times),
    options: { rootCauseTypes: ROOT_CAUSE_TYPES, actionKinds: ACTION_KINDS, fixWindows: FIX_WINDOWS },
  };
}
