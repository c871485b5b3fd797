/** The tab's calls to /tab/api: JSON in and out, auth headers from the host, clear errors. */
import type { Host } from './host.js';

export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly body: Record<string, unknown>) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T>;
  download(path: string, filename: string): Promise<void>;
}

export function createApi(host: Pick<Host, 'authHeaders'>, incidentId: string): Api {
  const base = `/tab/api/incidents/${encodeURIComponent(incidentId)}`;
  const call = async <T>(path: string, init: RequestInit = {}): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...(await host.authHeaders()) } });
    } catch {
      throw new ApiError(0, 'Cannot reach incident-room (network). Nothing was lost; try again.', {});
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      const message = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : `Request failed (${response.status})`;
      throw new ApiError(response.status, message, body);
    }
    return response as Response & { json(): Promise<T> };
  };
  return {
    get: async <T>(path: string) => (await call<T>(path)).json() as Promise<T>,
    send: async <T>(method: 'POST' | 'PUT', path: string, body: unknown) =>
      (await call<T>(path, { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } })).json() as Promise<T>,
    // Exports need the same auth header as every call, so they are fetched, then saved as a file.
    download: async (path, filename) => {
      const blob = await (await call(path)).blob();
      const url = URL.createObjectURL(blob);
      const link = Object.assign(document.createElement('a'), { href: url, download: filename });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}

/** One key per user action, reused if the same action is retried. */
export function actionKey(): string {
  return crypto.randomUUID();
}
