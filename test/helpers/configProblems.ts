import { ConfigError, loadConfig } from '../../config.js';

/** What loadConfig says is wrong with these settings (none when they load). */
export function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}
