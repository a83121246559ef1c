import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../config/loader.js';
import { productionEnv } from '../../helpers/production-env.js';

const production = productionEnv();

describe('self-service configuration', () => {
  it('has registration on in development and off in production unless asked for', () => {
    expect(loadConfig({}).selfService.registration).toBe(true);
    expect(loadConfig(production).selfService.registration).toBe(false);
    expect(loadConfig({ ...production, SIGNUP_ENABLED: 'true' }).selfService.registration).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).selfService.registration).toBe(false);
  });

  it('takes a minimum password length of 8 or more (NIST), 12 by default', () => {
    expect(loadConfig({}).selfService.passwordMinLength).toBe(12);
    expect(loadConfig({ PASSWORD_MIN_LENGTH: '15' }).selfService.passwordMinLength).toBe(15);
    expect(() => loadConfig({ PASSWORD_MIN_LENGTH: '6' })).toThrow(ConfigError);
    expect(() => loadConfig({ PASSWORD_MIN_LENGTH: '6' })).toThrow(/PASSWORD_MIN_LENGTH must be at least 8/);
  });
});
