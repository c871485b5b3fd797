/**
 * A page of the sandbox that hosts one tab on its own, with the same host as the sandbox page:
 * the meeting side panel (`?frame=sidePanel`, the narrow panel beside a call), or any tab of this
 * app full-window. Which tab, as whom and in which theme come from the query (tabHostClient.ts).
 */
const STYLES = `
:root{--bg:#f5f5f5;--panel:#fff;--text:#242424;--line:#e1dfdd;--banner:#fff4ce;--bannerText:#3d2f00}
body.dark{--bg:#1f1f1f;--panel:#292929;--text:#fff;--line:#3d3d3d;--banner:#463100;--bannerText:#fff4ce}
*{box-sizing:border-box}
body{margin:0;font:13px 'Segoe UI','Noto Sans','DejaVu Sans',system-ui,sans-serif;background:var(--bg);color:var(--text);height:100vh;display:flex;flex-direction:column}
.banner{background:var(--banner);color:var(--bannerText);padding:.3rem .6rem;display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
.banner strong{margin-right:auto;font-weight:600}
select,button{font:inherit;color:inherit;background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:.15rem .4rem}
iframe{flex:1;border:0;background:var(--panel);width:100%}
p.problem{padding:1rem}
`;

export function renderTabHostPage(frame: 'content' | 'sidePanel'): string {
  const what = frame === 'sidePanel' ? 'meeting side panel' : 'tab, on its own';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>incident-room ${what} (local simulation)</title><style>${STYLES}</style></head>
<body>
<div class="banner" role="banner"><strong>Local simulation of Teams: the ${what}</strong>
<label>Act as <select id="as" aria-label="Act as"></select></label>
<button id="theme" type="button" aria-pressed="false">Dark theme</button></div>
<iframe id="tab" title="incident-room tab"></iframe>
<script src="/sandbox/tab-host.js"></script>
</body></html>`;
}
