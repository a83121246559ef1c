/** The interaction routes parse form bodies of their own POSTs only, never the provider's. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionRoutes, type InteractionDeps } from '../../interactions/index.js';

let server: ReturnType<Koa['listen']>;
let base: string;
const seen: Array<{ path: string; readable: boolean; parsed: boolean }> = [];

beforeAll(async () => {
  const app = new Koa({ keys: ['a-test-key-that-is-long-enough-for-keygrip'] });
  const routes = interactionRoutes({} as InteractionDeps);
  app.use(routes.routes());
  app.use((ctx) => {
    seen.push({ path: ctx.path, readable: ctx.req.readable, parsed: (ctx.request as { body?: unknown }).body !== undefined });
    ctx.body = 'downstream';
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.close();
});

describe('interaction routes', () => {
  it.each(['/token', '/token/introspection', '/token/revocation', '/session/end/confirm'])(
    'leave the body of POST %s unread for oidc-provider',
    async (path) => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(await response.text()).toBe('downstream');
      expect(seen.at(-1)).toEqual({ path, readable: true, parsed: false });
    },
  );
});
