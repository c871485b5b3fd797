import { Schema, type Connection } from 'mongoose';

const person = { _id: false, id: String, name: String, aadObjectId: String };
const address = { _id: false, serviceUrl: String, tenantId: String, conversationId: String, activityId: String };
const step = { _id: false, status: String, attempts: Number, error: String, hint: String, at: Date };

export const incidentSchema = new Schema(
  {
    _id: Schema.Types.ObjectId,
    tenantId: { type: String, required: true },
    number: { type: Number, required: true },
    title: { type: String, required: true },
    description: String,
    component: String,
    environment: String,
    // A path named "type" must be spelled { type: String }: mongoose reads a bare `type` key as the path's own type.
    type: { type: String },
    fields: { type: Schema.Types.Mixed, default: undefined },
    severity: { type: String, required: true },
    status: { type: String, required: true },
    reporter: person,
    roles: {
      commander: { type: person, default: undefined },
      communications: { type: person, default: undefined },
      business: { type: person, default: undefined },
      technical: { type: person, default: undefined },
      scribe: { type: person, default: undefined },
      smes: [person],
    },
    source: { kind: String, key: String, replyTo: { type: address, default: undefined }, ackActivityId: String, fingerprint: String, message: { type: { _id: false, id: String, link: String, author: String, excerpt: String }, default: undefined } },
    milestones: { started: Date, detected: Date, declared: Date, acknowledged: Date, mitigated: Date, resolved: Date, closed: Date },
    channel: { type: { _id: false, id: String, name: String, webUrl: String }, default: undefined },
    private: Boolean,
    members: { type: [person], default: undefined },
    chat: { type: { _id: false, id: String, webUrl: String }, default: undefined },
    chatFallback: { type: { _id: false, reason: String, at: Date }, default: undefined },
    personalCards: { type: [{ _id: false, conversationId: String, activityId: String, serviceUrl: String }], default: undefined },
    meeting: { type: { _id: false, id: String, joinUrl: String, via: String, chatId: String, onlineMeetingId: String }, default: undefined },
    bridge: { type: Schema.Types.Mixed, default: undefined },
    tab: { type: { _id: false, id: String, webUrl: String, contentUrl: String }, default: undefined },
    meetingTab: { type: { _id: false, id: String, webUrl: String, contentUrl: String }, default: undefined },
    card: { type: { _id: false, conversationId: String, activityId: String, serviceUrl: String }, default: undefined },
    broadcast: { type: { _id: false, conversationId: String, activityId: String, serviceUrl: String }, default: undefined },
    summary: { type: Schema.Types.Mixed, default: undefined },
    topic: { type: Schema.Types.Mixed, default: undefined },
    lastUpdate: { type: Schema.Types.Mixed, default: undefined },
    dataLoss: Boolean,
    escalations: Number,
    paging: { type: Schema.Types.Mixed, default: undefined },
    monitorResolved: { type: Schema.Types.Mixed, default: undefined },
    checklist: { type: Schema.Types.Mixed, default: undefined },
    followers: { type: [person], default: undefined },
    publicStatus: { type: Schema.Types.Mixed, default: undefined },
    review: { type: Schema.Types.Mixed, default: undefined },
    postmortem: { type: Schema.Types.Mixed, default: undefined },
    recentActions: { type: [String], default: undefined },
    outbox: { type: [Schema.Types.Mixed], default: undefined },
    deliveryProblem: { type: Schema.Types.Mixed, default: undefined },
    effects: { type: [Schema.Types.Mixed], default: undefined },
    effectState: { type: Schema.Types.Mixed, default: undefined },
    effectsLease: { type: { _id: false, owner: String, until: Date }, default: undefined },
    /** The timeline's counts, kept as events are recorded (eventCounts.ts); never part of the domain's Incident. */
    eventCounts: { type: Schema.Types.Mixed, default: undefined },
    provisioning: {
      complete: { type: Boolean, default: false },
      steps: { channel: step, meeting: step, tab: step, meetingTab: step, card: step, broadcast: step, reporter: step, cardLinks: step },
      lease: { type: { _id: false, owner: String, until: Date }, default: undefined },
      claims: Number,
    },
    createdAt: Date,
    updatedAt: Date,
    version: { type: Number, default: 1 },
  },
  { collection: 'incidents', versionKey: false, minimize: true },
);
// Real MongoDB enforces this one; the embedded server does not, which is why numbers come
// from an atomic counter rather than from this index.
incidentSchema.index({ tenantId: 1, number: 1 }, { unique: true });
incidentSchema.index({ 'provisioning.complete': 1 });
incidentSchema.index({ tenantId: 1, 'channel.id': 1 });
incidentSchema.index({ tenantId: 1, 'meeting.chatId': 1 });
incidentSchema.index({ tenantId: 1, 'chat.id': 1 }, { sparse: true });
// The metrics pipelines start with "this tenant's incidents declared in the period".
incidentSchema.index({ tenantId: 1, 'milestones.declared': 1 });

export const timelineSchema = new Schema(
  {
    _id: Schema.Types.ObjectId,
    incidentId: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true },
    actor: { _id: false, kind: String, id: String, name: String },
    kind: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, default: {} },
    version: Number,
    /** When the store recorded it (its own clock): live refresh asks for what was recorded since. */
    recordedAt: Date,
  },
  { collection: 'timeline_events', versionKey: false, minimize: false },
);
// The tab pages through a timeline in (at, _id) order, optionally filtered by kind, and polls
// for what was recorded since its last look: one index for each of those three questions.
timelineSchema.index({ incidentId: 1, at: 1, _id: 1 });
timelineSchema.index({ incidentId: 1, kind: 1, at: 1, _id: 1 });
timelineSchema.index({ incidentId: 1, recordedAt: 1 });

/** The current post-mortem of an incident (one per incident: `_id` is the incident's id). */
export const postmortemSchema = new Schema(
  {
    _id: Schema.Types.ObjectId,
    tenantId: String,
    version: { type: Number, required: true },
    content: { type: Schema.Types.Mixed, required: true },
    savedAt: Date,
    savedBy: person,
    recentKeys: { type: [String], default: undefined },
  },
  { collection: 'postmortems', versionKey: false, minimize: false },
);

/** Every saved version, kept so nobody's words are lost and earlier drafts can be read. */
export const postmortemVersionSchema = new Schema(
  {
    _id: Schema.Types.ObjectId,
    incidentId: { type: Schema.Types.ObjectId, required: true },
    version: { type: Number, required: true },
    content: { type: Schema.Types.Mixed, required: true },
    savedAt: Date,
    savedBy: person,
  },
  { collection: 'postmortem_versions', versionKey: false, minimize: false },
);
postmortemVersionSchema.index({ incidentId: 1, version: -1 });

export const counterSchema = new Schema(
  { _id: Schema.Types.ObjectId, name: String, seq: { type: Number, default: 0 } },
  { collection: 'counters', versionKey: false },
);

export const conversationSchema = new Schema(
  { _id: Schema.Types.ObjectId, tenantId: String, conversationId: String, serviceUrl: String, seenAt: Date },
  { collection: 'conversations', versionKey: false },
);

export function registerModels(connection: Connection) {
  return {
    Incident: connection.model('Incident', incidentSchema),
    TimelineEvent: connection.model('TimelineEvent', timelineSchema),
    Counter: connection.model('Counter', counterSchema),
    Conversation: connection.model('Conversation', conversationSchema),
    Postmortem: connection.model('Postmortem', postmortemSchema),
    PostmortemVersion: connection.model('PostmortemVersion', postmortemVersionSchema),
  };
}
export type Models = ReturnType<typeof registerModels>;
