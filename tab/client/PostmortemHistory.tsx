/** The post-mortem's saved versions: every one stays, and an older one can be copied back into the form. */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from './api.js';
import { shortTime } from './format.js';
import type { PostmortemJson } from './types.js';

interface VersionLine {
  readonly version: number;
  readonly savedAt: string;
  readonly savedBy: string;
  readonly published: boolean;
}

/** Every saved version stays; an older one can be copied back into the form and saved on top. */
export function History({ api, head, locked, onCopy }: { api: Api; head: number; locked: boolean; onCopy: (older: PostmortemJson) => void }) {
  const [versions, setVersions] = useState<readonly VersionLine[] | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const load = () => api.get<{ versions: VersionLine[] }>('/postmortem/versions').then((answer) => setVersions(answer.versions), (e: Error) => setProblem(e.message));
  useEffect(() => void (versions && load()), [head]);
  const copy = async (version: number) => {
    try {
      onCopy(await api.get<PostmortemJson>(`/postmortem/versions/${version}`));
    } catch (e) {
      setProblem((e as Error).message);
    }
  };
  return (
    <details class="history" onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && !versions && void load()}>
      <summary>Saved versions ({head})</summary>
      {problem && <p role="alert" class="error">{problem}</p>}
      {!versions && !problem && <p class="muted">Loading…</p>}
      <ol reversed data-testid="pm-versions">
        {versions?.map((v) => (
          <li key={v.version}>
            Version {v.version} · {v.savedBy} · {shortTime(v.savedAt)}
            {v.published && <strong> · published</strong>}{' '}
            {v.version !== head && (
              <button type="button" class="secondary" disabled={locked} onClick={() => void copy(v.version)}>
                Copy version {v.version} into the form
              </button>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}
