import { escapeHtml } from '../models/support/html.js';

/**
 * The incident tab's page: a shell with no incident data in it. Teams (or the sandbox, which
 * hosts it the same way) loads it without any credentials; the script then signs in (Teams SSO)
 * and fetches the incident from /tab/api.
 * The boot JSON is escaped so nothing in it can close the script element. The styles (tab/styles.ts)
 * are in the head, so the page is styled before its script has run.
 */
export function renderTabShell(
  boot: Readonly<Record<string, unknown>> & { mode: 'local' | 'real' },
  scripts: readonly string[],
  styles: string,
  title = 'Incident',
): string {
  const json = JSON.stringify(boot).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${styles}</style></head>
<body><div id="root"><p style="font-family:system-ui,sans-serif;padding:12px 20px">Loading…</p></div>
<script id="boot" type="application/json">${json}</script>
${scripts.map((src) => `<script src="${escapeHtml(src)}"></script>`).join('')}</body></html>`;
}

/** The configurable tab's setup page: Teams shows it when someone adds the tab by hand. */
export function renderConfigPage(baseUrl: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>incident-room tab</title></head>
<body style="font:14px 'Segoe UI',system-ui,sans-serif"><p>incident-room adds this tab to each incident channel by itself. Added here, it shows your incidents (those you hold a role in or follow), each linked to its own tab.</p>
<script src="/tab/vendor/teams.js"></script><script>
microsoftTeams.app.initialize().then(function () {
  microsoftTeams.pages.config.registerOnSaveHandler(function (save) {
    microsoftTeams.pages.config.setConfig({ entityId: 'incident-room', contentUrl: ${JSON.stringify(`${baseUrl}/tab`)}, websiteUrl: ${JSON.stringify(`${baseUrl}/tab`)}, suggestedDisplayName: 'Incidents' }).then(function () { save.notifySuccess(); });
  });
  microsoftTeams.pages.config.setValidityState(true);
});</script></body></html>`;
}
