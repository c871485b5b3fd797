import { PermanentError, TransientError } from '../models/support/errors.js';

const TRANSIENT_STATUS = new Set([408, 412, 429, 500, 502, 503, 504]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'TimeoutError', 'AbortError', 'REQUEST_SEND_ERROR']);

interface HttpishError {
  statusCode?: number;
  status?: number;
  code?: string | number;
  name?: string;
  message?: string;
  cause?: { code?: string; name?: string };
  headers?: { get?(name: string): string | null | undefined } | Record<string, string>;
  response?: { headers?: { get?(name: string): string | null | undefined } | Record<string, string> };
  body?: unknown;
}

function header(headers: HttpishError['headers'], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return headers.get(name) ?? undefined;
  const record = headers as Record<string, string>;
  return record[name] ?? record[name.toLowerCase()];
}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Turns an SDK/HTTP error into the domain's words. `hints` maps HTTP status to what an admin
 * should do (e.g. which permission is missing) for the call at hand.
 */
export function translateHttpError(error: unknown, what: string, hints: Partial<Record<number, string>> = {}): Error {
  const e = (error ?? {}) as HttpishError;
  const status = e.statusCode ?? e.status;
  const code = String(e.code ?? e.cause?.code ?? e.name ?? '');
  const detail = e.message ? `: ${e.message}` : '';
  if ((status !== undefined && TRANSIENT_STATUS.has(status)) || TRANSIENT_CODES.has(code) || TRANSIENT_CODES.has(e.cause?.name ?? '') || /fetch failed|socket hang up|timed? ?out/i.test(e.message ?? '')) {
    const wait = retryAfterMs(header(e.headers, 'retry-after') ?? header(e.response?.headers, 'retry-after'));
    // Throttled, unavailable, or never connected: Teams did not take it. A reset or a 5xx after sending may have landed.
    const refused = status === 429 || status === 503 || code === 'ECONNREFUSED' || e.cause?.code === 'ECONNREFUSED';
    return new TransientError(`${what} failed${status ? ` (HTTP ${status})` : ` (${code || 'network error'})`}${detail}`, wait, refused);
  }
  if (status !== undefined && status > 0) return new PermanentError(`${what} failed (HTTP ${status})${detail}`, hints[status]);
  return new PermanentError(`${what} failed${detail}`);
}
