/**
 * The sandbox page's TeamsHost (browser side): the tenant and team from /sandbox/api/host, and
 * each person's SSO token from /sandbox/api/sso-token, kept until shortly before it expires (as
 * Teams keeps the tokens it hands to tabs).
 */
import { TeamsHost, type HostedPerson, type HostInfo, type HostTheme, type TabPlace } from './teamsHost.js';

export interface SandboxHostDeps {
  readonly frame: () => HTMLIFrameElement | null;
  readonly person: () => HostedPerson | undefined;
  readonly theme: () => HostTheme;
  readonly place: () => TabPlace | undefined;
}

export interface SandboxHostInfo extends HostInfo {
  readonly personalTabs: { id: string; name: string; url: string; entityId: string }[];
}

/** A token is reused until this long before it expires. */
const EARLY_MS = 5 * 60_000;

export function hostInfo(): Promise<SandboxHostInfo> {
  return fetch('/sandbox/api/host').then(async (response) => {
    if (!response.ok) throw new Error(`the sandbox answered HTTP ${response.status}`);
    return (await response.json()) as SandboxHostInfo;
  });
}

export function sandboxTeamsHost(deps: SandboxHostDeps, info: Promise<HostInfo> = hostInfo()): TeamsHost {
  // One request per person however many calls ask at once (the tab asks once per API call); a failure is not kept.
  const tokens = new Map<string, { token: Promise<string>; until: number }>();
  const fetchToken = async (person: HostedPerson): Promise<string> => {
    const response = await fetch('/sandbox/api/sso-token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ as: person.id }) });
    const body = (await response.json().catch(() => ({}))) as { token?: string; expiresIn?: number; error?: string };
    if (!response.ok || !body.token) throw new Error(body.error ?? `The sandbox could not get a sign-in token (HTTP ${response.status}).`);
    tokens.set(person.id, { token: Promise.resolve(body.token), until: Date.now() + (body.expiresIn ?? 3599) * 1000 - EARLY_MS });
    return body.token;
  };
  const token = (person: HostedPerson): Promise<string> => {
    const kept = tokens.get(person.id);
    if (kept && kept.until > Date.now()) return kept.token;
    const asked = fetchToken(person);
    tokens.set(person.id, { token: asked, until: Infinity });
    asked.catch(() => tokens.get(person.id)?.token === asked && tokens.delete(person.id));
    return asked;
  };
  // Teams holds the signed-in person's token before a tab asks for it: fetched while the tab loads.
  const signedIn = deps.person();
  if (signedIn) token(signedIn).catch(() => undefined);
  return new TeamsHost({ ...deps, info: () => info, token, openLink: (url) => window.open(url, '_blank', 'noopener') });
}
