/** At start the provider logs the configuration's warnings: misspelt variables and what to change before production. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider({ seed: false, env: { SINGUP_ENABLED: 'true' } });
});
afterAll(async () => {
  await op?.stop();
});

const warnings = () =>
  op.logs.flatMap((line) => {
    const entry: unknown = JSON.parse(line);
    return typeof entry === 'object' && entry !== null && 'level' in entry && 'msg' in entry && entry.level === 'warn' && typeof entry.msg === 'string' ? [entry.msg] : [];
  });

describe('configuration warnings at start', () => {
  it('name a misspelt variable with the nearest setting', () => {
    expect(warnings()).toContain('SINGUP_ENABLED is not a setting; did you mean SIGNUP_ENABLED?');
  });

  it('name the settings production would refuse, and what to set', () => {
    expect(warnings()).toContain('TRUST_PROXY is false; set TRUST_PROXY=true behind the TLS-terminating reverse proxy before production (refused there).');
    expect(warnings().some((w) => w.startsWith('ISSUER is an http URL; set ISSUER'))).toBe(true);
  });
});
