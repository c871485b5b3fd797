/**
 * Bringing a team's history: past incidents from a CSV or JSON file, through the same validation
 * as a live declare (title, severity, component, description) plus the milestones' order. All
 * rows are checked first; if any is wrong nothing is imported and every problem is named with
 * its row, so fixing the file and sending it again is safe. Re-importing the same rows changes
 * nothing (ids come from the tenant and each row's id, or its content).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { validateDeclaration } from '../warRoom/declareIncident.js';
import { InvalidInputError } from '../support/errors.js';
import { deterministicId } from '../support/ids.js';
import { PROVISIONING_STEPS, type Incident, type Milestones, type ProvisioningStep, type StepState } from '../incident/incident.js';
import type { Status } from '../incident/lifecycle.js';
import type { IncidentStore } from '../ports/incidentStore.js';
import { SYSTEM, timelineEvent } from '../incident/timeline.js';
import type { IncidentTypes } from '../incident/incidentTypes.js';

export const MAX_IMPORT_ROWS = 5_000;
const TIME_FIELDS = ['started', 'detected', 'declared', 'acknowledged', 'mitigated', 'resolved', 'closed'] as const;
const TEXT_FIELDS = ['id', 'title', 'severity', 'component', 'description', 'type'] as const;
/** Each later milestone may not come before these earlier ones. */
const ORDER: readonly [keyof Milestones, keyof Milestones][] = [
  ['declared', 'acknowledged'], ['started', 'mitigated'], ['declared', 'mitigated'], ['mitigated', 'resolved'], ['started', 'resolved'], ['resolved', 'closed'],
];

export interface ImportProblem {
  readonly row: number;
  readonly field?: string;
  readonly message: string;
}

export type ImportResult = { readonly imported: number; readonly alreadyThere: number } | { readonly problems: readonly ImportProblem[] };

type Row = Record<string, unknown>;

/** CSV (header row: id,title,severity,component,description,type,started,declared,acknowledged,mitigated,resolved,closed; any order, most optional) or a JSON array. */
export function readImportFile(format: 'csv' | 'json', content: string): { rows: Row[] } | { problems: ImportProblem[] } {
  try {
    const rows = format === 'csv' ? (parseCsv(content, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Row[]) : JSON.parse(content);
    if (!Array.isArray(rows)) return { problems: [{ row: 0, message: 'the JSON must be an array of incidents' }] };
    if (rows.length === 0) return { problems: [{ row: 0, message: 'the file has no incidents' }] };
    if (rows.length > MAX_IMPORT_ROWS) return { problems: [{ row: 0, message: `at most ${MAX_IMPORT_ROWS} incidents per file; split it` }] };
    return { rows };
  } catch (error) {
    return { problems: [{ row: 0, message: `cannot read the ${format.toUpperCase()}: ${(error as Error).message.slice(0, 200)}` }] };
  }
}

function checkRow(raw: unknown, row: number, problems: ImportProblem[], types: IncidentTypes | undefined): { valid: Omit<Incident, 'id' | 'tenantId' | 'number'>; key: string } | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({ row, message: 'each incident must be an object' });
    return undefined;
  }
  const r = raw as Row;
  const before = problems.length;
  for (const field of Object.keys(r)) {
    if (![...TEXT_FIELDS, ...TIME_FIELDS].includes(field as never)) problems.push({ row, field, message: `unknown column; known: ${[...TEXT_FIELDS, ...TIME_FIELDS].join(', ')}` });
  }
  const text = (field: (typeof TEXT_FIELDS)[number]) => {
    const value = r[field];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') {
      problems.push({ row, field, message: 'must be text' });
      return undefined;
    }
    return value;
  };
  let declaration;
  try {
    // The type by id or label, as `declare --type` takes it; none: the tenant's default type.
    declaration = validateDeclaration({ title: text('title'), severity: text('severity'), component: text('component'), description: text('description'), type: text('type') }, types);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    for (const message of error.problems) problems.push({ row, message });
  }
  const milestones: Record<string, Date> = {};
  for (const field of TIME_FIELDS) {
    const value = r[field];
    if (value === undefined || value === null || value === '') continue;
    const time = typeof value === 'string' && /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(value) ? Date.parse(value.replace(' ', 'T')) : NaN;
    if (Number.isNaN(time)) problems.push({ row, field, message: 'must be a date and time like 2026-03-14T09:30:00Z' });
    else milestones[field] = new Date(time);
  }
  if (!milestones.declared) problems.push({ row, field: 'declared', message: 'is required (when the incident was declared)' });
  for (const [earlier, later] of ORDER) {
    if (milestones[earlier] && milestones[later] && milestones[later] < milestones[earlier]) problems.push({ row, field: later, message: `is before ${earlier}` });
  }
  if (problems.length > before || !declaration) return undefined;
  const m = milestones as unknown as Milestones;
  const status: Status = m.closed ? 'closed' : m.resolved ? 'resolved' : 'investigating';
  const skipped: StepState = { status: 'skipped', attempts: 0 };
  const key = text('id') ?? deterministicId('import-row', JSON.stringify([declaration.title, m.declared.toISOString(), declaration.component ?? '']));
  return {
    key,
    valid: {
      ...declaration,
      status,
      reporter: { id: SYSTEM.id, name: 'Imported' },
      roles: { smes: [] },
      source: { kind: 'import', key: `import:${key}` },
      milestones: m,
      // History has no war room to build.
      provisioning: { complete: true, steps: Object.fromEntries(PROVISIONING_STEPS.map((s) => [s, skipped])) as Record<ProvisioningStep, StepState> },
      createdAt: m.declared,
      updatedAt: m.closed ?? m.resolved ?? m.declared,
      version: 1,
    },
  };
}

/** `types`: the tenant's incident types (the built-in ones when not given). */
export async function importIncidents(store: IncidentStore, tenantId: string, rows: readonly unknown[], types?: IncidentTypes): Promise<ImportResult> {
  const problems: ImportProblem[] = [];
  const checked = rows.map((raw, i) => checkRow(raw, i + 1, problems, types));
  if (problems.length > 0) return { problems: problems.slice(0, 200) };
  const valid = checked.filter((c): c is NonNullable<typeof c> => Boolean(c)).sort((a, b) => a.valid.milestones.declared.getTime() - b.valid.milestones.declared.getTime());
  let imported = 0;
  let alreadyThere = 0;
  for (const { key, valid: fields } of valid) {
    const id = deterministicId('incident', tenantId, `import:${key}`);
    if (await store.findById(id)) {
      alreadyThere++;
      continue;
    }
    const incident: Incident = { id, tenantId, number: await store.nextNumber(tenantId), ...fields };
    const { inserted } = await store.insertIncident(incident);
    if (!inserted) {
      alreadyThere++;
      continue;
    }
    imported++;
    await store.appendEvent(timelineEvent(id, 'declared', 'once', { at: fields.milestones.declared, actor: { ...SYSTEM, name: 'Import' }, payload: { title: fields.title, severity: fields.severity, type: fields.type, source: 'import' } }));
  }
  return { imported, alreadyThere };
}
