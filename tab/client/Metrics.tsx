/**
 * The metrics view: a period, time zone, severities and component to look at; then incidents per
 * month, the worst day of the week, open incidents at each month end and MTTA / MTTR trends as
 * charts (Chart.js), each with its figures as a table for screen readers and for reading exact
 * values; breakdowns by severity, component and cause type; the definitions next to the figures.
 */
import { FollowUp } from './FollowUp.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import type { Host } from './host.js';
import { minutes } from './format.js';
import type { DurationStats, MetricsReport } from '../../models/metrics/metrics.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const PERIODS = [3, 6, 12, 24] as const;
const SEVERITIES = ['P0', 'P1', 'P2', 'P3'] as const;
const token = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(`--${name}`).trim() || '#888';

function ChartBox({ title, config, table }: { title: string; config: () => ChartConfiguration; table: preact.JSX.Element }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, { ...config(), options: { ...config().options, animation: false, responsive: true, maintainAspectRatio: false } });
    return () => chart.destroy();
  });
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div class="canvas-box">
        <canvas ref={canvas} role="img" aria-label={`${title}: chart; the same figures are in the table below`} />
      </div>
      <details>
        <summary>Figures as a table</summary>
        {table}
      </details>
    </figure>
  );
}

const LABELS: Readonly<Record<string, string>> = {
  mtta: 'MTTA', mttrRecovery: 'MTTR to recovery', mttrRepair: 'MTTR to repair', percentiles: 'Median and p90', missing: 'Missing milestones',
  byType: 'By type', perMonth: 'Incidents per month', worstDay: 'Worst day', openOverTime: 'Open over time', actionItems: 'Action items',
  completionRate: 'Follow-up completion rate', timeToDone: 'Median time to done', byTeam: 'Team', overdueItems: 'Overdue action items',
};

const stat = (s: DurationStats) => (s.medianMinutes === undefined ? '—' : `${minutes(s.medianMinutes)} / ${minutes(s.p90Minutes)}`);

