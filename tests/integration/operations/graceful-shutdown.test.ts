/**
 * Stopping drains: a request in flight (a sign-in spending a deliberately slow argon2
 * verification) finishes normally, new connections are refused at once, and stop() resolves
 * when the last request is done rather than at the end of SHUTDOWN_GRACE.
 */
import { once } from 'node:events';
import { get } from 'node:http';
import argon2 from 'argon2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, formAction, UserAgent } from '../../helpers/browser.js';
import { defaultSeed, startTestProvider, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { client, discover, pkcePair } from '../../helpers/rp.js';

const SLOW_USER = { username: 'slowpoke', password: 'a password that takes a while' };
const GRACE_SECONDS = 8;

let op: TestProvider;
beforeAll(async () => {
  // Verification cost is read from the stored hash: ~100 iterations make one login take about a
  // second here, without slowing down anything else.
  const slowHash = await argon2.hash(SLOW_USER.password, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 100, parallelism: 1 });
  const seed = defaultSeed() as { users: unknown[] };
  seed.users.push({ username: SLOW_USER.username, password_hash: slowHash });
  op = await startTestProvider({ seed, env: { SHUTDOWN_GRACE: String(GRACE_SECONDS) } });
});
afterAll(async () => {
  await op?.stop();
});

/** Tries a brand-new TCP connection (no pooled keep-alive socket). */
function freshConnection(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = get(`${url}/healthz`, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, refuses new connections, and returns once drained', async () => {
    const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
    const { challenge } = await pkcePair();
    const agent = new UserAgent(op.issuer);
    const { response } = await agent.follow(
      client.buildAuthorizationUrl(config, {
        redirect_uri: WEB_CLIENT.redirect_uri,
        scope: 'openid',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        state: client.randomState(),
      }),
    );
    const html = await response.text();
    const { server } = op.running;
    expect(await freshConnection(op.running.url)).toBe(200);

    const arrived = once(server, 'request');
    const started = Date.now();
    const login = agent.request(formAction(html, '/interaction/'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrfOf(html), login: SLOW_USER.username, password: SLOW_USER.password }),
    });
    await arrived;
    const stopping = op.running.stop();
    let stopped = false;
    void stopping.then(() => (stopped = true));

    expect(await freshConnection(op.running.url)).toBe('ECONNREFUSED');
    expect(stopped).toBe(false);

    const finished = await login;
    const loginMs = Date.now() - started;
    expect(finished.status).toBe(303);
    expect(finished.headers.get('location')).toContain('/auth/');

    await stopping;
    const stopMs = Date.now() - started;
    // The login really was slow enough to be caught in flight...
    expect(loginMs).toBeGreaterThan(300);
    // ...and stop() did not sit out the grace period once it was done.
    expect(stopMs).toBeLessThan(loginMs + 2_000);
    expect(stopMs).toBeLessThan(GRACE_SECONDS * 1000);
    expect(server.listening).toBe(false);
    await expect(fetch(`${op.running.url}/healthz`)).rejects.toThrow();
  });
});
