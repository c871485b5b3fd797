/**
 * Every Microsoft Graph operation incident-room performs, the permission it asks the admin for
 * (the resource-specific one where the operation's Microsoft Learn page lists one: the manifest
 * declares it, so installing the app in the incidents team grants it; otherwise an application
 * permission with admin consent), and the feature that needs it. The manifest's RSC list, the
 * README's permission table, the 403 hints and the admin's checks all come from here. The pages
 * are quoted in docs/microsoft-rules.md §1.
 */

export const FEATURES = {
  channels: 'create incident channels (and find one made before a crash)',
  topic: 'topic line in the channel description',
  archive: 'archive the channel after the post-mortem (ARCHIVE_ON_PUBLISH)',
  filing: 'file the published post-mortem as a Word document in the channel’s files (FILE_POSTMORTEMS)',
  review: 'schedule the post-mortem review in the organizer’s Outlook calendar (free/busy, the event, moving it)',
  meeting: 'create the incident meeting: a calendar event with a Teams meeting on the organizer (transcripts need one)',
  meetingLookup: 'find the bridge’s online meeting by its join link (its chat, transcripts, a private incident’s lobby), with an application access policy for the organizer',
  bridgeRecords: 'after the bridge ends, fetch its transcript and link its recording (with the same application access policy)',
  tab: 'add the incident tab to the channel (and find it on a retry)',
  meetingTab: 'the incident tab in the meeting chat / side panel',
  privateChat: 'private incidents: the group chat with their members (created, members added and removed, app and tab in it)',
  membership: 'membership of the incidents team (tab sign-in, commands outside the incident channel)',
  activityFeed: 'activity-feed notifications (roles, pages, escalations)',
  recovery: 'after a crash or a lost answer, find the card, broadcast or update an interrupted attempt posted (no duplicates)',
  accessGroups: 'Entra groups named in the access policy (admins, incident admins, rota managers in TENANT_CONFIG_FILE)',
  doctor: '`npm run doctor`: see that the app is installed with its RSC grants, and that the broadcast channel exists',
  planner: 'post-mortem action items as Planner tasks (TRACKER=planner)',
} as const;
export type Feature = keyof typeof FEATURES;

export interface GraphOperation {
  readonly request: string;
  /** The Microsoft Learn page that documents it. */
  readonly page: string;
  readonly feature: Feature;
  /** The resource-specific permission we rely on, when the page lists one. */
  readonly rsc?: string;
  /** The application permission an admin grants instead (or, without an RSC permission, must grant); a list when the page asks for all of them together. */
  readonly application: string | readonly string[];
  /** What else the page requires. */
  readonly also?: string;
}

const operation = (op: GraphOperation) => op;
/** What "List transcripts", "Get callTranscript" and "List recordings" also require. */
const BRIDGE_RECORDS_ALSO = 'the application access policy for the organizer; only meetings a calendar event holds, until they expire';

