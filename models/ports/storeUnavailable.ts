/**
 * The store cannot be reached right now (the server is down, the connection dropped, commands
 * queued too long). Thrown by the store instead of its driver's errors, so the HTTP and Teams
 * layers answer "try again" (503, nothing was changed) without knowing which database it is.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the incident database cannot be reached: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}

export const STORE_UNAVAILABLE_MESSAGE = 'The incident database cannot be reached right now; nothing was changed. Try again in a moment.';

export function isStoreUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) if (e instanceof StoreUnavailableError) return true;
  return false;
}
