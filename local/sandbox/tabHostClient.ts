/**
 * The single-tab host page in the browser (see tabHostPage.ts): frames the tab named by `?url=`
 * (a page of this app under /tab/) and hosts it with the sandbox's TeamsHost, as the person in
 * "Act as" (`?as=` or the sandbox's last choice) and in the sandbox's theme (`?theme=`); a deep
 * link to the tab names the part it opens on (`?subEntityId=`).
 */
import { sandboxTeamsHost } from './sandboxHost.js';
import type { HostedPerson, HostTheme } from './teamsHost.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

async function start(): Promise<void> {
  const query = new URLSearchParams(location.search);
  const url = query.get('url') ?? '';
  const frame = $<HTMLIFrameElement>('tab');
  const asked = query.get('theme');
  let theme: HostTheme = asked === 'dark' || asked === 'contrast' ? asked : asked === null && localStorage.getItem('sandbox.theme') === 'dark' ? 'dark' : 'default';
  const state = (await (await fetch('/sandbox/api/state')).json()) as { people: HostedPerson[] };
  let as = query.get('as') ?? localStorage.getItem('sandbox.as') ?? '';
  const person = () => state.people.find((p) => p.id === as) ?? state.people[0];
  const host = sandboxTeamsHost({
    frame: () => frame,
    person,
    theme: () => theme,
    place: () => ({ entityId: query.get('entity') ?? 'incident-room', frameContext: query.get('frame') === 'sidePanel' ? 'sidePanel' : 'content', channel: query.get('channel') ? { id: query.get('channel')!, name: query.get('channelName') ?? '' } : undefined, subEntityId: query.get('subEntityId') ?? undefined }),
  });
  host.listen();

  const showTheme = () => {
    document.body.classList.toggle('dark', theme !== 'default');
    $('theme').textContent = theme === 'default' ? 'Dark theme' : 'Light theme';
    $('theme').setAttribute('aria-pressed', String(theme !== 'default'));
  };
  showTheme();
  $('theme').addEventListener('click', () => {
    theme = theme === 'dark' ? 'default' : 'dark';
    showTheme();
    host.themeChanged();
  });
  const select = $<HTMLSelectElement>('as');
  select.replaceChildren(...state.people.map((p) => new Option(p.name, p.id)));
  select.value = person()?.id ?? '';
  select.addEventListener('change', () => {
    as = select.value;
    // Someone else signed in: the tab starts again as them, as Teams reloads it.
    frame.contentWindow?.location.reload();
  });
  if (!url.startsWith('/tab/')) {
    frame.replaceWith(Object.assign(document.createElement('p'), { className: 'problem', textContent: 'This page hosts a tab of this app: open it with ?url=/tab/…' }));
    return;
  }
  frame.src = url;
}

void start();
