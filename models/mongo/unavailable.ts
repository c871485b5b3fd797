import { StoreUnavailableError } from '../ports/storeUnavailable.js';

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


const translated = (error: unknown) => (isDatabaseUnavailable(error) ? new StoreUnavailableError(error) : error);

/** A streamed result (a cursor read as it goes) fails the same way, at whichever batch the outage hits. */
async function* translating<T>(items: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* items;
  } catch (error) {
    throw translated(error);
  }
}

/**
 * The store as its users see it: a driver error that means "unreachable" comes out as the
 * port's StoreUnavailableError, so nothing outside models/mongo/ knows the driver's names.
 */
export function reportingUnavailable<T extends object>(store: T): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = value.apply(target, args);
        if (result instanceof Promise) return result.catch((error: unknown) => Promise.reject(translated(error)));
        if (result && typeof result === 'object' && Symbol.asyncIterator in result) return translating(result as AsyncIterable<unknown>);
        return result;
      };
    },
  });
}
