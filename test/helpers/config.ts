import { ConfigError, loadConfig } from '../../src/config.js';

/** What loadConfig refuses in `env`, one line per problem; empty when it is accepted. */
export function configProblems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}
