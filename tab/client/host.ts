/**
 * Where the tab runs: inside its Teams host (Teams, or in local mode the sandbox page, which hosts
 * the tab the same way). teams-js gives the context, the theme (and its changes), an SSO token
 * for every API call, and opens links through the host. Outside any host there is nobody to sign
 * the person in: the page says where to open it.
 */
import type * as TeamsJs from '@microsoft/teams-js';

declare global {
  interface Window {
    /** @microsoft/teams-js, loaded by the page (UMD) before the tab's script. */
    microsoftTeams?: typeof TeamsJs;
  }
}

export type ThemeName = 'default' | 'dark' | 'contrast';

export interface Host {
  readonly theme: ThemeName;
  /** Where Teams shows the tab: 'sidePanel' is the narrow panel beside a meeting. */
  readonly frame: string;
  /** Headers for an API call: the Teams SSO token. */
  authHeaders(): Promise<Record<string, string>>;
  openLink(url: string): void;
  onThemeChange(handler: (theme: ThemeName) => void): void;
}

const TEAMS_INIT_TIMEOUT_MS = 5_000;

function asTheme(value: string | null | undefined): ThemeName {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

async function teamsHost(): Promise<Host> {
  const teams = window.microsoftTeams;
  if (!teams) throw new Error('teams-js did not load');
  const { app, authentication } = teams;
  await Promise.race([
    app.initialize(),
    new Promise((_, reject) => setTimeout(() => reject(new Error('not inside Teams')), TEAMS_INIT_TIMEOUT_MS)),
  ]);
  const context = await app.getContext();
  return {
    theme: asTheme(context.app.theme),
    frame: context.page.frameContext ?? 'content',
    authHeaders: async () => ({ Authorization: `Bearer ${await authentication.getAuthToken()}` }),
    openLink: (url) => void app.openLink(url).catch(() => window.open(url, '_blank', 'noopener')),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(asTheme(theme))),
  };
}

/** The tab's host, or `undefined` outside one (the page then says where to open the tab). */
export async function detectHost(): Promise<Host | undefined> {
  try {
    return await teamsHost();
  } catch {
    return undefined;
  }
}

