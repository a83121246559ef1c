/** CSRF tokens: HMAC-SHA256 over this browser's signed secret, bound to the interaction, salted per token. */
import Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCsrf, csrfToken } from '../../../server/http/browser/csrf.js';
import { cookiesOf, serve, type Served } from './serve.js';

let served: Served;
beforeAll(async () => {
  const router = new Router();
  router.get('/interaction/:uid', (ctx) => { ctx.body = csrfToken(ctx); });
  router.get('/account', (ctx) => { ctx.body = csrfToken(ctx); });
  router.post('/interaction/:uid/check', (ctx) => { assertCsrf(ctx, ctx.query.token); ctx.body = 'ok'; });
  router.post('/account/check', (ctx) => { assertCsrf(ctx, ctx.query.token); ctx.body = 'ok'; });
  served = await serve(['csrf-test-key-one'], router);
});
afterAll(() => served?.close());

async function issue(path: string, cookie?: string) {
  const response = await fetch(`${served.base}${path}`, { headers: cookie ? { cookie } : {} });
  return { token: await response.text(), cookie: cookie ?? cookiesOf(response) };
}

const check = (path: string, token: string, cookie: string) =>
  fetch(`${served.base}${path}?${new URLSearchParams({ token })}`, { method: 'POST', headers: { cookie } }).then(async (r) => ({ status: r.status, body: await r.text() }));

describe('csrf', () => {
  it('accepts a token of this browser for the interaction it was issued for', async () => {
    const { token, cookie } = await issue('/interaction/abc');
    expect(cookie).toMatch(/csrf_secret=.*csrf_secret\.sig=/);
    expect(await check('/interaction/abc/check', token, cookie)).toEqual({ status: 200, body: 'ok' });
    const account = await issue('/account', cookie);
    expect(await check('/account/check', account.token, cookie)).toEqual({ status: 200, body: 'ok' });
  });

  it('salts every token: two pages never carry the same string, both verify', async () => {
    const first = await issue('/interaction/abc');
    const second = await issue('/interaction/abc', first.cookie);
    expect(second.token).not.toBe(first.token);
    expect((await check('/interaction/abc/check', second.token, first.cookie)).status).toBe(200);
    expect((await check('/interaction/abc/check', first.token, first.cookie)).status).toBe(200);
  });

  it('refuses a token of another interaction, of the account app, or of another browser', async () => {
    const mine = await issue('/interaction/abc');
    expect(await check('/interaction/xyz/check', mine.token, mine.cookie)).toEqual({ status: 403, body: 'csrf_failed' });
    const account = await issue('/account', mine.cookie);
    expect((await check('/interaction/abc/check', account.token, mine.cookie)).status).toBe(403);
    const theirs = await issue('/interaction/abc');
    expect((await check('/interaction/abc/check', theirs.token, mine.cookie)).status).toBe(403);
  });

  it('refuses a missing, malformed, tampered token and a missing or forged secret', async () => {
    const { token, cookie } = await issue('/interaction/abc');
    const [salt, mac] = token.split('.');
    for (const bad of ['', 'x', `${salt}.`, `.${mac}`, `${salt}.${mac}.extra`, `${salt}x.${mac}`, `${salt}.${mac!.slice(0, -2)}AA`]) {
      expect((await check('/interaction/abc/check', bad, cookie)).status, bad).toBe(403);
    }
    expect((await check('/interaction/abc/check', token, '')).status).toBe(403);
    const forged = cookie.replace(/csrf_secret=[^;]+/, 'csrf_secret=attacker-chosen-secret');
    expect((await check('/interaction/abc/check', token, forged)).status).toBe(403);
  });
});
