/** Boots the metrics page (the static "Incident metrics" tab, and /tab/metrics in a browser). */
import { render } from 'preact';
import css from './tab.css';
import { detectHost } from './host.js';
import { Metrics } from './Metrics.js';
import { applyTheme } from './theme.js';

async function start() {
  const boot = JSON.parse(document.getElementById('boot')!.textContent!) as { mode: 'local' | 'real' };
  document.head.append(Object.assign(document.createElement('style'), { textContent: css }));
  const root = document.getElementById('root')!;
  root.replaceChildren();
  const host = await detectHost(boot.mode);
  if (!host) {
    applyTheme('default');
    return render(<div class="app"><h1>Open this tab in Microsoft Teams</h1><p role="alert">The metrics sign you in with your Teams account, so they only open inside Teams (or in local mode).</p></div>, root);
  }
  applyTheme(host.theme);
  const rerender = () => render(<Metrics host={host} theme={document.documentElement.dataset.theme ?? 'default'} />, root);
  host.onThemeChange((theme) => {
    applyTheme(theme);
    rerender(); // charts read their colours from the theme
  });
  rerender();
}

void start();
