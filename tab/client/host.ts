/**
 * Where the tab runs: inside its Teams host (Teams, or in local mode the sandbox page, which hosts
 * the tab the same way). teams-js gives the context, the theme (and its changes), an SSO token
 * for every API call, and opens links through the host. Outside any host there is nobody to sign
 * the person in: the page says where to open it.
 *
 * teams-js is bundled with the page's script (only the parts used here), rather than loaded
 * whole before it: a quarter of the code to fetch and run before the tab can ask for anything.
 */
import { app, authentication } from '@microsoft/teams-js';

export type ThemeName = 'default' | 'dark' | 'contrast';

export interface Host {
  readonly theme: ThemeName;
  /** Where Teams shows the tab: 'sidePanel' is the narrow panel beside a meeting. */
  readonly frame: string;
  /** What a deep link to the tab named inside it (the context's `page.subPageId`), if anything. */
  readonly subPageId?: string;
  /** Headers for an API call: the Teams SSO token. */
  authHeaders(): Promise<Record<string, string>>;
  openLink(url: string): void;
  onThemeChange(handler: (theme: ThemeName) => void): void;
}

const TEAMS_INIT_TIMEOUT_MS = 5_000;

function asTheme(value: string | null | undefined): ThemeName {
  return value === 'dark' || value === 'contrast' ? value : 'default';
}

/** Connects to the host: resolves once teams-js has initialised, rejects outside any host. */
function connect(): Promise<void> {
  return Promise.race([
    app.initialize(),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not inside Teams')), TEAMS_INIT_TIMEOUT_MS)),
  ]);
}

const authHeaders = async () => ({ Authorization: `Bearer ${await authentication.getAuthToken()}` });

/**
 * Connected to the host: sign-in works from here on (the tab can ask for its data), while the
 * context, one more round trip to the host, is still on its way.
 */
export interface Connection {
  readonly authHeaders: Host['authHeaders'];
  readonly host: Promise<Host>;
}

/** Connects to the host, or `undefined` outside one (the page then says where to open the tab). */
export async function connectHost(): Promise<Connection | undefined> {
  try {
    await connect();
  } catch {
    return undefined;
  }
  const host = app.getContext().then(
    (context): Host => ({
      theme: asTheme(context.app.theme),
      frame: context.page.frameContext ?? 'content',
      subPageId: context.page.subPageId || undefined,
      authHeaders,
      openLink: (url) => void app.openLink(url).catch(() => window.open(url, '_blank', 'noopener')),
      onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(asTheme(theme))),
    }),
  );
  return { authHeaders, host };
}

/** The tab's host, or `undefined` outside one (the page then says where to open the tab). */
export async function detectHost(): Promise<Host | undefined> {
  return (await connectHost())?.host.catch(() => undefined);
}
