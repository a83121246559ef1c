/** The problems a refused environment reports (the test fails if it is accepted). */
import { expect } from 'vitest';
import { ConfigError, loadConfig } from '../../../config/loader.js';

export function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    if (error instanceof ConfigError) return error.problems;
  }
  throw new Error('expected loadConfig to refuse this environment');
}
