/**
 * `npm start` on the embedded default, twice: the built server (`node dist/server/main.js`, a
 * clean environment, a fresh DATA_DIR) becomes ready on the first start (initdb, migrations,
 * keys, first-run admin), stops cleanly, and becomes ready again on the same directory — the
 * same database (same signing keys), no second first-run admin. How long each start takes is
 * measured by scripts/bench/start-time.ts, not asserted here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../../helpers/cli.js';
import { freePort } from '../../helpers/provider.js';
import { startServerProcess, type ServerProcess } from '../../helpers/server-process.js';

let dataDir = '';
const running: ServerProcess[] = [];

async function start(): Promise<{ server: ServerProcess; port: number }> {
  const port = await freePort();
  const server = startServerProcess({ HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir }, port);
  running.push(server);
  expect(await server.ready(180_000)).toBe('ready');
  return { server, port };
}

const kidsOf = async (port: number) => ((await (await fetch(`http://127.0.0.1:${port}/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys.map((key) => key.kid);

describe('the embedded default started twice', () => {
  beforeAll(async () => {
    await buildOnce();
    dataDir = mkdtempSync(join(tmpdir(), 'oidc-restart-'));
  }, 400_000);
  afterAll(async () => {
    await Promise.all(running.map((server) => server.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('becomes ready on a fresh data directory, then again on the same one', async () => {
    const first = await start();
    const kids = await kidsOf(first.port);
    expect(kids.length).toBeGreaterThan(0);
    expect(first.server.output()).toContain('First run: an administrator account was created');
    expect(await first.server.stop()).toBe(0);

    const second = await start();
    expect(await kidsOf(second.port)).toEqual(kids);
    expect(second.server.output()).not.toContain('First run');
    expect(await second.server.stop()).toBe(0);
  }, 400_000);
});
