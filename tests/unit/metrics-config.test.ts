/** METRICS_ENABLED / METRICS_TOKEN: production refuses an unauthenticated /metrics, naming the variable; the token is never echoed. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/loader.js';
import { key32, productionEnv } from '../helpers/production-env.js';

const production = (extra: Record<string, string>) => productionEnv(extra);

describe('metrics settings', () => {
  it('are off by default', () => {
    expect(loadConfig(production({})).metrics).toEqual({ enabled: false, token: undefined });
  });

  it('refuse METRICS_ENABLED without METRICS_TOKEN in production', () => {
    expect(() => loadConfig(production({ METRICS_ENABLED: 'true' }))).toThrow(ConfigError);
    expect(() => loadConfig(production({ METRICS_ENABLED: 'true' }))).toThrow(/METRICS_TOKEN is required in production when METRICS_ENABLED is true/);
    const token = key32();
    expect(loadConfig(production({ METRICS_ENABLED: 'true', METRICS_TOKEN: token })).metrics).toEqual({ enabled: true, token });
  });

  it('refuse a short token without echoing it', () => {
    try {
      loadConfig(production({ METRICS_ENABLED: 'true', METRICS_TOKEN: 'short-secret' }));
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as Error).message).toContain('METRICS_TOKEN must be at least 32 characters');
      expect((error as Error).message).not.toContain('short-secret');
    }
  });

  it('allow an open /metrics outside production', () => {
    expect(loadConfig({ NODE_ENV: 'development', METRICS_ENABLED: 'true' }).metrics).toEqual({ enabled: true, token: undefined });
  });
});
