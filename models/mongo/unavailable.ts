/**
 * Whether a failure means "the database cannot be reached right now" (server selection timed
 * out, the connection dropped, commands buffered too long) rather than a bug or bad data. The
 * HTTP layers answer those with 503 and a Retry-After: the request did nothing, try again.
 */
const UNAVAILABLE_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (UNAVAILABLE_NAMES.has(e.name)) return true;
    // Mongoose queues commands while disconnected and fails them with this message.
    if (e.name === 'MongooseError' && /buffering timed out|Connection was force closed|client was closed/i.test(e.message)) return true;
  }
  return false;
}

export const DATABASE_UNAVAILABLE_MESSAGE = 'The incident database cannot be reached right now; nothing was changed. Try again in a moment.';
