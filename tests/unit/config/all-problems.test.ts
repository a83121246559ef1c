/** One ConfigError lists every problem: per variable, cross-field and production rules together. */
import { describe, expect, it } from 'vitest';
import { productionEnv } from '../../helpers/production-env.js';
import { problemsOf } from './problems-of.js';

describe('every problem at once', () => {
  it('reports invalid values, broken cross-field rules and production refusals in one error', () => {
    const problems = problemsOf(
      productionEnv({
        PORT: 'x',
        LOG_LEVEL: 'loud',
        ROLES_CLAIM: 'access',
        PERMISSIONS_CLAIM: 'access',
        ACCESS_TOKEN_TTL: '7200',
        KEY_ROTATION_OVERLAP: '7200',
        HTTP_HEADERS_TIMEOUT: '40',
        REDIS_SENTINELS: 'sentinel:26379',
        CLIENT_REGISTRATION_ENABLED: 'true',
        DEMO_CLIENTS: 'true',
        TRUST_PROXY: 'false',
        EMAIL_PROVIDER: 'log',
        SIGNUP_ENABLED: 'true',
      }),
    );
    const starts = problems.map((p) => p.split(/[ :[]/)[0]).sort();
    expect(starts).toEqual([
      'CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS',
      'DEMO_CLIENTS',
      'EMAIL_PROVIDER',
      'HTTP_HEADERS_TIMEOUT',
      'KEY_ROTATION_OVERLAP',
      'LOG_LEVEL',
      'PORT',
      'REDIS_SENTINEL_NAME',
      'ROLES_CLAIM',
      'TRUST_PROXY',
    ]);
  });

  it('reports a cross-field rule even when an unrelated variable is invalid', () => {
    const problems = problemsOf({ PORT: '70000', ROLES_CLAIM: 'access', PERMISSIONS_CLAIM: 'access' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^PORT /);
    expect(problems[1]).toBe('ROLES_CLAIM and PERMISSIONS_CLAIM must differ (both are "access")');
  });

  it('does not repeat a refused variable through the rules about it', () => {
    // An unparsable ISSUER is not also "required" or "must be https" in production.
    expect(problemsOf(productionEnv({ ISSUER: 'not a url' }))).toEqual(['ISSUER must be a URL starting with http:// or https:// (got "not a url")']);
    // A refused lifetime does not also break the key-rotation rule it takes part in.
    expect(problemsOf({ ACCESS_TOKEN_TTL: 'forever', KEY_ROTATION_OVERLAP: '700' })).toEqual(['ACCESS_TOKEN_TTL must be a number of seconds (got "forever")']);
  });

  it('reports the missing-value problems of delivery and federation with the rest', () => {
    const problems = problemsOf({ NODE_ENV: 'test', EMAIL_PROVIDER: 'ses', GOOGLE_CLIENT_ID: 'gid', OUTBOX_RETRY_BASE: '60', OUTBOX_RETRY_CAP: '30', PORT: 'x' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'AWS_REGION is required when EMAIL_PROVIDER is ses',
        'EMAIL_FROM is required when EMAIL_PROVIDER is ses',
        'GOOGLE_CLIENT_SECRET is required when GOOGLE_CLIENT_ID is set',
        'OUTBOX_RETRY_CAP must not be shorter than OUTBOX_RETRY_BASE',
      ]),
    );
    expect(problems).toHaveLength(5);
  });
});
