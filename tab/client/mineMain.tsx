/** Boots the "My incidents" page (the personal static tab, and /tab/mine in a browser). */
import { render } from 'preact';
import css from './tab.css';
import { detectHost } from './host.js';
import { MyIncidents } from './MyIncidents.js';
import { applyTheme } from './theme.js';

async function start() {
  const boot = JSON.parse(document.getElementById('boot')!.textContent!) as { mode: 'local' | 'real' };
  document.head.append(Object.assign(document.createElement('style'), { textContent: css }));
  const root = document.getElementById('root')!;
  root.replaceChildren();
  const host = await detectHost(boot.mode);
  if (!host) {
    applyTheme('default');
    return render(<div class="app"><h1>Open this tab in Microsoft Teams</h1><p role="alert">Your incidents are shown for your Teams account, so this page only opens inside Teams (or in local mode).</p></div>, root);
  }
  applyTheme(host.theme);
  host.onThemeChange(applyTheme);
  render(<MyIncidents host={host} />, root);
}

void start();
