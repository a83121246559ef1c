/**
 * The CLI takes high-security metadata: `clients create --require-par --dpop`, and a FAPI 2.0
 * definition by --file, refused with the field named when it misses the profile.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildOnce, cli } from '../../helpers/cli.js';
import { createTestDatabase, describeWith, postgresUrl, type TestDatabase } from '../../helpers/stores.js';
import { clientKey } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'oidc-cli-high-security-'));
let db: TestDatabase;
let env: Record<string, string>;

beforeAll(async () => {
  const build = await buildOnce();
  expect(build.stdout + build.stderr).toBe('');
  if (!postgresUrl) return;
  db = await createTestDatabase('postgres');
  env = { NODE_ENV: 'test', DATA_DIR: dir, DATABASE_URL: db.url!, KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'), COOKIE_KEYS: randomBytes(32).toString('base64url'), LOG_LEVEL: 'silent' };
}, 300_000);
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describeWith('postgres')('clients create with high-security metadata', () => {
  it('--require-par and --dpop are stored on the client', async () => {
    const created = await cli(['clients', 'create', 'par-dpop', '--redirect-uri', 'https://app.example.com/cb', '--require-par', '--dpop'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const listed = JSON.parse((await cli(['clients', 'list', '--json'], env)).stdout) as Array<Record<string, unknown>>;
    expect(listed.find((c) => c.client_id === 'par-dpop')).toMatchObject({ require_pushed_authorization_requests: true, dpop_bound_access_tokens: true });
  });

  it('a FAPI 2.0 definition by --file: refused naming the field, accepted when complete', async () => {
    const key = await clientKey('ES256');
    const definition = {
      client_id: 'bank',
      fapi_profile: 'fapi2-security',
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [key.jwk] },
      dpop_bound_access_tokens: true,
      id_token_signed_response_alg: 'ES256',
      grant_types: ['authorization_code'],
      redirect_uris: ['https://bank.example.com/cb'],
    };
    const file = join(dir, 'bank.json');
    writeFileSync(file, JSON.stringify(definition));
    const refused = await cli(['clients', 'create', '--file', file], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('clients[0] ("bank").require_pushed_authorization_requests: must be true: authorization requests are pushed (fapi2-security)');
    writeFileSync(file, JSON.stringify({ ...definition, require_pushed_authorization_requests: true }));
    const created = await cli(['clients', 'create', '--file', file], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).not.toContain('Client secret');
  });
});
