import { randomUUID } from 'node:crypto';

export interface TabApiAnswer {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
  readonly text: string;
}

/** The tab's HTTP API for one incident, as the page calls it. */
export function tabApi(baseUrl: string, incidentId: string, headers: Record<string, string> = {}) {
  const call = async (method: string, path: string, body?: unknown, raw?: string): Promise<TabApiAnswer> => {
    const response = await fetch(`${baseUrl}/tab/api/incidents/${incidentId}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined || raw !== undefined ? { 'Content-Type': 'application/json' } : {}) },
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
