/**
 * The metrics view's follow-through section: how many post-mortem action items are done and how
 * fast, by incident type and by team, and the overdue ones (incident, item, owner, due, how late).
 * A private incident the reader may not see comes with its number only (the API leaves the rest out).
 */
import type { FollowUpReport, FollowUpStats, OverdueForViewer } from '../../models/metrics/followUpFigures.js';

const rate = (s: FollowUpStats) => (s.completionRate === undefined ? '—' : `${Math.round(s.completionRate * 100)} %`);
const days = (s: FollowUpStats) => (s.medianDaysToDone === undefined ? '—' : `${s.medianDaysToDone} d`);

function Breakdown({ label, rows, testId }: { label: string; rows: readonly ({ key: string } & FollowUpStats)[]; testId: string }) {
  return (
    <table data-testid={testId}>
      <thead><tr><th>{label}</th><th>Action items</th><th>Done</th><th>Completion</th><th>Median time to done</th></tr></thead>
      <tbody>{rows.map((r) => <tr><td>{r.key}</td><td>{r.items}</td><td>{r.done}</td><td>{rate(r)}</td><td>{days(r)}</td></tr>)}</tbody>
    </table>
  );
}

export function FollowUp({ followUp, definitions }: { followUp: FollowUpReport; definitions: Readonly<Record<string, string>> }) {
  const overdue = followUp.overdue as readonly OverdueForViewer[];
  return (
    <section aria-label="Follow-through" data-testid="follow-up">
      <h2>Follow-through (post-mortem action items)</h2>
      {followUp.items === 0 ? <p class="muted">No action items in the post-mortems of this period.</p> : (
        <>
          <div class="tiles">
            <div class="tile"><strong>{rate(followUp)}</strong> done<span class="muted"> · {followUp.done} of {followUp.items}</span></div>
            <div class="tile"><strong>{days(followUp)}</strong> median time to done<span class="muted"> · over {followUp.timed}</span></div>
            <div class="tile"><strong>{followUp.overdueTotal}</strong> overdue</div>
          </div>
          <p class="muted">{definitions.completionRate} {definitions.timeToDone}</p>
          <h3>By type</h3>
          <Breakdown label="Type" testId="follow-up-by-type" rows={followUp.byType.map((t) => ({ key: t.type, ...t }))} />
          <h3>By team</h3>
          <p class="muted">{definitions.byTeam}</p>
          <Breakdown label="Team" testId="follow-up-by-team" rows={followUp.byTeam.map((t) => ({ key: t.team, ...t }))} />
        </>
      )}
      <h3>Overdue action items</h3>
      {overdue.length === 0 ? <p class="muted">Nothing overdue.</p> : (
        <table data-testid="overdue-items">
          <caption>{definitions.overdueItems}{followUp.overdueTotal > overdue.length ? ` The ${overdue.length} most overdue of ${followUp.overdueTotal}.` : ''}</caption>
          <thead><tr><th>Incident</th><th>Action item</th><th>Owner</th><th>Due</th><th>Days overdue</th></tr></thead>
          <tbody>
            {overdue.map((o) => (
              <tr>
                <td>{o.incident}{o.title ? `: ${o.title}` : ''}</td>
                <td>{o.item || <span class="muted">(not shown)</span>}</td>
                <td>{o.owner || <span class="muted">—</span>}</td>
                <td>{o.due}</td>
                <td>{o.daysOverdue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
