/**
 * The CLI beside a running server on the embedded database: the server holds DATA_DIR, so the
 * real CLI refuses with a message saying what to do instead of opening PGlite a second time
 * (which corrupted the directory). The server keeps serving, and once it is stopped the CLI
 * works on intact data: `audit verify` passes, and a client it creates is then used by
 * openid-client against the restarted server.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Running } from '../../../server/start.js';
import { buildOnce, run } from '../../helpers/cli.js';
import { freePort, SERVICE_CLIENT } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';

const dir = mkdtempSync(join(tmpdir(), 'oidc-cli-embedded-'));
const env: Record<string, string> = { NODE_ENV: 'test', DATA_DIR: dir, LOG_LEVEL: 'silent' };
// Opening and migrating PGlite in a directory takes well over 30 s on a loaded two-core machine.
const cli = (args: string[], environment: Record<string, string>) => run(['bin/oidc-server.js', ...args], environment, { timeoutMs: 240_000 });
let running: Running | undefined;

async function start(): Promise<Running> {
  const port = await freePort();
  const seed = join(dir, 'seed.json');
  writeFileSync(seed, JSON.stringify({ clients: [{ client_id: SERVICE_CLIENT.client_id, client_secret: SERVICE_CLIENT.client_secret, grant_types: ['client_credentials'], redirect_uris: [] }] }));
  return startServer({ env: { ...env, HOST: '127.0.0.1', PORT: String(port), ISSUER: `http://127.0.0.1:${port}`, BOOTSTRAP_ADMIN: 'false', DEMO_CLIENTS: 'false', SEED_FILE: seed } });
}

// Generous: a build and a first PGlite start take minutes on a loaded two-core machine.
beforeAll(async () => {
  await buildOnce();
}, 400_000);
beforeAll(async () => {
  running = await start();
}, 200_000);

afterAll(async () => {
  await running?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the CLI and a running server on one embedded database', () => {
  it('refuses while the server runs, leaves it serving, and works on intact data once it is stopped', async () => {
    const refused = await cli(['clients', 'create', 'shop', '--redirect-uri', 'https://shop.example.com/cb'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/in use by another process \(pid \d+\).*stop it first.*DATABASE_URL/);
    expect(refused.stdout).toBe('');

    const op = running!;
    expect((await fetch(`${op.url}/healthz`)).status).toBe(200);
    const service = await discover(op.url, SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret);
    expect((await client.clientCredentialsGrant(service)).access_token).toBeTruthy();
    await op.container.compliance.trail.flush();

    await op.stop();
    running = undefined;
    const verified = await cli(['audit', 'verify'], env);
    expect(verified.code).toBe(0);
    const created = await cli(['clients', 'create', 'shop', '--redirect-uri', 'https://shop.example.com/cb', '--grant-type', 'client_credentials'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const secret = created.stdout.trim().split('\n').at(-1)!;

    running = await start();
    const shop = await discover(running.url, 'shop', secret);
    expect((await client.clientCredentialsGrant(shop)).access_token).toBeTruthy();
  }, 800_000);
});
