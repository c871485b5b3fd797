/**
 * What a tab page says when opened outside its host (a plain browser): there is nobody to sign
 * the person in. Real mode: open it in Teams. Local mode: open it from the sandbox page, which
 * hosts the tab as Teams does.
 */
export function OutsideHost({ mode, what }: { mode: 'local' | 'real'; what: string }) {
  if (mode === 'local') {
    return (
      <div class="app">
        <h1>Open this tab from the sandbox</h1>
        <p role="alert">
          {what} signs you in as the person you act as in the sandbox, the local stand-in for Teams, so it only opens there. <a href="/">Open the sandbox</a> and
          pick the tab beside a channel (or beside your chat with incident-room).
        </p>
      </div>
    );
  }
  return (
    <div class="app">
      <h1>Open this tab in Microsoft Teams</h1>
      <p role="alert">{what} signs you in with your Teams account, so it only works inside Teams.</p>
    </div>
  );
}
