/**
 * Which view the tab opens on. A link can ask for one: a Teams deep link's `subEntityId`, which
 * the tab reads as `page.subPageId` of its context (Teams, and the sandbox hosting it locally);
 * the page's `view` parameter (the deep link's fallback webUrl); a view picked earlier in this
 * page is kept in its #hash, and wins over the link.
 */
export function startView(views: readonly string[], subPageId: string | undefined): string | undefined {
  const wanted = [location.hash.slice(1), subPageId ?? '', new URLSearchParams(location.search).get('view') ?? ''];
  return wanted.find((view) => views.includes(view));
}