// Listing channels also accepts ChannelSettings.ReadWrite.Group, which the topic line needs anyway: one RSC permission fewer to consent to.
export const GRAPH_OPERATIONS = {
  createChannel: operation({ request: 'POST /teams/{team-id}/channels', page: 'Create channel', feature: 'channels', rsc: 'Channel.Create.Group', application: 'Channel.Create' }),
  listChannels: operation({ request: 'GET /teams/{team-id}/channels', page: 'List channels', feature: 'channels', rsc: 'ChannelSettings.ReadWrite.Group', application: 'Channel.ReadBasic.All' }),
  updateChannel: operation({ request: 'PATCH /teams/{team-id}/channels/{channel-id}', page: 'Update channel', feature: 'topic', rsc: 'ChannelSettings.ReadWrite.Group', application: 'ChannelSettings.ReadWrite.All' }),
  archiveChannel: operation({ request: 'POST /teams/{team-id}/channels/{channel-id}/archive', page: 'channel: archive', feature: 'archive', application: 'ChannelSettings.ReadWrite.All' }),
  // Files.Read.All would do for the folder, but the upload needs Files.ReadWrite.All anyway: one consent for both.
  channelFilesFolder: operation({ request: 'GET /teams/{team-id}/channels/{channel-id}/filesFolder', page: 'Get filesFolder', feature: 'filing', application: 'Files.ReadWrite.All' }),
  uploadFile: operation({ request: 'PUT /drives/{drive-id}/items/{parent-id}:/{filename}:/content', page: 'Upload or replace the contents of a driveItem', feature: 'filing', application: 'Files.ReadWrite.All' }),
  // getSchedule also takes Calendars.Read; the event needs Calendars.ReadWrite anyway (as the meeting fallback does).
  getSchedule: operation({ request: 'POST /users/{organizer}/calendar/getSchedule', page: 'calendar: getSchedule', feature: 'review', application: 'Calendars.ReadWrite' }),
  createReview: operation({ request: 'POST /users/{organizer}/events', page: 'Create event', feature: 'review', application: 'Calendars.ReadWrite' }),
  moveReview: operation({ request: 'PATCH /users/{organizer}/events/{event-id}', page: 'Update event', feature: 'review', application: 'Calendars.ReadWrite' }),
  // `npm run doctor` proves the access policy with createOrGet on a fixed id; the bridge itself is a calendar event (createEvent).
  createMeeting: operation({
    request: 'POST /users/{organizer}/onlineMeetings/createOrGet',
    page: 'onlineMeeting: createOrGet',
    feature: 'meetingLookup',
    application: 'OnlineMeetings.ReadWrite.All',
    also: 'an application access policy granted to the organizer (MEETING_ORGANIZER_ID)',
  }),
  restrictMeeting: operation({
    request: 'PATCH /users/{organizer}/onlineMeetings/{meeting-id}',
    page: 'Update onlineMeeting',
    feature: 'meetingLookup',
    application: 'OnlineMeetings.ReadWrite.All',
    also: 'the same application access policy',
  }),
  createEvent: operation({ request: 'POST /users/{organizer}/events', page: 'Create event', feature: 'meeting', application: 'Calendars.ReadWrite' }),
  findMeeting: operation({
    request: "GET /users/{organizer}/onlineMeetings?$filter=JoinWebUrl eq '…'",
    page: 'Get onlineMeeting',
    feature: 'meetingLookup',
    application: 'OnlineMeetings.ReadWrite.All',
    also: 'the same application access policy',
  }),
  addChannelTab: operation({ request: 'POST /teams/{team-id}/channels/{channel-id}/tabs', page: 'Add tab to channel', feature: 'tab', rsc: 'TeamsTab.Create.Group', application: 'TeamsTab.Create' }),
  listChannelTabs: operation({ request: 'GET /teams/{team-id}/channels/{channel-id}/tabs', page: 'List tabs in channel', feature: 'tab', rsc: 'TeamsTab.Read.Group', application: 'TeamsTab.Read.All' }),
  installInChat: operation({
    request: 'POST /chats/{chat-id}/installedApps',
    page: 'Add app to chat',
    feature: 'meetingTab',
    application: 'TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All',
    also: 'consent to the app’s chat RSC permissions in the request (the app declares some, so the …SelfForChat permission without consent is refused)',
  }),
  addChatTab: operation({ request: 'POST /chats/{chat-id}/tabs', page: 'Add tab to chat', feature: 'meetingTab', application: 'TeamsTab.Create' }),
  listChatTabs: operation({ request: 'GET /chats/{chat-id}/tabs', page: 'List tabs in chat', feature: 'meetingTab', application: 'TeamsTab.Read.All' }),
  createChat: operation({ request: 'POST /chats', page: 'Create chat', feature: 'privateChat', application: 'Chat.Create' }),
  addChatMember: operation({ request: 'POST /chats/{chat-id}/members', page: 'Add member to a chat', feature: 'privateChat', application: 'ChatMember.ReadWrite.All' }),
  listChatMembers: operation({ request: 'GET /chats/{chat-id}/members', page: 'List members of a chat', feature: 'privateChat', application: 'ChatMember.ReadWrite.All' }),
  removeChatMember: operation({ request: 'DELETE /chats/{chat-id}/members/{membership-id}', page: 'Remove member from chat', feature: 'privateChat', application: 'ChatMember.ReadWrite.All' }),
  // Transcripts and recordings also take RSC (…Read.Chat), but only for chat meetings the app is in with consent to them; one application permission covers every bridge.
  listTranscripts: operation({
    request: 'GET /users/{organizer}/onlineMeetings/{meeting-id}/transcripts',
    page: 'List transcripts',
    feature: 'bridgeRecords',
    application: 'OnlineMeetingTranscript.Read.All',
    also: BRIDGE_RECORDS_ALSO,
  }),
  getTranscriptContent: operation({
    request: 'GET /users/{organizer}/onlineMeetings/{meeting-id}/transcripts/{transcript-id}/content',
    page: 'Get callTranscript',
    feature: 'bridgeRecords',
    application: 'OnlineMeetingTranscript.Read.All',
    also: BRIDGE_RECORDS_ALSO,
  }),
  listRecordings: operation({
    request: 'GET /users/{organizer}/onlineMeetings/{meeting-id}/recordings',
    page: 'List recordings',
    feature: 'bridgeRecords',
    application: 'OnlineMeetingRecording.Read.All',
    also: BRIDGE_RECORDS_ALSO,
  }),
  listMembers: operation({ request: 'GET /teams/{team-id}/members', page: 'List members of team', feature: 'membership', rsc: 'TeamMember.Read.Group', application: 'TeamMember.Read.All' }),
  sendActivityNotification: operation({ request: 'POST /teams/{team-id}/sendActivityNotification', page: 'team: sendActivityNotification', feature: 'activityFeed', rsc: 'TeamsActivity.Send.Group', application: 'TeamsActivity.Send' }),
  listChannelMessages: operation({
    request: 'GET /teams/{team-id}/channels/{channel-id}/messages',
    page: 'List channel messages',
    feature: 'recovery',
    rsc: 'ChannelMessage.Read.Group',
    application: 'ChannelMessage.Read.All',
    also: 'with the application permission, Microsoft’s approval for this protected API',
  }),
  listMessageReplies: operation({
    request: 'GET /teams/{team-id}/channels/{channel-id}/messages/{message-id}/replies',
    page: 'List replies',
    feature: 'recovery',
    rsc: 'ChannelMessage.Read.Group',
    application: 'ChannelMessage.Read.All',
    also: 'with the application permission, Microsoft’s approval for this protected API',
  }),
  // "Group memberships for other users" (application): User.Read.All and GroupMember.Read.All together; at most 20 groups per request.
  checkMemberGroups: operation({ request: 'POST /users/{id}/checkMemberGroups', page: 'user: checkMemberGroups', feature: 'accessGroups', application: ['User.Read.All', 'GroupMember.Read.All'] }),
  listPermissionGrants: operation({ request: 'GET /teams/{team-id}/permissionGrants', page: 'List permissionGrants of a team', feature: 'doctor', rsc: 'TeamsAppInstallation.Read.Group', application: 'TeamsAppInstallation.ReadForTeam.All' }),
  // Get channel also accepts ChannelSettings.ReadWrite.Group, which the topic line needs anyway.
  getChannel: operation({ request: 'GET /teams/{team-id}/channels/{channel-id}', page: 'Get channel', feature: 'doctor', rsc: 'ChannelSettings.ReadWrite.Group', application: 'Channel.ReadBasic.All' }),
  // Planner: the application permission (Tasks.ReadWrite.All) covers every call; the pages' delegated Tasks.ReadWrite is for signed-in users, not the app.
  createPlannerTask: operation({ request: 'POST /planner/tasks', page: 'Create plannerTask', feature: 'planner', application: 'Tasks.ReadWrite.All' }),
  getPlannerTask: operation({ request: 'GET /planner/tasks/{task-id}', page: 'Get plannerTask', feature: 'planner', application: 'Tasks.ReadWrite.All' }),
  updatePlannerTask: operation({ request: 'PATCH /planner/tasks/{task-id}', page: 'Update plannerTask', feature: 'planner', application: 'Tasks.ReadWrite.All' }),
  getPlannerTaskDetails: operation({ request: 'GET /planner/tasks/{task-id}/details', page: 'Get plannerTaskDetails', feature: 'planner', application: 'Tasks.ReadWrite.All' }),
  updatePlannerTaskDetails: operation({ request: 'PATCH /planner/tasks/{task-id}/details', page: 'Update plannerTaskDetails', feature: 'planner', application: 'Tasks.ReadWrite.All' }),
  listPlanTasks: operation({ request: 'GET /planner/plans/{plan-id}/tasks', page: 'List tasks', feature: 'planner', application: 'Tasks.ReadWrite.All' }),
} as const satisfies Readonly<Record<string, GraphOperation>>;
export type GraphOperationName = keyof typeof GRAPH_OPERATIONS;

