/** Boots the tab: find the host (Teams or a browser), apply its theme, load the incident, render. */
import { render } from 'preact';
import css from './tab.css';
import { ApiError, createApi } from './api.js';
import { App } from './App.js';
import { detectHost } from './host.js';
import { OutsideHost } from './OutsideHost.js';
import { applyTheme } from './theme.js';
import { eventsQuery, FIRST_VIEW } from './timelineQuery.js';
import type { EventsPage, Overview } from './types.js';

interface Boot {
  readonly incidentId: string;
  readonly mode: 'local' | 'real';
}

function message(root: HTMLElement, title: string, detail: string) {
  render(
    <div class="app">
      <h1>{title}</h1>
      <p role="alert">{detail}</p>
    </div>,
    root,
  );
}

async function start() {
  const boot = JSON.parse(document.getElementById('boot')!.textContent!) as Boot;
  document.head.append(Object.assign(document.createElement('style'), { textContent: css }));
  const root = document.getElementById('root')!;
  root.replaceChildren(); // the server's "Loading…" line
  const host = await detectHost();
  if (!host) {
    applyTheme('default');
    return render(<OutsideHost mode={boot.mode} what="The incident tab" />, root);
  }
  applyTheme(host.theme);
  host.onThemeChange(applyTheme);
  const api = createApi(host, boot.incidentId);
  try {
    // The first timeline page travels alongside the overview rather than after it.
    const firstPage = api.get<EventsPage>(eventsQuery(FIRST_VIEW.order, FIRST_VIEW.filter));
    firstPage.catch(() => undefined); // the timeline reports its own failure when it reads the page
    const overview = await api.get<Overview>('');
    // The page lands with the overview (asked together): with it in hand the first render already
    // shows the rows, rather than a render, an effect and a second render. A failed page goes on
    // as the promise, for the timeline to report.
    const page = await firstPage.catch(() => undefined);
    render(<App api={api} host={host} overview={overview} firstPage={page ?? firstPage} />, root);
  } catch (error) {
    const status = error instanceof ApiError ? error.status : 0;
    message(root, status === 404 ? 'Incident not found' : status === 403 ? 'Not allowed' : 'Cannot load the incident', (error as Error).message);
  }
}

void start();
