/**
 * The tab's Teams SSO token for one person, as the Teams web client gets it: from (local) Entra,
 * for the app's Application ID URI and its access_as_user scope, the person named by login hint.
 * The sandbox's host answers `authentication.getAuthToken` with it; tests sign in the same way.
 */
import { TEAMS_WEB_CLIENT_ID } from '../../tab/auth.js';

export interface TabApp {
  readonly appId: string;
  /** The manifest's webApplicationInfo.resource: what Teams asks a token for. */
  readonly resource?: string;
}

export type SsoAnswer = { readonly token: string; readonly expiresIn: number } | { readonly status: number; readonly error: string };

export async function teamsSsoToken(entraUrl: string, tenantId: string, app: TabApp, loginHint: string): Promise<SsoAnswer> {
  const response = await fetch(`${entraUrl}/_fake/${encodeURIComponent(tenantId)}/sso-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_id: TEAMS_WEB_CLIENT_ID, scope: `${app.resource ?? app.appId}/access_as_user`, login_hint: loginHint }),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error_description?: string };
  if (!response.ok || !body.access_token) return { status: response.status, error: body.error_description ?? `Entra answered HTTP ${response.status}` };
  return { token: body.access_token, expiresIn: body.expires_in ?? 3599 };
}
