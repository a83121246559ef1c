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
    ['a console without a second factor', { CONSOLE_MFA_REQUIRED: 'false' }, 'CONSOLE_MFA_REQUIRED'],
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

describe('the console without a second factor in production', () => {
  it('requires the second factor by default', () => {
    expect(loadConfig(productionEnv()).console.mfaRequired).toBe(true);
  });

  it('refuses CONSOLE_MFA_REQUIRED=false, naming it and the ways out', () => {
    const refused = problemsOf(productionEnv({ CONSOLE_MFA_REQUIRED: 'false' }));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain('CONSOLE_MFA_REQUIRED=false is refused in production');
    expect(refused[0]).toContain('CONSOLE_ENABLED=false');
    expect(refused[0]).toContain('CONSOLE_MFA_OPTIONAL_IN_PRODUCTION=true');
  });

  it('still refuses it when the acknowledgement is set to false', () => {
    expect(problemsOf(productionEnv({ CONSOLE_MFA_REQUIRED: 'false', CONSOLE_MFA_OPTIONAL_IN_PRODUCTION: 'false' }))).toHaveLength(1);
  });

  it('starts when the operator acknowledges it, and warns at every start naming both variables', () => {
    const config = loadConfig(productionEnv({ CONSOLE_MFA_REQUIRED: 'false', CONSOLE_MFA_OPTIONAL_IN_PRODUCTION: 'true' }));
    expect(config.console.mfaRequired).toBe(false);
    expect(config.warnings).toEqual([
      'CONSOLE_MFA_REQUIRED is false in production (acknowledged by CONSOLE_MFA_OPTIONAL_IN_PRODUCTION=true): administrators sign in to the console without a second factor; unset both to require one.',
    ]);
  });

  it('says nothing when the console is off, or when the acknowledgement has nothing to acknowledge', () => {
    expect(loadConfig(productionEnv({ CONSOLE_ENABLED: 'false', CONSOLE_MFA_REQUIRED: 'false' })).warnings).toEqual([]);
    const acknowledgedOnly = loadConfig(productionEnv({ CONSOLE_MFA_OPTIONAL_IN_PRODUCTION: 'true' }));
    expect(acknowledgedOnly.console.mfaRequired).toBe(true);
    expect(acknowledgedOnly.warnings).toEqual([]);
  });

  it('is only a warning outside production, silenced by the acknowledgement', () => {
    const config = loadConfig({ NODE_ENV: 'development', CONSOLE_MFA_REQUIRED: 'false' });
    expect(config.console.mfaRequired).toBe(false);
    expect(config.warnings.filter((w) => w.startsWith('CONSOLE_MFA_'))).toEqual([
      'CONSOLE_MFA_REQUIRED is false, so administrators sign in to the console without a second factor; unset it or set CONSOLE_MFA_REQUIRED=true before production (refused there).',
    ]);
    const acknowledged = loadConfig({ NODE_ENV: 'development', CONSOLE_MFA_REQUIRED: 'false', CONSOLE_MFA_OPTIONAL_IN_PRODUCTION: 'true' });
    expect(acknowledged.warnings.filter((w) => w.startsWith('CONSOLE_MFA_'))).toEqual([]);
  });
});
