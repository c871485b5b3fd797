/**
 * "My incidents": the incidents I hold a role in or follow, with severity, status, my role and
 * links (tab, channel, bridge); following can be stopped here. Refreshes every 15 s.
 */
import { useEffect, useState } from 'preact/hooks';
import { actionKey } from './api.js';
import type { Host } from './host.js';
import type { MyIncidentJson } from './types.js';

const REFRESH_MS = 15_000;

async function call<T>(host: Host, method: 'GET' | 'PUT', path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, { method, headers: { ...(await host.authHeaders()), ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const answer = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok && response.status !== 409) throw new Error(answer.error ?? `Request failed (${response.status})`);
  return answer;
}

export function MyIncidents({ host }: { host: Host }) {
  const [rows, setRows] = useState<MyIncidentJson[] | undefined>();
  const [who, setWho] = useState<{ name: string } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [said, setSaid] = useState<string | undefined>();

  const load = async () => {
    try {
      const answer = await call<{ identity: { name: string }; incidents: MyIncidentJson[] }>(host, 'GET', '/tab/api/me/incidents');
      setRows(answer.incidents);
      setWho(answer.identity);
      setProblem(undefined);
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const unfollow = async (row: MyIncidentJson) => {
    try {
      const answer = await call<{ message: string }>(host, 'PUT', `/tab/api/me/incidents/${row.id}/follow`, { follow: false, key: actionKey() });
      setSaid(answer.message);
      await load();
    } catch (error) {
      setProblem((error as Error).message);
    }
  };
  const link = (url: string, label: string) => (
    <a href={url} target="_blank" rel="noopener" onClick={(e) => (e.preventDefault(), host.openLink(url))}>
      {label}
    </a>
  );

  return (
    <div class="app mine">
      <header>
        {who && <p class="identity">{`Signed in as ${who.name}`}</p>}
        <h1>My incidents</h1>
        <p class="muted">Open incidents in which you hold a role or which you follow. Follow an incident from its card or the broadcast channel to get its updates in your chat with incident-room.</p>
      </header>
      {problem && <p role="alert" class="error">{problem}</p>}
      {said && <p role="status" class="notice">{said}</p>}
      {rows === undefined && !problem && <p class="muted">Loading…</p>}
      {rows?.length === 0 && <p data-testid="mine-empty">Nothing for you right now. 🎉</p>}
      {rows && rows.length > 0 && (
        <ul class="mine-list" data-testid="mine-list">
          {rows.map((row) => (
            <li key={row.id} class="mine-item">
              <p class="mine-title">
                <span class={`badge ${row.severity}`}>{row.severity} {row.severityLabel}</span> <strong>{row.label}</strong>: {row.title}
              </p>
              <p class="facts">
                <span class={`status ${row.status}`}>{row.status}</span>
                <span data-testid="mine-type">{row.type}</span>
                <span>{row.myRoles.length > 0 ? <>You: <strong>{row.myRoles.join(', ')}</strong></> : 'Following'}</span>
                {row.myRoles.length > 0 && row.following && <span class="muted">following</span>}
                <span class="muted">declared {new Date(row.declared).toLocaleString()}</span>
              </p>
              <p class="facts">
                {link(row.tabUrl, 'Open the incident')}
                {row.channelUrl && link(row.channelUrl, 'Channel')}
                {row.meetingUrl && link(row.meetingUrl, 'Join the bridge')}
                {row.following && (
                  <button type="button" class="secondary" onClick={() => void unfollow(row)}>
                    Stop following
                  </button>
                )}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
