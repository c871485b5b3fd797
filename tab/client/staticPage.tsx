/** Boots a personal (static) tab page: styles, the host (Teams, or local mode's sandbox), the theme, then the view. */
import { render, type VNode } from 'preact';
import { detectHost, type Host } from './host.js';
import { OutsideHost } from './OutsideHost.js';
import { applyTheme } from './theme.js';

export async function bootStaticPage(view: (host: Host) => VNode, what: string, rerenderOnTheme = false): Promise<void> {
  const boot = JSON.parse(document.getElementById('boot')!.textContent!) as { mode: 'local' | 'real' };
  const root = document.getElementById('root')!;
  root.replaceChildren();
  const host = await detectHost();
  if (!host) {
    applyTheme('default');
    return render(<OutsideHost mode={boot.mode} what={what} />, root);
  }
  applyTheme(host.theme);
  host.onThemeChange((theme) => {
    applyTheme(theme);
    if (rerenderOnTheme) render(view(host), root);
  });
  render(view(host), root);
}
