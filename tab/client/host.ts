/**
 * Where the tab runs. Inside Teams: teams-js gives the context, the theme (and its changes), an
 * SSO token for every API call, and opens links as Teams deep links. In a plain browser (local
 * mode, the sandbox): no token is needed, the theme follows the page or the OS, links open
 * normally.
 */
import type * as TeamsJs from '@microsoft/teams-js';

declare global {
  interface Window {
    /** @microsoft/teams-js, loaded by the page (UMD) only in real mode: local mode never pays for it. */
    microsoftTeams?: typeof TeamsJs;
  }
}

export type ThemeName = 'default' | 'dark' | 'contrast';

export interface Host {
  readonly inTeams: boolean;
  readonly theme: ThemeName;
  /** Where Teams shows the tab: 'sidePanel' is the narrow panel beside a meeting. */
  readonly frame: string;
  /** Headers for an API call: the Teams SSO token when inside Teams. */
  authHeaders(): Promise<Record<string, string>>;
  openLink(url: string): void;
  onThemeChange(handler: (theme: ThemeName) => void): void;
}

const TEAMS_INIT_TIMEOUT_MS = 5_000;

function asTheme(value: string | null | undefined): ThemeName {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

function browserHost(): Host {
  const wanted = new URLSearchParams(location.search).get('theme');
  const media = matchMedia('(prefers-color-scheme: dark)');
  const contrast = matchMedia('(forced-colors: active)');
  const current = (): ThemeName => (wanted ? asTheme(wanted) : contrast.matches ? 'contrast' : media.matches ? 'dark' : 'default');
  return {
    inTeams: false,
    theme: current(),
    frame: new URLSearchParams(location.search).get('frame') ?? 'content',
    authHeaders: async () => ({}),
    openLink: (url) => window.open(url, '_blank', 'noopener'),
    onThemeChange: (handler) => {
      if (wanted) return;
      media.addEventListener('change', () => handler(current()));
      contrast.addEventListener('change', () => handler(current()));
    },
  };
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
    inTeams: true,
    theme: asTheme(context.app.theme),
    frame: context.page.frameContext ?? 'content',
    authHeaders: async () => ({ Authorization: `Bearer ${await authentication.getAuthToken()}` }),
    openLink: (url) => void app.openLink(url).catch(() => window.open(url, '_blank', 'noopener')),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(asTheme(theme))),
  };
}

/**
 * Local mode never tries Teams (the sandbox frames the tab like Teams would, without the SDK
 * host). Real mode needs Teams for sign-in: outside it, `undefined` tells the page to say so.
 */
export async function detectHost(mode: 'local' | 'real'): Promise<Host | undefined> {
  if (mode === 'local') return browserHost();
  try {
    return await teamsHost();
  } catch {
    return undefined;
  }
}
