import { incidentLabel, type Incident } from '../models/incident.js';
import { severityInfo } from '../models/severity.js';
import type { TimelineEvent } from '../models/timeline.js';

export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function describe(event: TimelineEvent): string {
  const p = event.payload as Record<string, unknown>;
  switch (event.kind) {
    case 'declared':
      return `declared ${p.severity}: ${p.title}`;
    case 'channel_created':
      return `channel ${p.name} ${p.adopted ? 'adopted after a restart' : 'created'}`;
    case 'meeting_created':
      return `meeting created (${p.via})`;
    case 'provisioning_failed':
      return `${p.step} failed: ${p.error}${p.hint ? ` (${p.hint})` : ''}`;
    default:
      return event.kind.replace(/_/g, ' ');
  }
}

/**
 * The incident tab, server-rendered: header and timeline. The interactive tab (live timeline,
 * checklist, post-mortem) grows from this page.
 */
export function renderTabPage(incident: Incident, events: readonly TimelineEvent[], identity: string): string {
  const severity = severityInfo[incident.severity];
  const rows = events
    .map((e) => `<tr><td><time datetime="${e.at.toISOString()}">${escapeHtml(e.at.toISOString().replace('T', ' ').slice(0, 19))} UTC</time></td><td>${escapeHtml(e.actor.name)}</td><td>${escapeHtml(describe(e))}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(incidentLabel(incident))}</title>
<style>body{font:14px "Segoe UI",system-ui,sans-serif;margin:1rem 1.5rem;color:#242424;background:#fff}
@media (prefers-color-scheme: dark){body{color:#fff;background:#1f1f1f}th{color:#ccc}}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:3px;font-weight:600;background:#c4314b;color:#fff}
.badge.P1{background:#e97548}.badge.P2{background:#5b5fc7}.badge.P3{background:#237b4b}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e0e0e0;vertical-align:top}
.who{color:#616161;font-size:12px}</style></head>
<body><p class="who">Signed in as ${escapeHtml(identity)}</p>
<h1><span class="badge ${incident.severity}">${incident.severity} ${escapeHtml(severity.label)}</span> ${escapeHtml(incidentLabel(incident))}: ${escapeHtml(incident.title)}</h1>
<p>Status: <strong>${escapeHtml(incident.status)}</strong> · Reporter: ${escapeHtml(incident.reporter.name)}${incident.meeting ? ` · <a href="${escapeHtml(incident.meeting.joinUrl)}" target="_blank" rel="noopener">Join the bridge</a>` : ''}</p>
<h2>Timeline</h2><table><thead><tr><th>When</th><th>Who</th><th>What</th></tr></thead><tbody>${rows}</tbody></table>
<script src="/tab/vendor/teams.js"></script><script>if (window.microsoftTeams) microsoftTeams.app.initialize().catch(function(){});</script>
</body></html>`;
}

/** The configurable tab's setup page: Teams shows it when someone adds the tab by hand. */
export function renderConfigPage(baseUrl: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>incident-room tab</title></head>
<body style="font:14px 'Segoe UI',system-ui,sans-serif"><p>incident-room adds this tab to each incident channel by itself. Adding it here shows the list of incidents.</p>
<script src="/tab/vendor/teams.js"></script><script>
microsoftTeams.app.initialize().then(function () {
  microsoftTeams.pages.config.registerOnSaveHandler(function (save) {
    microsoftTeams.pages.config.setConfig({ entityId: 'incident-room', contentUrl: ${JSON.stringify(`${baseUrl}/tab`)}, websiteUrl: ${JSON.stringify(`${baseUrl}/tab`)}, suggestedDisplayName: 'Incidents' }).then(function () { save.notifySuccess(); });
  });
  microsoftTeams.pages.config.setValidityState(true);
});</script></body></html>`;
}
