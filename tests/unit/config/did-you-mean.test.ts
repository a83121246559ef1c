/** A misspelt variable of one of our families warns with the nearest setting; other programs' variables stay silent. */
import { describe, expect, it } from 'vitest';
import { editDistance, misspeltVariables } from '../../../config/did-you-mean.js';
import { loadConfig } from '../../../config/loader.js';
import { settingNames } from '../../../config/schema.js';

const misspelt = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }).warnings.filter((w) => w.includes(' is not a setting'));

describe('did you mean', () => {
  it('names the nearest setting of a misspelt variable', () => {
    expect(misspelt({ SINGUP_ENABLED: 'true' })).toEqual(['SINGUP_ENABLED is not a setting; did you mean SIGNUP_ENABLED?']);
    expect(misspelt({ OUTBX_BATCH_SIZE: '20' })).toEqual(['OUTBX_BATCH_SIZE is not a setting; did you mean OUTBOX_BATCH_SIZE?']);
    expect(misspelt({ LOGIN_FAILURE_LIMT: '3' })).toEqual(['LOGIN_FAILURE_LIMT is not a setting; did you mean LOGIN_FAILURE_LIMIT?']);
    expect(misspelt({ REDIS_SENTINAL_NAME: 'primary' })).toEqual(['REDIS_SENTINAL_NAME is not a setting; did you mean REDIS_SENTINEL_NAME?']);
  });

  it('does not apply the misspelt value', () => {
    expect(loadConfig({ NODE_ENV: 'test', SINGUP_ENABLED: 'true' }).selfService.registration).toBe(false);
  });

  it('stays silent for settings and for variables of other programs', () => {
    const others = {
      PATH: '/usr/bin',
      HOME: '/root',
      HOSTNAME: 'box',
      TERM: 'xterm',
      CI: 'true',
      AWS_PROFILE: 'dev',
      AWS_ACCESS_KEY_ID: 'AKIA',
      AWS_SECRET_ACCESS_KEY: 'x',
      REDIS_PASSWORD: 'x',
      TEST_STORES: 'postgres,redis',
      CHROMIUM_PATH: '/usr/bin/chromium',
      npm_config_cache: '/tmp',
      HTTP_PROXY: 'http://proxy:3128',
      HTTPS_PROXY: 'http://proxy:3128',
      NO_PROXY: 'localhost',
      NODE_OPTIONS: '--enable-source-maps',
      DATABASE_PASSWORD: 'x',
      SIGNUP_ENABLED: 'true',
      PORT: '3000',
    };
    expect(misspelt(others)).toEqual([]);
  });

  it('needs a known family: a near name with an unknown first word is not ours', () => {
    expect(misspeltVariables({ XYZ_BATCH_SIZE: '1' }, settingNames)).toEqual([]);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions as one edit each', () => {
    expect(editDistance('SIGNUP', 'SIGNUP')).toBe(0);
    expect(editDistance('SINGUP', 'SIGNUP')).toBe(1);
    expect(editDistance('OUTBX', 'OUTBOX')).toBe(1);
    expect(editDistance('OUTBOXX', 'OUTBOX')).toBe(1);
    expect(editDistance('OUTBAX', 'OUTBOX')).toBe(1);
    expect(editDistance('', 'ABC')).toBe(3);
    expect(editDistance('KITTEN', 'SITTING')).toBe(3);
  });
});
