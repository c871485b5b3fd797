import { decodeJwt } from 'jose';
import type { AccessTokenSource } from './graphClient.js';
import { applicationPermissions, GRAPH_OPERATIONS, permissionHint, type GraphOperationName } from './permissions.js';

/**
 * The application permissions the tenant consented to, from the `roles` claim of the app's own
 * token (Microsoft identity platform, "Access tokens": app-only tokens list granted application
 * permissions as roles). Undefined when the token cannot be read that way; a token that cannot be had throws.
 */
export async function consentedApplicationPermissions(tokens: AccessTokenSource): Promise<ReadonlySet<string> | undefined> {
  const token = await tokens();
  try {
    const roles = decodeJwt(token).roles;
    return new Set(Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : []);
  } catch {
    return undefined;
  }
}

/**
 * At start: operations a setting turns on that have no resource-specific permission (so only an
 * admin's consent allows them), checked before the first incident needs them. Archiving after a
 * post-mortem is one: "channel: archive" lists ChannelSettings.ReadWrite.All only.
 */
export async function checkApplicationPermissions(
  deps: { readonly tokens: AccessTokenSource; readonly log: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void } },
  operations: readonly GraphOperationName[],
): Promise<GraphOperationName[]> {
  let roles: ReadonlySet<string> | undefined;
  try {
    roles = await consentedApplicationPermissions(deps.tokens);
  } catch (error) {
    deps.log.warn({ err: (error as Error).message }, 'could not check the Graph application permissions at start');
    return [];
  }
  if (!roles) return [];
  const missing = operations.filter((name) => !applicationPermissions(GRAPH_OPERATIONS[name]).every((p) => roles.has(p)));
  for (const name of missing) deps.log.error({ operation: name, permission: applicationPermissions(GRAPH_OPERATIONS[name]).join(' and '), hint: permissionHint(name) }, `Graph permission missing: ${permissionHint(name)}`);
  return missing;
}
