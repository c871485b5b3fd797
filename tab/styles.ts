/**
 * The tab pages' styles, built once on the server and put in each page's head: the page is styled
 * before any script runs, and the scripts carry no design tokens (they were a quarter of the
 * incident tab's bundle, and setting ~460 custom properties one by one cost the first render).
 *
 * Only the Fluent tokens the client's code names are included, for light, dark and high contrast
 * (the ones Teams itself uses); the page switches by setting `data-theme` on its root.
 */
import { readdir, readFile } from 'node:fs/promises';
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/tokens';

const THEMES = [
  // Light is also the look before the host has said which theme it uses.
  { selector: ':root,:root[data-theme=default]', scheme: 'light', tokens: teamsLightTheme },
  { selector: ':root[data-theme=dark]', scheme: 'dark', tokens: teamsDarkTheme },
  { selector: ':root[data-theme=contrast]', scheme: 'dark', tokens: teamsHighContrastTheme },
] as const;

/** The token names a piece of client code mentions (as `var(--name)` in CSS, or by name to read one). */
export function tokensNamedIn(source: string): string[] {
  return Object.keys(teamsLightTheme).filter((name) => new RegExp(`\\b${name}\\b`).test(source));
}

/** The theme blocks for these tokens, then the client's own style sheet. */
export function themeCss(tokens: readonly string[]): string {
  return THEMES.map(({ selector, scheme, tokens: theme }) => {
    const values = theme as unknown as Record<string, string | number>;
    return `${selector}{color-scheme:${scheme};${tokens.map((name) => `--${name}:${values[name]}`).join(';')}}`;
  }).join('\n');
}

/** Reads the client's sources and style sheet (tab/client/) and builds the styles every tab page carries. */
export async function buildTabStyles(clientDir: URL): Promise<string> {
  const files = (await readdir(clientDir)).filter((name) => /\.(tsx?|css)$/.test(name));
  const sources = await Promise.all(files.map((name) => readFile(new URL(name, clientDir), 'utf8')));
  const sheet = await readFile(new URL('tab.css', clientDir), 'utf8');
  // The sheet is ours and the token values are colours and sizes: nothing here can close the style element.
  return `${themeCss(tokensNamedIn(sources.join('\n')))}\n${sheet}`;
}
