/**
 * Settings production refuses warn outside production, naming the variable and what to set
 * (oidc-provider's mustChange); in production they stay refusals and do not warn.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/loader.js';
import { key32, productionEnv } from '../../helpers/production-env.js';
import { problemsOf } from './problems-of.js';

const mustChange = (env: Record<string, string | undefined>): string[] => loadConfig(env).warnings.filter((w) => w.endsWith('before production (refused there).'));

/** productionEnv, but in development: nothing left to change. */
const readyForProduction = (change: Record<string, string | undefined> = {}) => ({ ...productionEnv(), NODE_ENV: 'development', DEMO_CLIENTS: 'false', ...change });

describe('must-change warnings', () => {
  it('list everything an empty development environment must change, each naming its variable and what to set', () => {
    const warnings = mustChange({});
    expect(warnings.map((w) => w.split(' ')[0])).toEqual(['ISSUER', 'TRUST_PROXY', 'COOKIE_KEYS', 'KEY_ENCRYPTION_KEY', 'DATABASE_URL', 'DEMO_CLIENTS', 'EMAIL_PROVIDER', 'SMS_PROVIDER']);
    for (const warning of warnings) expect(warning).toMatch(/; set [A-Z_]+/);
    expect(warnings[0]).toBe('ISSUER is unset, so the issuer is http://localhost:3000; set ISSUER to the public https URL of this provider before production (refused there).');
  });

  it('are silent when the development environment is ready for production', () => {
    expect(loadConfig(readyForProduction()).warnings).toEqual([]);
  });

  const cases: Array<[what: string, change: Record<string, string | undefined>, variable: string]> = [
    ['an http ISSUER', { ISSUER: 'http://id.example.com' }, 'ISSUER'],
    ['a missing ISSUER', { ISSUER: undefined }, 'ISSUER'],
    ['TRUST_PROXY=false', { TRUST_PROXY: 'false' }, 'TRUST_PROXY'],
    ['missing COOKIE_KEYS', { COOKIE_KEYS: undefined }, 'COOKIE_KEYS'],
    ['a missing KEY_ENCRYPTION_KEY', { KEY_ENCRYPTION_KEY: undefined }, 'KEY_ENCRYPTION_KEY'],
    ['the embedded database', { DATABASE_URL: undefined }, 'DATABASE_URL'],
    ['DEMO_CLIENTS=true', { DEMO_CLIENTS: 'true' }, 'DEMO_CLIENTS'],
    // Production turns the features of a missing channel off unless they are switched on: these are.
    ['the log email channel', { EMAIL_PROVIDER: 'log', PASSWORD_RECOVERY_ENABLED: 'true' }, 'EMAIL_PROVIDER'],
    ['no SMS channel', { TWILIO_ACCOUNT_SID: undefined, PHONE_VERIFICATION_ENABLED: 'true' }, 'SMS_PROVIDER'],
    ['an open /metrics', { METRICS_ENABLED: 'true' }, 'METRICS_TOKEN'],
    ['http upstream issuers', { FEDERATION_ALLOW_HTTP_ISSUERS: 'true' }, 'FEDERATION_ALLOW_HTTP_ISSUERS'],
  ];

  /** Where the advice names another variable to set than the one warned about. */
  const SET: Record<string, string> = { EMAIL_PROVIDER: 'SMTP_URL', SMS_PROVIDER: 'TWILIO_ACCOUNT_SID' };

  it.each(cases)('warn in development about %s, and production refuses the same', (_what, change, variable) => {
    const warnings = mustChange(readyForProduction(change));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.startsWith(`${variable} `)).toBe(true);
    expect(warnings[0]).toContain(`set ${SET[variable] ?? variable}`);
    const refused = problemsOf({ ...readyForProduction(change), NODE_ENV: 'production' });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain(variable);
  });

  it('are never given in production', () => {
    expect(loadConfig(productionEnv({ METRICS_ENABLED: 'true', METRICS_TOKEN: key32() })).warnings).toEqual([]);
  });

  it('never show a secret', () => {
    const token = 'metrics-token-that-is-long-enough-123';
    const text = loadConfig(readyForProduction({ METRICS_TOKEN: token, TRUST_PROXY: 'false' })).warnings.join('\n');
    expect(text).toContain('TRUST_PROXY');
    expect(text).not.toContain(token);
  });
});
