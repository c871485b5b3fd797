/**
 * The request a log line belongs to. Every HTTP request runs inside a context holding its
 * request id; the layers that find the incident (bot desk, tab API) add its number. pino's
 * mixin copies both into every log line written while the request is handled, including the
 * use cases' own lines, without threading a logger through them.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestTags {
  readonly reqId: string;
  incident?: string;
}

const storage = new AsyncLocalStorage<RequestTags>();

export const requestContext = {
  /** Runs the rest of a request's handling with these tags (the caller keeps them for its own summary line). */
  run<T>(tags: RequestTags, work: () => T): T {
    return storage.run(tags, work);
  },
  /** Names the incident this request is about (its human number, e.g. INC-42). */
  tagIncident(label: string): void {
    const tags = storage.getStore();
    if (tags) tags.incident = label;
  },
  /** For pino's `mixin`: the fields every log line inside a request carries. */
  fields(): Record<string, string> {
    const tags = storage.getStore();
    if (!tags) return {};
    return tags.incident ? { reqId: tags.reqId, incident: tags.incident } : { reqId: tags.reqId };
  },
};
