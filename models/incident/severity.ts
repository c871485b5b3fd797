/** The P0–P3 severity scale; each tenant names and defines the levels (tenantProfile.ts). */
export const SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Names, definitions and colours are per tenant: see tenantProfile.ts. */
export const DEFAULT_SEVERITY: Severity = 'P2';

/** P0 is the most severe: raising severity moves towards it. */
export function isMoreSevere(a: Severity, b: Severity): boolean {
  return SEVERITIES.indexOf(a) < SEVERITIES.indexOf(b);
}

/** Accepts what people type at 3 a.m.: `P1`, `p1`, `sev1`, `SEV-1`, `1`. */
export function parseSeverity(text: string): Severity | undefined {
  const match = /^(?:p|sev-?)?([0-3])$/i.exec(text.trim());
  return match ? (`P${match[1]}` as Severity) : undefined;
}