export function Metrics({ host, theme }: { host: Host; theme: string }) {
  const [months, setMonths] = useState<(typeof PERIODS)[number]>(12);
  const [timeZone, setTimeZone] = useState(() => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  const [severities, setSeverities] = useState<string[]>([]);
  const [component, setComponent] = useState('');
  const [type, setType] = useState('');
  const [report, setReport] = useState<MetricsReport | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [refresh, setRefresh] = useState(0);

  const query = () => {
    const to = new Date();
    const from = new Date(to.getFullYear(), to.getMonth() - months + 1, 1);
    const params = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), tz: timeZone });
    if (severities.length) params.set('severity', severities.join(','));
    if (component.trim()) params.set('component', component.trim());
    if (type.trim()) params.set('type', type.trim());
    return params.toString();
  };
  const get = async (path: string) => {
    const response = await fetch(path, { headers: await host.authHeaders() });
    if (!response.ok) throw new Error(((await response.json().catch(() => ({}))) as { error?: string }).error ?? `HTTP ${response.status}`);
    return response;
  };
  useEffect(() => {
    get(`/api/metrics?${query()}`)
      .then(async (r) => (setReport((await r.json()) as MetricsReport), setProblem(undefined)))
      .catch((e: Error) => setProblem(e.message));
  }, [months, timeZone, severities.join(','), component, type, refresh]);

  const download = async () => {
    try {
      const blob = await (await get(`/api/metrics.csv?${query()}`)).blob();
      const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: 'incident-metrics.csv' });
      link.click();
    } catch (e) {
      setProblem((e as Error).message);
    }
  };

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    const format = file.name.toLowerCase().endsWith('.json') ? 'json' : 'csv';
    const response = await fetch('/api/incidents/import', { method: 'POST', headers: { 'Content-Type': 'application/json', ...(await host.authHeaders()) }, body: JSON.stringify({ format, content: await file.text() }) });
    const answer = (await response.json().catch(() => ({}))) as { message?: string; error?: string; problems?: { row: number; field?: string; message: string }[] };
    if (!response.ok) {
      setNotice(undefined);
      return setProblem(`${answer.error ?? `HTTP ${response.status}`} ${(answer.problems ?? []).slice(0, 10).map((p) => `Row ${p.row}${p.field ? ` (${p.field})` : ''}: ${p.message}.`).join(' ')}`);
    }
    setProblem(undefined);
    setNotice(answer.message);
    setRefresh((n) => n + 1);
  };

  const ink = token('colorNeutralForeground1');
  const grid = token('colorNeutralStroke2');
  const brand = theme === 'contrast' ? token('colorNeutralForeground1') : token('colorBrandBackground');
  const second = theme === 'contrast' ? token('colorNeutralForeground2') : token('colorPaletteDarkOrangeBorderActive');
  const axes = { x: { ticks: { color: ink }, grid: { color: grid } }, y: { beginAtZero: true, ticks: { color: ink }, grid: { color: grid } } };
  const legend = { labels: { color: ink } };

  return (
    <div class="app metrics">
      <h1>Incident metrics</h1>
      <form class="toolbar" onSubmit={(e) => e.preventDefault()} aria-label="What to look at">
        <label>
          Period{' '}
          <select value={months} onChange={(e) => setMonths(Number((e.currentTarget as HTMLSelectElement).value) as (typeof PERIODS)[number])}>
            {PERIODS.map((m) => (
              <option value={m}>Last {m} months</option>
            ))}
          </select>
        </label>
        <label>
          Time zone <input value={timeZone} size={18} onChange={(e) => setTimeZone((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <fieldset class="inline-set">
          <legend>Severity</legend>
          {SEVERITIES.map((s) => (
            <label class="inline">
              <input type="checkbox" checked={severities.includes(s)} onChange={(e) => setSeverities((e.currentTarget as HTMLInputElement).checked ? [...severities, s] : severities.filter((x) => x !== s))} /> {s}
            </label>
          ))}
        </fieldset>
        <label>
          Component <input value={component} size={12} placeholder="all" onChange={(e) => setComponent((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          Type <input value={type} size={12} placeholder="all" title="Type ids, comma-separated (e.g. security)" data-testid="type-filter" onChange={(e) => setType((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="button" class="secondary" onClick={() => void download()}>
          Export CSV
        </button>
        <label class="secondary-file">
          Import history (CSV or JSON){' '}
          <input type="file" accept=".csv,.json,text/csv,application/json" data-testid="import-file" onChange={(e) => void importFile((e.currentTarget as HTMLInputElement).files?.[0])} />
        </label>
      </form>
      {notice && <p role="status" class="notice">{notice}</p>}
      {problem && <p role="alert" class="error">{problem}</p>}
      {!report && !problem && <p class="muted">Computing…</p>}
      {report && (
        <>
          <section class="tiles" aria-label="Overall">
            <div class="tile" data-testid="tile-incidents"><strong>{report.incidents}</strong> incidents</div>
            <div class="tile"><strong>{stat(report.overall.mtta)}</strong> MTTA median / p90<span class="muted"> · {report.overall.mtta.missing} never acknowledged</span></div>
            <div class="tile"><strong>{stat(report.overall.mttrRecovery)}</strong> MTTR to recovery<span class="muted"> · {report.overall.mttrRecovery.missing} without recovery time</span></div>
            <div class="tile"><strong>{stat(report.overall.mttrRepair)}</strong> MTTR to repair<span class="muted"> · {report.overall.mttrRepair.missing} not resolved</span></div>
            <div class="tile" data-testid="tile-worst-day"><strong>{report.worstDay ?? '—'}</strong> worst day</div>
            <div class="tile"><strong>{report.actionItems.open}</strong> open action items<span class="muted"> · {report.actionItems.overdue} overdue</span></div>
          </section>
          <div class="charts">
            <ChartBox
              title="Incidents per month"
              config={() => ({ type: 'bar', data: { labels: report.perMonth.map((m) => m.month), datasets: [{ label: 'Incidents', data: report.perMonth.map((m) => m.incidents), backgroundColor: brand }] }, options: { scales: axes, plugins: { legend } } })}
              table={<table><caption>{report.definitions.perMonth}</caption><thead><tr><th>Month</th><th>Incidents</th></tr></thead><tbody>{report.perMonth.map((m) => <tr><td>{m.month}</td><td>{m.incidents}</td></tr>)}</tbody></table>}
            />
            <ChartBox
              title="Incidents by day of the week"
              config={() => ({
                type: 'bar',
                data: {
                  labels: report.byDayOfWeek.map((d) => (d.day === report.worstDay ? `${d.day.slice(0, 3)} (worst)` : d.day.slice(0, 3))),
                  // The worst day stands out by colour, and in high contrast (one colour) as an outlined bar.
                  datasets: [{
                    label: 'Incidents',
                    data: report.byDayOfWeek.map((d) => d.incidents),
                    backgroundColor: report.byDayOfWeek.map((d) => (d.day !== report.worstDay ? brand : theme === 'contrast' ? 'transparent' : second)),
                    borderColor: ink,
                    borderWidth: report.byDayOfWeek.map((d) => (d.day === report.worstDay && theme === 'contrast' ? 3 : 0)),
                  }],
                },
                options: { scales: axes, plugins: { legend } },
              })}
              table={<table><caption>{report.definitions.worstDay}</caption><thead><tr><th>Day</th><th>Incidents</th></tr></thead><tbody>{report.byDayOfWeek.map((d) => <tr><td>{d.day}</td><td>{d.incidents}</td></tr>)}</tbody></table>}
            />
            <ChartBox
              title="Open incidents at each month end"
              config={() => ({ type: 'line', data: { labels: report.openAtMonthEnd.map((o) => o.month), datasets: [{ label: 'Open', data: report.openAtMonthEnd.map((o) => o.open), borderColor: brand, backgroundColor: brand }] }, options: { scales: axes, plugins: { legend } } })}
              table={<table><caption>{report.definitions.openOverTime}</caption><thead><tr><th>Month</th><th>Open at its end</th></tr></thead><tbody>{report.openAtMonthEnd.map((o) => <tr><td>{o.month}</td><td>{o.open}</td></tr>)}</tbody></table>}
            />
            <ChartBox
              title="MTTA and MTTR per month (median, minutes)"
              config={() => ({
                type: 'line',
                data: {
                  labels: report.perMonth.map((m) => m.month),
                  datasets: [
                    { label: 'MTTA', data: report.perMonth.map((m) => m.mtta.medianMinutes ?? null), borderColor: second, backgroundColor: second, borderDash: [2, 3], pointStyle: 'triangle' },
                    { label: 'MTTR recovery', data: report.perMonth.map((m) => m.mttrRecovery.medianMinutes ?? null), borderColor: brand, backgroundColor: brand },
                    { label: 'MTTR repair', data: report.perMonth.map((m) => m.mttrRepair.medianMinutes ?? null), borderColor: ink, backgroundColor: ink, borderDash: [8, 4], pointStyle: 'rect' },
                  ],
                },
                options: { scales: axes, plugins: { legend } },
              })}
              table={
                <table>
                  <caption>{report.definitions.percentiles}</caption>
                  <thead><tr><th>Month</th><th>MTTA median / p90</th><th>MTTR recovery</th><th>MTTR repair</th></tr></thead>
                  <tbody>{report.perMonth.map((m) => <tr><td>{m.month}</td><td>{stat(m.mtta)}</td><td>{stat(m.mttrRecovery)}</td><td>{stat(m.mttrRepair)}</td></tr>)}</tbody>
                </table>
              }
            />
          </div>
          <h2>By severity</h2>
          <table data-testid="by-severity">
            <thead><tr><th>Severity</th><th>Incidents</th><th>MTTA</th><th>MTTR recovery</th><th>MTTR repair</th></tr></thead>
            <tbody>{report.bySeverity.map((s) => <tr><td>{s.severity}</td><td>{s.incidents}</td><td>{stat(s.mtta)}</td><td>{stat(s.mttrRecovery)}</td><td>{stat(s.mttrRepair)}</td></tr>)}</tbody>
          </table>
          <h2>By type</h2>
          <table data-testid="by-type">
            <thead><tr><th>Type</th><th>Incidents</th><th>MTTA</th><th>MTTR recovery</th><th>MTTR repair</th></tr></thead>
            <tbody>{report.byType.map((t) => <tr><td>{t.type}</td><td>{t.incidents}</td><td>{stat(t.mtta)}</td><td>{stat(t.mttrRecovery)}</td><td>{stat(t.mttrRepair)}</td></tr>)}</tbody>
          </table>
          <h2>By component</h2>
          <table>
            <thead><tr><th>Component</th><th>Incidents</th><th>MTTR repair</th></tr></thead>
            <tbody>{report.byComponent.map((c) => <tr><td>{c.component}</td><td>{c.incidents}</td><td>{stat(c.mttrRepair)}</td></tr>)}</tbody>
          </table>
          <h2>By contributing cause (from post-mortems)</h2>
          {report.byCauseType.length === 0 ? <p class="muted">No post-mortems with causes in this period.</p> : (
            <table>
              <thead><tr><th>Cause type</th><th>Incidents</th></tr></thead>
              <tbody>{report.byCauseType.map((c) => <tr><td>{c.type}</td><td>{c.incidents}</td></tr>)}</tbody>
            </table>
          )}
          <FollowUp followUp={report.followUp} definitions={report.definitions} />
          <h2>Definitions</h2>
          <dl class="definitions">
            {Object.entries(report.definitions).map(([k, v]) => (
              <>
                <dt>{LABELS[k] ?? k}</dt>
                <dd>{v}</dd>
              </>
            ))}
          </dl>
        </>
      )}
    </div>
  );
}
