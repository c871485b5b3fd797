/**
 * The tab's sign-in, wired for both modes the same way: Teams SSO tokens checked by
 * ssoAuthenticator against the Entra authority of the settings, and membership of the incidents
 * team asked through the access policy (Graph, or the Graph stand-in that knows the local team).
 * In local mode the authority is the local Entra stand-in that issued the sandbox's tokens; like
 * the other stand-ins, its address is the one it listens on (tests let it pick a free port).
 */
import type { TabSsoSettings } from '../adapters/clouds.js';
import type { Access } from '../models/access/access.js';
import { ssoAuthenticator, type TabAuthenticator } from './auth.js';

export interface LocalAuthority {
  readonly url: string;
  jwksUrl(tenantId: string): string;
}

export function tabAuthenticator(settings: TabSsoSettings, access: Pick<Access, 'isMember'>, localEntra?: LocalAuthority): TabAuthenticator {
  const authority = localEntra ? { authorityHost: localEntra.url, jwksUrl: localEntra.jwksUrl(settings.tenantId) } : {};
  // The access policy keeps membership answers (and forgets one when Teams says a person left), so the authenticator does not.
  return ssoAuthenticator({ ...settings, ...authority, membershipCacheMs: 0, isMember: (userId) => access.isMember(userId) });
}