/** The application permissions an operation needs, all of them. */
export function applicationPermissions(op: GraphOperation): readonly string[] {
  return typeof op.application === 'string' ? [op.application] : op.application;
}

/**
 * RSC permissions the bot needs for Teams events and messages (not Graph calls): participant
 * join/leave needs OnlineMeetingParticipant.Read.Chat; meeting start and end need
 * OnlineMeeting.ReadBasic.Chat ("Handle Microsoft Teams meeting events"). ChatMessage.Read.Chat
 * brings every message of the chats the app is in (a private incident's group chat; the meeting
 * chat) without an @mention (Microsoft Learn, "Receive all conversation messages"): a private
 * incident's conversation is kept only when its type says so (models/record/chatEntries.ts).
 */
export const BOT_RSC = ['ChannelMessage.Send.Group', 'OnlineMeetingParticipant.Read.Chat', 'OnlineMeeting.ReadBasic.Chat', 'ChatMessage.Read.Chat'] as const;

/** The chat RSC permissions the manifest declares: consented to when the app is added to a meeting chat. */
export const CHAT_RSC = BOT_RSC.filter((name) => name.endsWith('.Chat'));

/** Every RSC permission the manifest declares: the Graph ones we rely on, then the bot's. */
export function manifestRsc(): string[] {
  const graph = Object.values(GRAPH_OPERATIONS).flatMap((op: GraphOperation) => (op.rsc ? [op.rsc] : []));
  return [...new Set([...graph, ...BOT_RSC])];
}

