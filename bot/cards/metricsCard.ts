/** The `metrics` command's answer: the last 30 days at a glance, with a link to the full view. */
import type { DurationStats, MetricsReport } from '../../models/metrics/metrics.js';
import { adaptiveCard, fact, factSet, text, type CardElement } from './common.js';

const duration = (s: DurationStats) => {
  if (s.medianMinutes === undefined) return s.missing > 0 ? `no data (${s.missing} missing)` : 'no data';
  const f = (m: number) => (m >= 90 ? `${(m / 60).toFixed(1)} h` : `${Math.round(m)} min`);
  return `median ${f(s.medianMinutes)}, p90 ${f(s.p90Minutes!)}${s.missing ? ` (${s.missing} missing)` : ''}`;
};

export function metricsCard(report: MetricsReport, days: number, metricsUrl?: string): CardElement {
  const open = report.openAtMonthEnd.at(-1);
  const causes = report.byCauseType.slice(0, 3).map((c) => `${c.type} (${c.incidents})`).join(', ');
  return adaptiveCard(
    [
      text(`📊 Incidents, last ${days} days`, { weight: 'Bolder', size: 'Medium' }),
      // Plain strings throughout: fact() escapes them (cause types come from post-mortems people wrote).
      factSet([
        fact('Incidents', `${report.incidents}${report.bySeverity.length ? ` (${report.bySeverity.map((s) => `${s.severity}: ${s.incidents}`).join(', ')})` : ''}`),
        fact('MTTA', duration(report.overall.mtta)),
        fact('MTTR to recovery', duration(report.overall.mttrRecovery)),
        fact('MTTR to repair', duration(report.overall.mttrRepair)),
        fact('Worst day', report.worstDay ?? '—'),
        ...(open ? [fact('Open now', open.open)] : []),
        ...(causes ? [fact('Top causes', causes)] : []),
        fact('Action items', `${report.actionItems.open} open, ${report.actionItems.overdue} overdue`),
      ]),
      text(`${report.definitions.mtta} ${report.definitions.mttrRecovery} ${report.definitions.mttrRepair}`, { isSubtle: true, size: 'Small' }),
    ],
    metricsUrl ? [{ type: 'Action.OpenUrl', title: 'Open the metrics', url: metricsUrl }] : [],
  );
}
