import { pendingSteps, type Incident } from '../../models/incident/incident.js';

/** A plausible, just-declared incident record; override what the test is about. */
export function sampleIncident(fields: Partial<Incident> = {}): Incident {
  const declared = new Date('2026-05-01T12:00:00Z');
  return {
    id: 'a'.repeat(24),
    tenantId: 'tenant-a',
    number: 42,
    title: 'Checkout API returns 500s',
    severity: 'P1',
    status: 'triage',
    reporter: { id: '29:alex', name: 'Alex Wilber' },
    roles: { smes: [] },
    source: { kind: 'chat', key: 'k' },
    milestones: { declared },
    provisioning: { complete: false, steps: pendingSteps() },
    createdAt: declared,
    updatedAt: declared,
    version: 1,
    ...fields,
  };
}
