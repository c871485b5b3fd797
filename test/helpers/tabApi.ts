import { randomUUID } from 'node:crypto';
import { teamsSsoToken } from '../../local/sandbox/ssoToken.js';
import type { RunningApp } from '../../server.js';
import { ALEX } from './people.js';

export interface TabApiAnswer {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * Signed in to the tab as this person, the way the sandbox signs them in for Teams: a Teams SSO
 * token the local Entra stand-in issues (the person named by their Entra id), which the app
 * checks with the same validator as in real mode. Alex, the first of the local people, is local
 * mode's admin.
 */
export async function signedInAs(app: RunningApp, person: { readonly aadObjectId: string } = ALEX): Promise<Record<string, string>> {
  const answer = await teamsSsoToken(app.local!.entra.url, app.config.tabSso.tenantId, app.config.tabSso, person.aadObjectId);
  if ('error' in answer) throw new Error(`the local Entra stand-in gave no token for ${person.aadObjectId}: ${answer.error}`);
  return { Authorization: `Bearer ${answer.token}` };
}

/** The tab's HTTP API for one incident, as the page calls it (signed in with `headers`, e.g. signedInAs(app)). */
export function tabApi(baseUrl: string, incidentId: string, headers: Record<string, string> | Promise<Record<string, string>> = {}) {
  const call = async (method: string, path: string, body?: unknown, raw?: string): Promise<TabApiAnswer> => {
    const response = await fetch(`${baseUrl}/tab/api/incidents/${incidentId}${path}`, {
      method,
      headers: { ...(await headers), ...(body !== undefined || raw !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Exports and errors from outside our handlers are not JSON; keep the text.
    }
    return { status: response.status, body: parsed, headers: response.headers, text };
  };
  return {
    get: (path = '') => call('GET', path),
    post: (path: string, body: unknown) => call('POST', path, body),
    put: (path: string, body: unknown) => call('PUT', path, body),
    raw: (method: string, path: string, raw: string) => call(method, path, undefined, raw),
    note: (text: string, key = randomUUID()) => call('POST', '/notes', { text, key }),
  };
}
