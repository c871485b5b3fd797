/**
 * What monitors send, read into one shape. Three formats: a generic JSON alert, the Prometheus
 * Alertmanager webhook (version 4) and Grafana's alerting webhook. Each notification may carry
 * several alerts; each alert has a fingerprint (the same problem keeps the same fingerprint) and
 * a status (firing or resolved). Pure parsing: a payload that does not fit gets every problem
 * named, and nothing is stored.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseSeverity, type Severity } from '../incident/severity.js';

export const ALERT_SOURCES = ['generic', 'alertmanager', 'grafana'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

export interface Alert {
  readonly source: AlertSource;
  /** The same problem keeps the same fingerprint: further alerts attach to its open incident. */
  readonly fingerprint: string;
  readonly status: 'firing' | 'resolved';
  readonly title: string;
  readonly description?: string;
  /** The monitor's severity word (critical, warning, P1…), mapped to ours at intake. */
  readonly severityLabel?: string;
  readonly component?: string;
  readonly startsAt?: Date;
  readonly url?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** One delivery of one alert: the same notification sent twice has the same key. */
  readonly deliveryKey: string;
  /**
   * One firing of one alert, whatever notification carries it: the source, the fingerprint and
   * when it started (Alertmanager/Grafana: the alert and its startsAt; generic: startsAt, else
   * the sender's id, else the content). An occurrence belongs to the incident it first joined
   * and never opens another (a replay after that incident is over opens nothing).
   */
  readonly occurrenceKey: string;
  /** Resolved, but others in its group still fire: recorded, not suggested as the end. */
  readonly partial?: boolean;
}

export const MAX_ALERTS_PER_NOTIFICATION = 500;
const LIMITS = { title: 120, description: 4000, label: 1000 } as const;

const labelMap = z.record(z.string().max(200), z.string().max(LIMITS.label)).default({});
const timestamp = z.string().max(64).optional();
const link = z.string().max(2000).optional();

/** Prometheus Alertmanager webhook (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
const alertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: labelMap,
  annotations: labelMap,
  startsAt: timestamp,
  endsAt: timestamp,
  generatorURL: link,
  fingerprint: z.string().min(1).max(200).optional(),
});
const alertmanagerPayload = z.object({
  version: z.string().max(10).optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: z.string().max(200).optional(),
  groupKey: z.string().max(2000).optional(),
  commonLabels: labelMap,
  commonAnnotations: labelMap,
  externalURL: link,
  alerts: z.array(alertmanagerAlert).min(1, 'no alerts in the notification').max(MAX_ALERTS_PER_NOTIFICATION),
});

/** Grafana alerting webhook: Alertmanager's shape plus dashboard/panel links, values and a title. */
const grafanaPayload = alertmanagerPayload.extend({
  title: z.string().max(1000).optional(),
  message: z.string().max(20_000).optional(),
  orgId: z.number().optional(),
  alerts: z
    .array(alertmanagerAlert.extend({ dashboardURL: link, panelURL: link, silenceURL: link, values: z.record(z.string(), z.unknown()).nullable().optional() }))
    .min(1, 'no alerts in the notification')
    .max(MAX_ALERTS_PER_NOTIFICATION),
});

