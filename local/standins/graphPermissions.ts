/**
 * What Microsoft Graph accepts for each endpoint the stand-in serves: the application and
 * resource-specific permissions each operation's Microsoft Learn page lists (least privileged
 * first, then the higher ones), transcribed from those pages (docs/microsoft-rules.md §1), not
 * from incident-room's own table, so a permission the app asks for that Graph would not accept
 * fails a test.
 */
export interface PermissionRule {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  readonly path: RegExp;
  readonly page: string;
  /** Alternatives, any of which allows the call; a list inside is permissions needed together. */
  readonly accepts: readonly (string | readonly string[])[];
}

const rule = (method: PermissionRule['method'], path: RegExp, page: string, accepts: PermissionRule['accepts']): PermissionRule => ({ method, path, page, accepts });
const CHANNEL = '/v1\\.0/teams/[^/]+/channels/[^/]+';

export const GRAPH_PERMISSION_RULES: readonly PermissionRule[] = [
  rule('POST', /^\/v1\.0\/teams\/[^/]+\/channels$/, 'Create channel', ['Channel.Create.Group', 'Channel.Create', 'Directory.ReadWrite.All', 'Group.ReadWrite.All', 'Teamwork.Migrate.All']),
  rule('GET', /^\/v1\.0\/teams\/[^/]+\/channels$/, 'List channels', [
    'ChannelSettings.Read.Group', 'ChannelSettings.ReadWrite.Group', 'Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All',
  ]),
  rule('GET', new RegExp(`^${CHANNEL}$`), 'Get channel', [
    'ChannelSettings.Read.Group', 'ChannelSettings.ReadWrite.Group', 'Channel.ReadBasic.All', 'ChannelSettings.Read.All', 'ChannelSettings.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All',
  ]),
  // "user: checkMemberGroups", group memberships for other users (application).
  rule('POST', /^\/v1\.0\/users\/[^/]+\/checkMemberGroups$/, 'user: checkMemberGroups', [['User.Read.All', 'GroupMember.Read.All'], ['User.Read.All', 'Group.Read.All'], 'Directory.Read.All']),
  rule('GET', /^\/v1\.0\/teams\/[^/]+\/permissionGrants$/, 'List permissionGrants of a team', [
    'TeamsAppInstallation.Read.Group', 'TeamsAppInstallation.ReadForTeam.All', 'TeamsAppInstallation.ReadWriteSelfForTeam.All', 'TeamsAppInstallation.ReadWriteForTeam.All', 'TeamsApp.Read.Group',
  ]),
  rule('PATCH', new RegExp(`^${CHANNEL}$`), 'Update channel', ['ChannelSettings.ReadWrite.Group', 'ChannelSettings.ReadWrite.All', 'Directory.ReadWrite.All', 'Group.ReadWrite.All']),
  rule('DELETE', new RegExp(`^${CHANNEL}$`), 'Delete channel', ['Channel.Delete.Group', 'Channel.Delete.All', 'Directory.ReadWrite.All', 'Group.ReadWrite.All']),
  rule('POST', new RegExp(`^${CHANNEL}/archive$`), 'channel: archive', ['ChannelSettings.ReadWrite.All']),
  rule('POST', new RegExp(`^${CHANNEL}/tabs$`), 'Add tab to channel', ['TeamsTab.Create.Group', 'TeamsTab.Create', 'Directory.ReadWrite.All', 'Group.ReadWrite.All', 'TeamsTab.ReadWrite.All', 'TeamsTab.ReadWriteForTeam.All', 'TeamsTab.ReadWriteSelfForTeam.All']),
  rule('GET', new RegExp(`^${CHANNEL}/tabs$`), 'List tabs in channel', [
    'TeamsTab.Read.Group', 'TeamsTab.ReadWrite.Group', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'TeamsTab.Read.All', 'TeamsTab.ReadWrite.All', 'TeamsTab.ReadWriteForTeam.All', 'TeamsTab.ReadWriteSelfForTeam.All',
  ]),
  rule('GET', new RegExp(`^${CHANNEL}/messages$`), 'List channel messages', ['ChannelMessage.Read.Group', 'ChannelMessage.Read.All', 'Group.Read.All', 'Group.ReadWrite.All']),
  rule('GET', new RegExp(`^${CHANNEL}/messages/[^/]+/replies$`), 'List replies', ['ChannelMessage.Read.Group', 'ChannelMessage.Read.All', 'Group.Read.All', 'Group.ReadWrite.All']),
  rule('GET', /^\/v1\.0\/teams\/[^/]+\/members$/, 'List members of team', ['TeamMember.Read.Group', 'TeamMember.ReadWrite.All', 'TeamMember.Read.All']),
  rule('POST', /^\/v1\.0\/teams\/[^/]+\/sendActivityNotification$/, 'team: sendActivityNotification', ['TeamsActivity.Send.Group', 'TeamsActivity.Send']),
  rule('POST', /^\/v1\.0\/users\/[^/]+\/onlineMeetings\/createOrGet$/, 'onlineMeeting: createOrGet', ['OnlineMeetings.ReadWrite.All']),
  rule('GET', /^\/v1\.0\/users\/[^/]+\/onlineMeetings$/, 'Get onlineMeeting', ['OnlineMeetings.Read.All', 'OnlineMeetings.ReadWrite.All']),
  rule('PATCH', /^\/v1\.0\/users\/[^/]+\/onlineMeetings\/[^/]+$/, 'Update onlineMeeting', ['OnlineMeetings.ReadWrite.All']),
  // "List transcripts", "Get callTranscript" (metadata and /content), "List recordings", "Get callRecording": application permission, or the meeting chat's RSC grant.
  rule('GET', /^\/v1\.0\/users\/[^/]+\/onlineMeetings\/[^/]+\/transcripts$/, 'List transcripts', ['OnlineMeetingTranscript.Read.All', 'OnlineMeetingTranscript.Read.Chat']),
  rule('GET', /^\/v1\.0\/users\/[^/]+\/onlineMeetings\/[^/]+\/transcripts\/[^/]+(?:\/content)?$/, 'Get callTranscript', ['OnlineMeetingTranscript.Read.All', 'OnlineMeetingTranscript.Read.Chat']),
  rule('GET', /^\/v1\.0\/users\/[^/]+\/onlineMeetings\/[^/]+\/recordings$/, 'List recordings', ['OnlineMeetingRecording.Read.All', 'OnlineMeetingRecording.Read.Chat']),
  rule('GET', /^\/v1\.0\/users\/[^/]+\/onlineMeetings\/[^/]+\/recordings\/[^/]+(?:\/content)?$/, 'Get callRecording', ['OnlineMeetingRecording.Read.All', 'OnlineMeetingRecording.Read.Chat']),
  rule('POST', /^\/v1\.0\/users\/[^/]+\/events$/, 'Create event', ['Calendars.ReadWrite']),
  rule('PATCH', /^\/v1\.0\/users\/[^/]+\/events\/[^/]+$/, 'Update event', ['Calendars.ReadWrite']),
  rule('POST', /^\/v1\.0\/users\/[^/]+\/calendar\/getSchedule$/, 'calendar: getSchedule', ['Calendars.Read', 'Calendars.ReadWrite']),
  rule('POST', /^\/v1\.0\/chats$/, 'Create chat', ['Chat.Create']),
  rule('GET', /^\/v1\.0\/chats\/[^/]+\/members$/, 'List members of a chat', ['ChatMember.Read.All', 'Chat.Manage.Chat', 'Chat.Read.All', 'Chat.ReadBasic.All', 'Chat.ReadWrite.All', 'ChatMember.Read.Chat', 'ChatMember.ReadWrite.All']),
  rule('POST', /^\/v1\.0\/chats\/[^/]+\/members$/, 'Add member to a chat', ['Chat.Manage.Chat', 'Chat.ReadWrite.All', 'ChatMember.ReadWrite.All']),
  rule('DELETE', /^\/v1\.0\/chats\/[^/]+\/members\/[^/]+$/, 'Remove member from chat', ['ChatMember.ReadWrite.All', 'Chat.Manage.Chat']),
  rule('POST', /^\/v1\.0\/chats\/[^/]+\/installedApps$/, 'Add app to chat', [
    'TeamsAppInstallation.ReadWriteSelfForChat.All', 'Chat.Manage.Chat', 'TeamsAppInstallation.ManageSelectedForChat.All', 'TeamsAppInstallation.ReadWriteAndConsentForChat.All', 'TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All', 'TeamsAppInstallation.ReadWriteForChat.All',
  ]),
  rule('POST', /^\/v1\.0\/chats\/[^/]+\/tabs$/, 'Add tab to chat', ['TeamsTab.Create', 'TeamsTab.ReadWriteSelfForChat.All', 'TeamsTab.ReadWriteForChat.All', 'TeamsTab.ReadWrite.All']),
  rule('GET', /^\/v1\.0\/chats\/[^/]+\/tabs$/, 'List tabs in chat', ['TeamsTab.Read.All', 'TeamsTab.ReadWrite.All', 'TeamsTab.ReadWriteForChat.All', 'TeamsTab.ReadWriteSelfForChat.All']),
  rule('GET', new RegExp(`^${CHANNEL}/filesFolder$`), 'Get filesFolder', ['Files.Read.All', 'File.Read.Group', 'Files.ReadWrite.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Sites.Read.All', 'Sites.ReadWrite.All']),
  rule('PUT', /^\/v1\.0\/drives\/[^/]+\/items\/[^/]+:\/[^/]+:\/content$/, 'Upload or replace the contents of a driveItem', ['Files.ReadWrite.All', 'Sites.ReadWrite.All']),
  // Planner (Create/Get/Update plannerTask, Get/Update plannerTaskDetails, List tasks): application Tasks.Read.All for reads, Tasks.ReadWrite.All for both.
  rule('POST', /^\/v1\.0\/planner\/tasks$/, 'Create plannerTask', ['Tasks.ReadWrite.All']),
  rule('GET', /^\/v1\.0\/planner\/tasks\/[^/]+$/, 'Get plannerTask', ['Tasks.Read.All', 'Tasks.ReadWrite.All']),
  rule('PATCH', /^\/v1\.0\/planner\/tasks\/[^/]+$/, 'Update plannerTask', ['Tasks.ReadWrite.All']),
  rule('GET', /^\/v1\.0\/planner\/tasks\/[^/]+\/details$/, 'Get plannerTaskDetails', ['Tasks.Read.All', 'Tasks.ReadWrite.All']),
  rule('PATCH', /^\/v1\.0\/planner\/tasks\/[^/]+\/details$/, 'Update plannerTaskDetails', ['Tasks.ReadWrite.All']),
  rule('GET', /^\/v1\.0\/planner\/plans\/[^/]+\/tasks$/, 'List tasks', ['Tasks.Read.All', 'Tasks.ReadWrite.All']),
];

/**
 * "Add app to chat": the …SelfForChat / …ForChat installation permissions cannot install apps
 * that require consent to resource-specific permissions; those need the …AndConsent… ones.
 */
export const CONSENTING_CHAT_INSTALL = ['TeamsAppInstallation.ReadWriteAndConsentSelfForChat.All', 'TeamsAppInstallation.ReadWriteAndConsentForChat.All'] as const;

/** Whether these grants satisfy one of the rule's alternatives. */
export function allows(rule: PermissionRule, granted: ReadonlySet<string>): boolean {
  return rule.accepts.some((alternative) => (typeof alternative === 'string' ? granted.has(alternative) : alternative.every((p) => granted.has(p))));
}

export function ruleFor(method: string, path: string): PermissionRule | undefined {
  return GRAPH_PERMISSION_RULES.find((r) => r.method === method && r.path.test(path));
}
