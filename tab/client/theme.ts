/**
 * The page's look follows Teams: light, dark or high contrast. The styles for all three are in
 * the page's head (tab/styles.ts, built on the server from Fluent's tokens, the ones Teams itself
 * uses); switching is naming the theme on the root element.
 */
import type { ThemeName } from './host.js';

export function applyTheme(name: ThemeName): void {
  document.documentElement.dataset.theme = name;
}
