/** Intercom's P0–P3 scale, each with the plain-language definition people see in Teams. */
export const SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface SeverityInfo {
  readonly label: string;
  readonly definition: string;
  /** Adaptive Card text colour used for the badge. */
  readonly colour: 'attention' | 'warning' | 'accent' | 'good';
}

export const severityInfo: Readonly<Record<Severity, SeverityInfo>> = {
  P0: { label: 'Critical', definition: 'Many customers cannot use the product, or data is lost or corrupted.', colour: 'attention' },
  P1: { label: 'Major', definition: 'A core feature is down or badly degraded for many customers.', colour: 'warning' },
  P2: { label: 'Minor', definition: 'Some customers see a degraded feature; a workaround exists.', colour: 'accent' },
  P3: { label: 'Low', definition: 'No customer impact yet: a risk, a warning sign, or an internal-only problem.', colour: 'good' },
};

export const DEFAULT_SEVERITY: Severity = 'P2';

/** Accepts what people type at 3 a.m.: `P1`, `p1`, `sev1`, `SEV-1`, `1`. */
export function parseSeverity(text: string): Severity | undefined {
  const match = /^(?:p|sev-?)?([0-3])$/i.exec(text.trim());
  return match ? (`P${match[1]}` as Severity) : undefined;
}
