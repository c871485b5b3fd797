/** Boots a personal (static) tab page: styles, the host (Teams or browser), the theme, then the view. */
import { render, type VNode } from 'preact';
import css from './tab.css';
import { detectHost, type Host } from './host.js';
import { applyTheme } from './theme.js';

export async function bootStaticPage(view: (host: Host) => VNode, outsideTeams: string, rerenderOnTheme = false): Promise<void> {
  const boot = JSON.parse(document.getElementById('boot')!.textContent!) as { mode: 'local' | 'real' };
  document.head.append(Object.assign(document.createElement('style'), { textContent: css }));
  const root = document.getElementById('root')!;
  root.replaceChildren();
  const host = await detectHost(boot.mode);
  if (!host) {
    applyTheme('default');
    return render(<div class="app"><h1>Open this tab in Microsoft Teams</h1><p role="alert">{outsideTeams}</p></div>, root);
  }
  applyTheme(host.theme);
  host.onThemeChange((theme) => {
    applyTheme(theme);
    if (rerenderOnTheme) render(view(host), root);
  });
  render(view(host), root);
}
