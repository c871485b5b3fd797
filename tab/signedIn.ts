/**
 * The routes beside the per-incident tab API (metrics, import, "my incidents") share one shape:
 * authenticate the caller, answer sign-in failures with their status and message, and turn any
 * other failure into a logged 500 (503 when the database is unreachable) with a message that says what it means for the caller.
 */
import type { Request, Response } from 'restify';
import type { Logger } from '../models/ports/logger.js';
import { isStoreUnavailable, STORE_UNAVAILABLE_MESSAGE } from '../models/ports/storeUnavailable.js';
import { TabAuthError, type TabAuthenticator, type TabIdentity } from './auth.js';

export interface SignedInDeps {
  readonly authenticate: TabAuthenticator;
  readonly log: Logger;
}

export function signedIn(
  deps: SignedInDeps,
  failure: { readonly log: string; readonly answer: string },
  handler: (req: Request, res: Response, identity: TabIdentity) => Promise<void>,
) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await handler(req, res, await deps.authenticate(req.headers.authorization));
    } catch (error) {
      if (error instanceof TabAuthError) return void res.send(error.status, { error: error.message });
      if (answeredUnavailable(res, error, deps.log)) return;
      deps.log.error({ err: (error as Error).message, path: req.path() }, failure.log);
      res.send(500, { error: failure.answer });
    }
  };
}

/** A database outage is answered 503 with Retry-After (nothing was done), not as our bug. */
export function answeredUnavailable(res: Response, error: unknown, log: Logger): boolean {
  if (!isStoreUnavailable(error)) return false;
  log.warn({ err: (error as Error).message }, 'the database is unreachable; answered 503');
  res.header('Retry-After', '5');
  res.send(503, { error: STORE_UNAVAILABLE_MESSAGE });
  return true;
}
