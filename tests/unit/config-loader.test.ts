/**
 * config/loader.ts: defaults, one message per invalid variable naming it, secrets never echoed,
 * production refusals, and the key-rotation overlap rule.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config/loader.js';
import { key32, productionEnv } from '../helpers/production-env.js';


function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected loadConfig to refuse this environment');
}

describe('defaults', () => {
  it('loads an empty environment as development with documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      host: '0.0.0.0',
      port: 3000,
      issuer: 'http://localhost:3000',
      trustProxy: false,
      databaseUrl: undefined,
      databasePoolMax: 10,
      dataDir: './data',
      redisUrl: undefined,
      redisKeyPrefix: 'oidc:',
      cookieKeys: undefined,
      keyEncryptionKey: undefined,
      seedFile: undefined,
      demoClients: true,
      bootstrapAdmin: true,
      logLevel: 'info',
      keyRotationOverlap: 172_800,
      keyRefreshInterval: 60,
      tokenRateLimit: { points: 600, windowSeconds: 60, authFailures: 30 },
      loginFailures: { points: 10, windowSeconds: 900 },
      argon2: { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
      purge: { intervalSeconds: 300, batchSize: 500 },
      shutdownGraceSeconds: 10,
    });
    expect(config.ttl).toEqual({
      accessToken: 3600,
      clientCredentials: 600,
      idToken: 3600,
      authorizationCode: 60,
      refreshToken: 1_209_600,
      session: 1_209_600,
      grant: 1_209_600,
      interaction: 3600,
    });
  });

  it('derives the development issuer from PORT and strips a trailing slash from ISSUER', () => {
    expect(loadConfig({ PORT: '4000' }).issuer).toBe('http://localhost:4000');
    expect(loadConfig({ ISSUER: 'http://id.localhost:4000/' }).issuer).toBe('http://id.localhost:4000');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '' })).toMatchObject({ port: 3000, logLevel: 'info' });
  });

  it('turns the demo clients on only in development unless told otherwise', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).demoClients).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test', DEMO_CLIENTS: 'yes' }).demoClients).toBe(true);
    expect(loadConfig({ DEMO_CLIENTS: '0' }).demoClients).toBe(false);
    expect(loadConfig(productionEnv()).demoClients).toBe(false);
  });

  it('parses lists, booleans and numbers', () => {
    const a = key32();
    const b = key32();
    const config = loadConfig({ COOKIE_KEYS: ` ${a}, ${b} ,`, TRUST_PROXY: '1', TOKEN_RATE_LIMIT: '3', TOKEN_RATE_LIMIT_WINDOW: '5' });
    expect(config.cookieKeys).toEqual([a, b]);
    expect(config.trustProxy).toBe(true);
    expect(config.tokenRateLimit).toEqual({ points: 3, windowSeconds: 5, authFailures: 30 });
  });
});

describe('invalid values', () => {
  const cases: Array<[name: string, value: string]> = [
    ['NODE_ENV', 'prod'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['ISSUER', 'ftp://id.example.com'],
    ['ISSUER', 'not a url'],
    ['ISSUER', 'https://id.example.com/?tenant=1'],
    ['ISSUER', 'https://id.example.com/#x'],
    ['TRUST_PROXY', 'maybe'],
    ['DATABASE_URL', 'mysql://db/oidc'],
    ['DATABASE_POOL_MAX', '0'],
    ['REDIS_URL', 'http://cache:6379'],
    ['COOKIE_KEYS', 'too-short'],
    ['KEY_ENCRYPTION_KEY', 'abc'],
    ['DEMO_CLIENTS', 'sure'],
    ['BOOTSTRAP_ADMIN', 'ok'],
    ['LOG_LEVEL', 'loud'],
    ['ACCESS_TOKEN_TTL', '-5'],
    ['CLIENT_CREDENTIALS_TTL', 'ten'],
    ['ID_TOKEN_TTL', '0'],
    ['AUTHORIZATION_CODE_TTL', '1.5'],
    ['REFRESH_TOKEN_TTL', 'x'],
    ['SESSION_TTL', '-1'],
    ['GRANT_TTL', 'forever'],
    ['INTERACTION_TTL', '0'],
    ['KEY_ROTATION_OVERLAP', 'two days'],
    ['KEY_REFRESH_INTERVAL', '0'],
    ['TOKEN_RATE_LIMIT', '1.5'],
    ['TOKEN_RATE_LIMIT_WINDOW', '-60'],
    ['ARGON2_MEMORY_KIB', 'lots'],
    ['ARGON2_TIME_COST', '0'],
    ['ARGON2_PARALLELISM', '-1'],
    ['PURGE_INTERVAL', 'hourly'],
    ['PURGE_BATCH_SIZE', '0'],
    ['SHUTDOWN_GRACE', 'soon'],
  ];

  it.each(cases)('%s=%j is refused with a message naming the variable', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.startsWith(`${name} `)).toBe(true);
  });

  it('reports every problem at once', () => {
    const error = (() => {
      try {
        loadConfig({ PORT: 'x', LOG_LEVEL: 'loud', TRUST_PROXY: 'maybe' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.problems.map((p) => p.split(' ')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'TRUST_PROXY']);
    expect(error.message).toContain('Invalid configuration');
    for (const name of ['PORT', 'LOG_LEVEL', 'TRUST_PROXY']) expect(error.message).toContain(name);
  });

  it('echoes an ordinary bad value so the operator sees what was read', () => {
    expect(problemsOf({ LOG_LEVEL: 'loud' })[0]).toContain('"loud"');
  });

  it('never echoes a secret value, only its length', () => {
    const secrets = {
      COOKIE_KEYS: `${'k'.repeat(40)},cookie-key-too-short-s3cr3t`,
      KEY_ENCRYPTION_KEY: 'kek-of-the-wrong-length-s3cr3t',
      DATABASE_URL: 'mysql://oidc:hunter2-db-password@db.internal/oidc',
      REDIS_URL: 'http://default:hunter3-redis-password@cache:6379',
    };
    const problems = problemsOf(secrets);
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(Object.keys(secrets).sort());
    const text = problems.join('\n');
    for (const [name, value] of Object.entries(secrets)) {
      expect(text).toContain(`${name} `);
      expect(text).not.toContain(value);
      expect(text).toContain(`<${value.length} characters>`);
    }
    for (const fragment of ['s3cr3t', 'hunter2', 'hunter3', 'k'.repeat(40)]) expect(text).not.toContain(fragment);
  });
});

describe('production', () => {
  it('accepts a complete, safe configuration', () => {
    const config = loadConfig(productionEnv());
    expect(config).toMatchObject({ env: 'production', issuer: 'https://id.example.com', trustProxy: true, demoClients: false });
  });

  const refusals: Array<[what: string, change: Record<string, string | undefined>, variable: string]> = [
    ['an http ISSUER', { ISSUER: 'http://id.example.com' }, 'ISSUER'],
    ['a missing ISSUER', { ISSUER: undefined }, 'ISSUER'],
    ['a missing TRUST_PROXY', { TRUST_PROXY: undefined }, 'TRUST_PROXY'],
    ['TRUST_PROXY=false', { TRUST_PROXY: 'false' }, 'TRUST_PROXY'],
    ['missing COOKIE_KEYS', { COOKIE_KEYS: undefined }, 'COOKIE_KEYS'],
    ['a missing KEY_ENCRYPTION_KEY', { KEY_ENCRYPTION_KEY: undefined }, 'KEY_ENCRYPTION_KEY'],
    ['the embedded database (no DATABASE_URL)', { DATABASE_URL: undefined }, 'DATABASE_URL'],
    ['DEMO_CLIENTS=true', { DEMO_CLIENTS: 'true' }, 'DEMO_CLIENTS'],
    ['sign-up without an email channel', { SMTP_URL: undefined, SIGNUP_ENABLED: 'true' }, 'Sign-up (SIGNUP_ENABLED)'],
    ['recovery on the log email channel', { EMAIL_PROVIDER: 'log', PASSWORD_RECOVERY_ENABLED: 'true' }, 'Password recovery (PASSWORD_RECOVERY_ENABLED)'],
    ['email verification without an email channel', { SMTP_URL: undefined, EMAIL_VERIFICATION_ENABLED: 'true' }, 'EMAIL_VERIFICATION_ENABLED=false'],
    ['new-device mail without an email channel', { SMTP_URL: undefined, NEW_DEVICE_EMAIL_ENABLED: 'true' }, 'New-device email (NEW_DEVICE_EMAIL_ENABLED)'],
    ['SMS codes without an SMS channel', { TWILIO_ACCOUNT_SID: undefined, MFA_SMS_ENABLED: 'true' }, 'SMS sign-in codes (MFA_SMS_ENABLED)'],
    ['phone verification on the log SMS channel', { SMS_PROVIDER: 'log', PHONE_VERIFICATION_ENABLED: 'true' }, 'Phone verification (PHONE_VERIFICATION_ENABLED)'],
  ];

  it.each(refusals)('refuses %s, naming the variable', (_what, change, variable) => {
    const env: Record<string, string | undefined> = { ...productionEnv(), ...change };
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(variable);
  });

  it('starts with only the required settings: no channel, so no feature that sends messages', () => {
    const { SMTP_URL: _s, EMAIL_FROM: _e, TWILIO_ACCOUNT_SID: _t, TWILIO_AUTH_TOKEN: _a, TWILIO_FROM: _f, ...required } = productionEnv();
    const config = loadConfig(required);
    expect(config.delivery.email.provider).toBe('log');
    expect(config.delivery.sms.provider).toBe('log');
    expect(config.features).toEqual({ signup: false, passwordRecovery: false, emailVerification: false, newDeviceEmail: false, phoneVerification: false, smsCodes: false });
  });

  it('needs no SMS channel for MFA by authenticator app (the issue: MFA_ENABLED=false was refused without SMS)', () => {
    expect(loadConfig(productionEnv({ MFA_ENABLED: 'false', MFA_SMS_ENABLED: 'true', TWILIO_ACCOUNT_SID: '' })).features.smsCodes).toBe(false);
    expect(loadConfig(productionEnv({ TWILIO_ACCOUNT_SID: '' })).features).toMatchObject({ smsCodes: false, phoneVerification: false, passwordRecovery: true });
  });

  it('turns every feature on where its channel is configured', () => {
    expect(loadConfig(productionEnv()).features).toEqual({ signup: false, passwordRecovery: true, emailVerification: true, newDeviceEmail: true, phoneVerification: true, smsCodes: true });
  });

  it('names every feature that needs the missing channel, in one refusal per channel', () => {
    const problems = problemsOf(productionEnv({ SMTP_URL: '', TWILIO_ACCOUNT_SID: '', PASSWORD_RECOVERY_ENABLED: 'true', SIGNUP_ENABLED: 'true', PHONE_VERIFICATION_ENABLED: 'true' }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe(
      'EMAIL_PROVIDER must be smtp or ses (set SMTP_URL or EMAIL_PROVIDER=ses) in production while Sign-up (SIGNUP_ENABLED), Password recovery (PASSWORD_RECOVERY_ENABLED) are on; or turn them off (SIGNUP_ENABLED=false, PASSWORD_RECOVERY_ENABLED=false)',
    );
    expect(problems[1]).toBe(
      'SMS_PROVIDER must be twilio or sns (set TWILIO_ACCOUNT_SID or SMS_PROVIDER=sns) in production while Phone verification (PHONE_VERIFICATION_ENABLED) is on; or turn it off (PHONE_VERIFICATION_ENABLED=false)',
    );
  });

  it('lists every missing setting of an empty production environment', () => {
    const text = problemsOf({ NODE_ENV: 'production' }).join('\n');
    for (const variable of ['ISSUER', 'TRUST_PROXY', 'COOKIE_KEYS', 'KEY_ENCRYPTION_KEY', 'DATABASE_URL']) expect(text).toContain(variable);
  });

  it('allows the same insecure settings outside production', () => {
    expect(() => loadConfig({ NODE_ENV: 'development', ISSUER: 'http://id.localhost', DEMO_CLIENTS: 'true' })).not.toThrow();
  });
});

describe('KEY_ROTATION_OVERLAP', () => {
  it('must exceed the access token lifetime', () => {
    const problems = problemsOf({ ACCESS_TOKEN_TTL: '7200', KEY_ROTATION_OVERLAP: '7200' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^KEY_ROTATION_OVERLAP \(7200s\) must exceed .*\(7200s\)/);
    expect(loadConfig({ ACCESS_TOKEN_TTL: '7200', KEY_ROTATION_OVERLAP: '7201' }).keyRotationOverlap).toBe(7201);
  });

  it('must exceed the ID token and client credentials lifetimes too', () => {
    expect(problemsOf({ ID_TOKEN_TTL: '90000', KEY_ROTATION_OVERLAP: '86400' })[0]).toContain('KEY_ROTATION_OVERLAP');
    expect(problemsOf({ CLIENT_CREDENTIALS_TTL: '90000', KEY_ROTATION_OVERLAP: '86400' })[0]).toContain('(90000s)');
  });

  it('does not count unsigned artifacts such as refresh tokens', () => {
    expect(() => loadConfig({ REFRESH_TOKEN_TTL: '9999999', KEY_ROTATION_OVERLAP: '7200' })).not.toThrow();
  });
});

describe('sign-in and message policy numbers', () => {
  it('defaults to the values that used to be hard-coded in the wiring', () => {
    const config = loadConfig({});
    expect(config.loginFailures).toMatchObject({ perIpFactor: 10, lockoutWindowSeconds: 3600 });
    expect(config.selfService.perIpFactor).toBe(10);
    expect(config.brandName).toBe('localhost');
  });

  it('reads LOCKOUT_WINDOW, LOGIN_FAILURE_IP_FACTOR, SELF_SERVICE_IP_FACTOR and BRAND_NAME', () => {
    const config = loadConfig({ LOCKOUT_WINDOW: '7200', LOGIN_FAILURE_IP_FACTOR: '4', SELF_SERVICE_IP_FACTOR: '3', BRAND_NAME: 'Acme ID' });
    expect(config.loginFailures).toMatchObject({ perIpFactor: 4, lockoutWindowSeconds: 7200 });
    expect(config.selfService.perIpFactor).toBe(3);
    expect(config.brandName).toBe('Acme ID');
  });

  it('refuses a factor or window that is not a positive whole number, naming the variable', () => {
    const problems = problemsOf({ LOCKOUT_WINDOW: '0', LOGIN_FAILURE_IP_FACTOR: 'ten', SELF_SERVICE_IP_FACTOR: '-1', BRAND_NAME: 'x'.repeat(65) });
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(['BRAND_NAME', 'LOCKOUT_WINDOW', 'LOGIN_FAILURE_IP_FACTOR', 'SELF_SERVICE_IP_FACTOR']);
  });
});
