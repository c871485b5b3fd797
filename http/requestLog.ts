/**
 * At which level each request's line is written. Most requests are someone doing something and
 * are logged at info; the routes below repeat without anyone acting, or say again what another
 * line says, so they are logged at debug (LOG_LEVEL=debug shows them; LOG_POLLING=true logs the
 * polling ones at info). Keyed by method and route pattern, as restify names the route.
 */
export type RouteNoise =
  /** Asked every few seconds by an open page or a machine. */
  | 'polling'
  /** A file every page load fetches (scripts, the icon). */
  | 'asset'
  /** Repeats a request that has its own line (the sandbox hands a person's message to /api/messages). */
  | 'echo';

export const ROUTE_NOISE: Readonly<Record<string, RouteNoise>> = {
  'GET /healthz': 'polling',
  'GET /readyz': 'polling',
  'GET /metrics': 'polling',
  // The sandbox page, every 600 ms.
  'GET /sandbox/api/state': 'polling',
  // The incident tab's live timeline, every 3 s while it is open.
  'GET /tab/api/incidents/:id/live': 'polling',
  // My incidents, every 15 s while it is open.
  'GET /tab/api/me/incidents': 'polling',
  'GET /favicon.ico': 'asset',
  'GET /sandbox/client.js': 'asset',
  'GET /sandbox/vendor/adaptivecards.js': 'asset',
  'GET /sandbox/vendor/markdown-it.js': 'asset',
  'GET /tab/client.js': 'asset',
  'GET /tab/vendor/teams.js': 'asset',
  'GET /tab/metrics.js': 'asset',
  'GET /tab/mine.js': 'asset',
  'POST /sandbox/api/send': 'echo',
};

const LEVEL: Readonly<Record<RouteNoise, (polling: boolean) => 'info' | 'debug'>> = {
  polling: (polling) => (polling ? 'info' : 'debug'),
  asset: () => 'debug',
  echo: () => 'debug',
};

/** The level of a request's line; `polling` is LOG_POLLING. */
export function requestLogLevel(method: string, route: string, polling: boolean): 'info' | 'debug' {
  const noise = ROUTE_NOISE[`${method} ${route}`];
  return noise ? LEVEL[noise](polling) : 'info';
}
