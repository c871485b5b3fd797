/** Boots the tab: find the host (Teams or a browser), apply its theme, load the incident, render. */
import { render } from 'preact';
import { ApiError, createApi } from './api.js';
import { App } from './App.js';
import { connectHost } from './host.js';
import { OutsideHost } from './OutsideHost.js';
import { applyTheme } from './theme.js';
import { eventsQuery, FIRST_PAGE, FIRST_VIEW } from './timelineQuery.js';
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
  const root = document.getElementById('root')!;
  root.replaceChildren(); // the server's "Loading…" line
  const connection = await connectHost();
  if (!connection) {
    applyTheme('default');
    return render(<OutsideHost mode={boot.mode} what="The incident tab" />, root);
  }
  // Asked for as soon as sign-in works, while the host's context (theme, frame) is still coming.
  const api = createApi(connection, boot.incidentId);
  // The first timeline page travels alongside the overview rather than after it.
  const firstPage = api.get<EventsPage>(eventsQuery(FIRST_VIEW.order, FIRST_VIEW.filter, undefined, FIRST_PAGE));
  firstPage.catch(() => undefined); // the timeline reports its own failure when it reads the page
  const overview = api.get<Overview>('');
  overview.catch(() => undefined); // reported below, once the host is known
  try {
    const host = await connection.host;
    applyTheme(host.theme);
    host.onThemeChange(applyTheme);
    // The page lands with the overview (asked together): with it in hand the first render already
    // shows the rows, rather than a render, an effect and a second render. A failed page goes on
    // as the promise, for the timeline to report.
    const [shown, page] = await Promise.all([overview, firstPage.catch(() => undefined)]);
    render(<App api={api} host={host} overview={shown} firstPage={page ?? firstPage} />, root);
  } catch (error) {
    if (!document.documentElement.dataset.theme) applyTheme('default'); // the host gave no context
    const status = error instanceof ApiError ? error.status : 0;
    message(root, status === 404 ? 'Incident not found' : status === 403 ? 'Not allowed' : 'Cannot load the incident', (error as Error).message);
  }
}

void start();