/**
 * What the setup steps grant: installing the app in the team consents to every RSC permission the
 * manifest declares; the admin consents to the application permissions of operations without one.
 */
export function setupGrants(): string[] {
  const application = Object.values(GRAPH_OPERATIONS).flatMap((op: GraphOperation) => (op.rsc ? [] : applicationPermissions(op)));
  return [...new Set([...manifestRsc(), ...application])];
}

/** What the admin does about a 403 from this operation, in one sentence naming the permission. */
export function permissionHint(name: GraphOperationName): string {
  const op: GraphOperation = GRAPH_OPERATIONS[name];
  const application = applicationPermissions(op).join(' and ');
  const grant = op.rsc
    ? `Install the app in the incidents team so it gets the RSC permission ${op.rsc}, or grant the Graph application permission ${application}`
    : `Grant the Graph application permission${applicationPermissions(op).length > 1 ? 's' : ''} ${application} (admin consent)`;
  return `${grant}${op.also ? `, and ${op.also}` : ''}; it is needed to ${FEATURES[op.feature]} (${op.request}, "${op.page}").`;
}

/** The README's permission table, one row per feature, from the operations above. */
export function permissionTableMarkdown(): string {
  const rows = (Object.keys(FEATURES) as Feature[]).map((feature) => {
    const ops: GraphOperation[] = Object.values(GRAPH_OPERATIONS).filter((op: GraphOperation) => op.feature === feature);
    const application = [...new Set(ops.flatMap((op) => applicationPermissions(op).map((p) => `\`${p}\``)))].join(' + ');
    const rsc = ops.some((op) => op.rsc) ? [...new Set(ops.flatMap((op) => (op.rsc ? [`\`${op.rsc}\``] : [])))].join(' + ') : 'none exists';
    const also = [...new Set(ops.flatMap((op) => (op.also ? [op.also] : [])))];
    return `| ${FEATURES[feature]} | ${application}${also.length ? ` (${also.join('; ')})` : ''} | ${rsc} |`;
  });
  return ['| what | Graph application permission | or RSC (granted when the app is installed in the team) |', '|---|---|---|', ...rows].join('\n');
}
