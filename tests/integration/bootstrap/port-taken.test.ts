/** A first start that cannot listen must not consume the first run: the admin comes with the start that works. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../adapters/logging/pino-logger.js';
import { startServer } from '../../../server/start.js';
import { freePort } from '../../helpers/provider.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../../helpers/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'oidc-port-test-'));
let database: TestDatabase | undefined;
let blocker: Server | undefined;

afterAll(async () => {
  blocker?.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('first start on a port that is taken', () => {
  it('fails without creating the admin; the next start creates it and shows its password', async () => {
    if (postgresUrl) database = await createTestDatabase('postgres');
    const port = await freePort();
    blocker = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => blocker!.once('listening', resolve));
    const env = {
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dir,
      COOKIE_KEYS: randomBytes(32).toString('base64url'),
      KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      BOOTSTRAP_ADMIN: 'true',
      DEMO_CLIENTS: 'false',
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
    };
    const logger = createLogger('silent');
    await expect(startServer({ env, logger })).rejects.toMatchObject({ code: 'EADDRINUSE' });

    await new Promise((resolve) => blocker!.close(resolve));
    blocker = undefined;
    const running = await startServer({ env, logger });
    try {
      expect(running.firstRun.admin?.username).toBe('admin');
      expect(running.firstRun.admin?.password).toBeTruthy();
    } finally {
      await running.stop();
    }
  });
});