/** The generic format, for scripts and monitors without a webhook format of their own. */
const genericAlert = z
  .object({
    title: z.string().trim().min(1, 'a title is required').max(LIMITS.title, `keep the title under ${LIMITS.title} characters`),
    fingerprint: z.string().trim().min(1).max(200).optional(),
    status: z.enum(['firing', 'resolved']).default('firing'),
    severity: z.string().trim().max(40).optional(),
    component: z.string().trim().max(80).optional(),
    description: z.string().max(LIMITS.description).optional(),
    startsAt: timestamp,
    url: link,
    labels: labelMap,
    /** The sender's own id for this delivery, if it has one (makes retries safe). */
    id: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
const genericPayload = z.union([genericAlert, z.object({ alerts: z.array(genericAlert).min(1).max(MAX_ALERTS_PER_NOTIFICATION) }).strict()]);

const hash = (...parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
const when = (value: string | undefined) => {
  if (!value || value.startsWith('0001-')) return undefined; // Alertmanager's "no time"
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time);
};
const clip = (text: string | undefined, max: number) => (text ? text.trim().slice(0, max) || undefined : undefined);
const httpLink = (value: string | undefined) => (value && /^https?:\/\//i.test(value) ? value : undefined);

export type ParsedAlerts = { readonly alerts: Alert[] } | { readonly problems: string[] };

function problems(error: z.ZodError): { problems: string[] } {
  return { problems: error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`) };
}

function fromPrometheusLike(source: 'alertmanager' | 'grafana', payload: z.infer<typeof grafanaPayload>): Alert[] {
  return payload.alerts.map((a) => {
    const labels = { ...payload.commonLabels, ...a.labels };
    const annotations = { ...payload.commonAnnotations, ...a.annotations };
    // The group is the unit of notification the team configured (group_by), as in Alertmanager's
    // own PagerDuty integration: one group, one incident. Without a group, the alert's own
    // fingerprint (a hash of its labels when absent).
    const fingerprint = payload.groupKey ? `group-${hash(payload.receiver ?? '', payload.groupKey)}` : (a.fingerprint ?? hash(Object.entries(labels).sort()));
    const title = clip(annotations.summary ?? annotations.title ?? labels.alertname ?? ('title' in payload ? payload.title : undefined), LIMITS.title) ?? 'Alert from Alertmanager';
    const link = 'panelURL' in a ? ((a as { panelURL?: string }).panelURL ?? (a as { dashboardURL?: string }).dashboardURL ?? a.generatorURL) : a.generatorURL;
    return {
      source,
      fingerprint,
      status: a.status,
      title,
      description: clip(annotations.description ?? annotations.message, LIMITS.description),
      severityLabel: labels.severity ?? labels.priority,
      component: clip(labels.component ?? labels.service ?? labels.job, 80),
      startsAt: when(a.startsAt),
      url: httpLink(link),
      labels,
      deliveryKey: hash(source, fingerprint, a.fingerprint ?? labels, a.status, a.startsAt ?? '', a.status === 'resolved' ? a.endsAt ?? '' : ''),
      // Firing and resolved of one alert share it: a "resolved" finds the incident its firing joined.
      occurrenceKey: hash(source, 'occurrence', fingerprint, a.fingerprint ?? Object.entries(labels).sort(), when(a.startsAt)?.toISOString() ?? ''),
      partial: a.status === 'resolved' && payload.status === 'firing' ? true : undefined,
    };
  });
}

export function parseAlerts(source: AlertSource, body: unknown): ParsedAlerts {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { problems: ['(body): expected a JSON object'] };
  if (source === 'generic') {
    const parsed = genericPayload.safeParse(body);
    if (!parsed.success) return problems(parsed.error);
    const list = 'alerts' in parsed.data ? parsed.data.alerts : [parsed.data];
    return {
      alerts: list.map((a) => {
        const fingerprint = a.fingerprint ?? hash(a.title.toLowerCase(), a.component ?? '');
        const deliveryKey = a.id ? hash(source, 'id', a.id) : hash(source, fingerprint, a.status, a.startsAt ?? '', a.description ?? '', a.labels);
        const startsAt = when(a.startsAt);
        return {
          source,
          fingerprint,
          status: a.status,
          title: a.title,
          description: clip(a.description, LIMITS.description),
          severityLabel: a.severity,
          component: a.component || undefined,
          startsAt,
          url: httpLink(a.url),
          labels: a.labels,
          deliveryKey,
          // Nothing says when it started nor which delivery it is: its content is all that identifies it.
          occurrenceKey: startsAt ? hash(source, 'occurrence', fingerprint, startsAt.toISOString()) : a.id ? hash(source, 'occurrence-id', a.id) : hash(source, 'occurrence-content', fingerprint, a.title, a.description ?? '', a.labels),
        };
      }),
    };
  }
  const parsed = (source === 'grafana' ? grafanaPayload : alertmanagerPayload).safeParse(body);
  if (!parsed.success) return problems(parsed.error);
  return { alerts: fromPrometheusLike(source, parsed.data as z.infer<typeof grafanaPayload>) };
}

/** The monitor's word for severity → ours. Unknown or absent words get the configured default. */
export const DEFAULT_SEVERITY_WORDS: Readonly<Record<string, Severity>> = {
  critical: 'P1', page: 'P1', high: 'P1', major: 'P1', disaster: 'P0', emergency: 'P0',
  error: 'P2', warning: 'P2', warn: 'P2', medium: 'P2', average: 'P2',
  info: 'P3', low: 'P3', minor: 'P3', none: 'P3',
};

export function alertSeverity(label: string | undefined, words: Readonly<Record<string, Severity>>, fallback: Severity): Severity {
  if (!label) return fallback;
  const word = label.trim().toLowerCase();
  // Own keys only: a monitor's label of `constructor` or `__proto__` is not a severity word.
  return parseSeverity(label) ?? (Object.hasOwn(words, word) ? words[word] : undefined) ?? fallback;
}

/** ALERT_SEVERITY_MAP, "critical=P1,warning=P2": the monitor's word = our severity, over the built-in words. */
export function parseSeverityWords(text: string): { words: Record<string, Severity>; problems: string[] } {
  const words: Record<string, Severity> = { ...DEFAULT_SEVERITY_WORDS };
  const problems: string[] = [];
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [word, sev] = pair.split('=').map((p) => p.trim());
    const severity = sev ? parseSeverity(sev) : undefined;
    if (!word || !severity) problems.push(`"${pair}" is not word=P0..P3 (e.g. critical=P1,warning=P2)`);
    else if (word.toLowerCase() === '__proto__') problems.push('"__proto__" cannot be a severity word');
    else words[word.toLowerCase()] = severity;
  }
  return { words, problems };
}
