import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Logger } from '../models/ports.js';

export interface AdapterSettings {
  /** Absent in local mode: Bot Framework authentication is then off (no tokens in or out). */
  readonly teams?: { readonly appId: string; readonly appPassword: string; readonly tenantId: string };
}

/** The botbuilder CloudAdapter, single-tenant in real mode. */
export function createAdapter(settings: AdapterSettings, log: Logger): CloudAdapter {
  const auth = settings.teams
    ? new ConfigurationBotFrameworkAuthentication({
        MicrosoftAppId: settings.teams.appId,
        MicrosoftAppPassword: settings.teams.appPassword,
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: settings.teams.tenantId,
      })
    : new ConfigurationBotFrameworkAuthentication({});
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error({ err: error, activityId: context.activity?.id, type: context.activity?.type }, 'unhandled error in a bot turn');
    if (context.activity?.type === 'message') {
      await context
        .sendActivity("Sorry, something went wrong on my side. Please try again; if it keeps failing, tell your incident-room admin (the error is in the app's log).")
        .catch(() => undefined);
    }
  };
  return adapter;
}
