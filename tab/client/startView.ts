/**
 * Which view the tab opens on. A link can ask for one: a Teams deep link's `subEntityId`, which
 * the tab reads as `page.subPageId` of its context (Teams, and the sandbox hosting it locally);
 * the page's `view` parameter (the deep link's fallback webUrl); a view picked earlier in this
 * page is kept in its #hash.
 */
export function viewFromPage(views: readonly string[]): string | undefined {
  const wanted = [location.hash.slice(1), new URLSearchParams(location.search).get('view') ?? ''];
  return wanted.find((view) => views.includes(view));
}

/** The sub-entity the host opened the tab with, if any (teams-js is initialised before the app renders). */
export async function viewFromHost(views: readonly string[]): Promise<string | undefined> {
  if (!window.microsoftTeams) return undefined;
  const context = await window.microsoftTeams.app.getContext().catch(() => undefined);
  const wanted = context?.page.subPageId ?? '';
  return views.includes(wanted) ? wanted : undefined;
}
