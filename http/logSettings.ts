/**
 * How the terminal and log pipelines read the app (LOG_LEVEL, LOG_FORMAT, LOG_POLLING). config.ts
 * reads them with the rest of the environment; this file says what they may be and what they
 * default to: a person running local mode reads one line per event, a pipeline in real mode JSON.
 */
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogSettings {
  readonly level: (typeof LOG_LEVELS)[number];
  /** `pretty`: one readable line per entry (time, level, message); `json`: one JSON object per line. */
  readonly format: LogFormat;
  /** Log the requests browsers and probes repeat every few seconds (sandbox and tab polling, health checks) at info. */
  readonly polling: boolean;
}

/** The environment variables, as zod fields for config.ts's schema. */
export const logEnv = {
  LOG_LEVEL: z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_FORMAT: z.enum(LOG_FORMATS, { message: 'must be pretty (one readable line per entry) or json (one JSON object per line, for log pipelines)' }).optional(),
  LOG_POLLING: z.enum(['true', 'false'], { message: 'must be true (log polling and health-check requests) or false' }).default('false'),
};

const logEnvSchema = z.object(logEnv);
type LogEnv = z.infer<typeof logEnvSchema>;

export function logSettings(e: LogEnv, mode: 'local' | 'real'): LogSettings {
  return { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (mode === 'local' ? 'pretty' : 'json'), polling: e.LOG_POLLING === 'true' };
}
