/** The settings added in this round: defaults, validation naming the variable, and their cross-field rules. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/loader.js';
import { problemsOf } from './problems-of.js';

const load = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', ...env });

describe('new settings: defaults', () => {
  it('have the documented defaults', () => {
    const config = load();
    expect(config.loginFailures).toEqual({ points: 10, windowSeconds: 900, lockoutWindowSeconds: 3600, perIpFactor: 10 });
    expect(config.selfService.perIpFactor).toBe(10);
    expect(config.brandName).toBe('localhost');
    expect(config.mfa.smsResendIntervalSeconds).toBe(30);
    expect(config.http).toEqual({ headersTimeoutSeconds: 10, requestTimeoutSeconds: 30, keepAliveTimeoutSeconds: 65 });
    expect(config.redisCommandTimeoutMs).toBe(1000);
    expect(config.redisSentinels).toEqual([]);
    expect(config.redisSentinelName).toBeUndefined();
    expect(config.outageRetryAfterSeconds).toBe(5);
  });

  it('take given values', () => {
    const config = load({
      LOCKOUT_WINDOW: '7200',
      LOGIN_FAILURE_IP_FACTOR: '20',
      SELF_SERVICE_IP_FACTOR: '3',
      BRAND_NAME: '  Example ID ',
      SMS_RESEND_INTERVAL: '60',
      HTTP_HEADERS_TIMEOUT: '5',
      HTTP_REQUEST_TIMEOUT: '5',
      HTTP_KEEP_ALIVE_TIMEOUT: '75',
      REDIS_COMMAND_TIMEOUT: '250',
      OUTAGE_RETRY_AFTER: '30',
    });
    expect(config.loginFailures).toMatchObject({ lockoutWindowSeconds: 7200, perIpFactor: 20 });
    expect(config.selfService.perIpFactor).toBe(3);
    expect(config.brandName).toBe('Example ID');
    expect(config.mfa.smsResendIntervalSeconds).toBe(60);
    expect(config.http).toEqual({ headersTimeoutSeconds: 5, requestTimeoutSeconds: 5, keepAliveTimeoutSeconds: 75 });
    expect(config.redisCommandTimeoutMs).toBe(250);
    expect(config.outageRetryAfterSeconds).toBe(30);
  });
});

describe('new settings: validation', () => {
  const refused: Array<[name: string, value: string, message: string]> = [
    ['LOCKOUT_WINDOW', '0', 'must be a number of seconds'],
    ['LOCKOUT_WINDOW', 'an hour', 'must be a number of seconds'],
    ['LOGIN_FAILURE_IP_FACTOR', '0', 'must be a whole number'],
    ['LOGIN_FAILURE_IP_FACTOR', '2.5', 'must be a whole number'],
    ['LOGIN_FAILURE_IP_FACTOR', '1001', 'must be at most 1000'],
    ['SELF_SERVICE_IP_FACTOR', '-1', 'must be a whole number'],
    ['SELF_SERVICE_IP_FACTOR', '5000', 'must be at most 1000'],
    ['BRAND_NAME', '   ', 'must not be blank'],
    ['BRAND_NAME', 'x'.repeat(65), 'must be at most 64 characters'],
    ['SMS_RESEND_INTERVAL', '0', 'must be a number of seconds'],
    ['SMS_RESEND_INTERVAL', '3601', 'must be at most 3600'],
    ['HTTP_HEADERS_TIMEOUT', '0', 'must be a number of seconds'],
    ['HTTP_HEADERS_TIMEOUT', '301', 'must be at most 300'],
    ['HTTP_REQUEST_TIMEOUT', 'soon', 'must be a number of seconds'],
    ['HTTP_KEEP_ALIVE_TIMEOUT', '3601', 'must be at most 3600'],
    ['REDIS_COMMAND_TIMEOUT', '0', 'must be a whole number'],
    ['REDIS_COMMAND_TIMEOUT', '60001', 'must be at most 60000'],
    ['REDIS_SENTINELS', 'sentinel', 'host:port'],
    ['REDIS_SENTINELS', 'sentinel:0', 'host:port'],
    ['REDIS_SENTINELS', 'sentinel:70000', 'host:port'],
    ['REDIS_SENTINELS', ',', 'at least one host:port'],
    ['REDIS_SENTINEL_NAME', 'my primary', 'must be 1-128 letters, digits or . _ -'],
    ['OUTAGE_RETRY_AFTER', '0', 'must be a number of seconds'],
    ['OUTAGE_RETRY_AFTER', '3601', 'must be at most 3600'],
  ];

  it.each(refused)('%s=%j is refused, naming the variable', (name, value, message) => {
    const problems = problemsOf({ NODE_ENV: 'test', REDIS_SENTINEL_NAME: 'primary', [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.startsWith(`${name} `)).toBe(true);
    expect(problems[0]).toContain(message);
  });

  it('parses REDIS_SENTINELS into host and port, IPv6 in brackets', () => {
    const config = load({ REDIS_SENTINELS: ' sentinel-1:26379, 10.0.0.2:26380 ,[::1]:26381', REDIS_SENTINEL_NAME: 'primary' });
    expect(config.redisSentinels).toEqual([
      { host: 'sentinel-1', port: 26379 },
      { host: '10.0.0.2', port: 26380 },
      { host: '::1', port: 26381 },
    ]);
    expect(config.redisSentinelName).toBe('primary');
  });

  it('names every malformed sentinel', () => {
    const [problem] = problemsOf({ NODE_ENV: 'test', REDIS_SENTINEL_NAME: 'primary', REDIS_SENTINELS: 'a:1,b,c:99999' });
    expect(problem).toContain('"b" is not');
    expect(problem).toContain('"c:99999" is not');
  });

  it('requires REDIS_SENTINEL_NAME with REDIS_SENTINELS', () => {
    expect(problemsOf({ NODE_ENV: 'test', REDIS_SENTINELS: 'sentinel:26379' })).toEqual([
      'REDIS_SENTINEL_NAME is required when REDIS_SENTINELS is set: the name of the primary the Sentinels monitor',
    ]);
  });

  it('refuses a headers timeout longer than the request timeout (Node would refuse to start)', () => {
    expect(problemsOf({ NODE_ENV: 'test', HTTP_HEADERS_TIMEOUT: '31' })).toEqual(['HTTP_HEADERS_TIMEOUT (31s) must not exceed HTTP_REQUEST_TIMEOUT (30s)']);
  });
});
