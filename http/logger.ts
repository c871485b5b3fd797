/**
 * The app's log. JSON (one object per line) for log pipelines; pretty for a person at a
 * terminal: one line per entry, time, level, the incident, the message and the fields left over,
 * formatted by pino-pretty in this process so lines stay in order with what else the app prints.
 * Secrets are redacted either way, and every line written while a request is handled names it
 * (and its incident, once known).
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { isColorSupported, prettyFactory } from 'pino-pretty';
import { requestContext } from './requestContext.js';
import type { LogFormat } from './logSettings.js';

const REDACT = ['*.appPassword', '*.authorization', '*.apiKey', '*.routingKey', '*.password', 'req.headers.authorization', 'headers.authorization'];

/**
 * What a pretty line shows: the incident first, a request as method, route, status and time;
 * the fields the message already says are not repeated, and request ids stay in JSON.
 */
const PRETTY = {
  translateTime: 'SYS:HH:MM:ss',
  customPrettifiers: { time: (time: string | object) => String(time) },
  messageFormat: '{if incident}{incident} {end}{msg}{if route} {method} {route} → {status} in {ms} ms{end}',
  ignore: 'pid,hostname,reqId,incident,incidentId,method,route,status,ms,event,by',
  singleLine: true,
  // The app logs most failures as `err: message`: kept on the same line as the rest.
  errorLikeObjectKeys: [],
};

export function createLogger(level: string, destination?: DestinationStream, format: LogFormat = 'json'): PinoLogger {
  const options = { level, redact: REDACT, mixin: () => requestContext.fields() };
  if (format === 'json') return destination ? pino(options, destination) : pino(options);
  const out = destination ?? process.stdout;
  const prettify = prettyFactory({ ...PRETTY, colorize: destination ? false : isColorSupported });
  return pino(options, { write: (line: string) => void out.write(prettify(line)) });
}
