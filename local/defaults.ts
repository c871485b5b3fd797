/**
 * What local mode is when nothing is set: the stand-in tenant, team, people and credentials.
 * config.ts falls back to these in local mode only; real mode never reads them.
 */
export const LOCAL = {
  /** Incidents declared in local mode belong to this tenant. */
  tenantId: 'local-tenant',
  teamId: 'local-incidents-team',
  appCatalogId: 'local-incident-room-app',
  meetingOrganizerId: 'local-meeting-organizer',
  /** The local incidents team's company-wide broadcast channel. */
  broadcastChannelId: '19:production-issues@thread.tacv2',
  /** The manifest's app id in local mode; real deployments set TEAMS_APP_ID to their own GUID. */
  teamsAppId: '5f0d7a8e-3c1b-4e2a-9d6f-1a2b3c4d5e6f',
  /** The alert webhook secret of every source, shown in the banner and the README. */
  alertSecret: 'local-alert-secret',
  pagerDuty: { routingKey: 'localroutingkey00000000000000000', webhookSecret: 'local-pagerduty-webhook-secret' },
  statuspage: { pageId: 'localpage01', apiKey: 'local-statuspage-key' },
  github: { repo: 'contoso/incident-actions', token: 'local-github-token', webhookSecret: 'local-github-webhook-secret' },
  azureDevOps: { organization: 'contoso', project: 'Operations', pat: 'local-azure-devops-pat', hookUsername: 'incident-room', hookPassword: 'local-azure-devops-hook-password' },
  planner: { planId: 'local-incident-actions-plan', bucketId: 'local-action-items-bucket' },
  jira: { projectKey: 'OPS', email: 'incident-room@contoso.example', apiToken: 'local-jira-api-token', webhookSecret: 'local-jira-webhook-secret', issueType: 'Task' },
  /** The people in the local incidents team (the sandbox lets you act as any of them). */
  people: 'Alex Wilber, Megan Bowen, Lee Gu, Adele Vance, Nestor Wilke',
  /**
   * Local mode's admin (and so incident admin and rota manager): the first of LOCAL_PEOPLE, whose
   * Entra id is the first the local directory hands out, so the walkthrough can show every action
   * and, acting as anyone else, the access policy's refusals.
   */
  adminAadObjectId: '00000000-0000-0000-0000-000000000001',
  /**
   * The app registration's id in local mode (the bot's and the tab's, as MICROSOFT_APP_ID is in
   * real mode): local Teams' bot app id and the audience of the tab's SSO tokens.
   */
  appId: '00000000-0000-0000-0000-000000000001',
  /** Its Application ID URI (the manifest's webApplicationInfo.resource): what the sandbox asks the tab's tokens for. */
  appIdUri: 'api://localhost/00000000-0000-0000-0000-000000000001',
  graphPort: 3979,
  connectorPort: 3980,
  /** The local Entra ID stand-in: the tab's SSO tokens are issued and their keys published here. */
  entraPort: 3981,
} as const;

/** The bot as local Teams addresses it (its `28:` id and display name). */
export const LOCAL_BOT = { id: '28:incident-room', name: 'incident-room' } as const;
