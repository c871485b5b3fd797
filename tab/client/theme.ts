/**
 * Fluent design tokens (the ones Teams itself uses) as CSS custom properties, so the page looks
 * like Teams in light, dark and high contrast, and switches when Teams does.
 */
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/tokens';
import type { ThemeName } from './host.js';

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme } as const;

export function applyTheme(name: ThemeName): void {
  const root = document.documentElement;
  for (const [token, value] of Object.entries(THEMES[name])) root.style.setProperty(`--${token}`, String(value));
  root.dataset.theme = name;
  root.style.colorScheme = name === 'default' ? 'light' : 'dark';
}
