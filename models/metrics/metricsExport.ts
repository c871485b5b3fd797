/** The metrics as CSV: one table, a `section` column saying which breakdown each row belongs to. */
import type { DurationSet, MetricsReport } from './metrics.js';
import type { FollowUpStats } from './followUpFigures.js';

const HEADER = [
  'section', 'key', 'incidents',
  'mtta_median_min', 'mtta_p90_min', 'mtta_missing',
  'recovery_median_min', 'recovery_p90_min', 'recovery_missing',
  'repair_median_min', 'repair_p90_min', 'repair_missing',
  'items', 'done', 'completion_rate', 'median_days_to_done', 'due', 'days_overdue', 'owner', 'item',
] as const;

const cell = (value: unknown) => {
  const text = value === undefined || value === null ? '' : String(value);
  // Keys come from people (component names): never a formula, always a safe cell.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const durations = (d?: Partial<DurationSet>) => [
  d?.mtta?.medianMinutes, d?.mtta?.p90Minutes, d?.mtta?.missing,
  d?.mttrRecovery?.medianMinutes, d?.mttrRecovery?.p90Minutes, d?.mttrRecovery?.missing,
  d?.mttrRepair?.medianMinutes, d?.mttrRepair?.p90Minutes, d?.mttrRepair?.missing,
];

const followUp = (f: FollowUpStats) => [f.items, f.done, f.completionRate, f.medianDaysToDone];

export function metricsCsv(report: MetricsReport): string {
  const rows: unknown[][] = [
    ['overall', `${report.query.from}..${report.query.to} ${report.query.timeZone}`, report.incidents, ...durations(report.overall)],
    ...report.perMonth.map((m) => ['month', m.month, m.incidents, ...durations(m)]),
    ...report.bySeverity.map((s) => ['severity', s.severity, s.incidents, ...durations(s)]),
    ...report.byType.map((t) => ['type', t.type, t.incidents, ...durations(t)]),
    ...report.byComponent.map((c) => ['component', c.component, c.incidents, ...durations({ mttrRepair: c.mttrRepair })]),
    ...report.byDayOfWeek.map((d) => ['day_of_week', d.day, d.incidents, ...durations()]),
    ...report.openAtMonthEnd.map((o) => ['open_at_month_end', o.month, o.open, ...durations()]),
    ...report.byCauseType.map((c) => ['cause_type', c.type, c.incidents, ...durations()]),
    ['action_items_open', '', report.actionItems.open, ...durations()],
    ['action_items_overdue', '', report.actionItems.overdue, ...durations()],
    ['follow_up', '', '', ...durations(), ...followUp(report.followUp)],
    ...report.followUp.byType.map((t) => ['follow_up_type', t.type, '', ...durations(), ...followUp(t)]),
    ...report.followUp.byTeam.map((t) => ['follow_up_team', t.team, '', ...durations(), ...followUp(t)]),
    ...report.followUp.overdue.map((o) => ['overdue_item', 'incident' in o ? `${String(o.incident)}${'title' in o && o.title ? `: ${String(o.title)}` : ''}` : o.incidentId, '', ...durations(), '', '', '', '', o.due, o.daysOverdue, o.owner, o.item]),
  ];
  return `${[HEADER.join(','), ...rows.map((r) => [...r, ...new Array<string>(HEADER.length - r.length).fill('')].map(cell).join(','))].join('\r\n')}\r\n`;
}
