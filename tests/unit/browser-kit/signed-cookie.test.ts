/** Kit signed cookies: expiry inside the signature, every COOKIE_KEYS key accepted, forgeries absent. */
import { createHmac } from 'node:crypto';
import Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearCookie, readCookie, writeCookie, type CookieSpec } from '../../../server/http/browser/signed-cookie.js';
import { cookiesOf, serve, type Served } from './serve.js';

const SPEC: CookieSpec = { name: 'flow', path: '/', maxAgeMs: 60_000 };
const OTHER: CookieSpec = { name: 'other', path: '/', maxAgeMs: 60_000 };
const isFlow = (v: unknown) => (typeof v === 'object' && v !== null && 'id' in v && typeof v.id === 'string' ? { id: v.id } : undefined);

function routes() {
  const router = new Router();
  router.get('/write', (ctx) => {
    const expiresAt = typeof ctx.query.expires === 'string' ? Number(ctx.query.expires) : undefined;
    writeCookie(ctx, SPEC, { id: 'flow-1' }, expiresAt);
    ctx.body = 'written';
  });
  router.get('/read', (ctx) => { ctx.body = JSON.stringify(readCookie(ctx, SPEC, isFlow) ?? null); });
  router.get('/read-other', (ctx) => { ctx.body = JSON.stringify(readCookie(ctx, OTHER, isFlow) ?? null); });
  router.get('/clear', (ctx) => { clearCookie(ctx, SPEC); ctx.body = 'cleared'; });
  return router;
}

let current: Served;
let rotated: Served;
let unrelated: Served;
beforeAll(async () => {
  current = await serve(['old-key'], routes());
  rotated = await serve(['new-key', 'old-key'], routes());
  unrelated = await serve(['new-key'], routes());
});
afterAll(() => { current?.close(); rotated?.close(); unrelated?.close(); });

const get = (served: Served, path: string, cookie = '') => fetch(`${served.base}${path}`, { headers: { cookie } });
const read = async (served: Served, cookie: string, path = '/read') => JSON.parse(await (await get(served, path, cookie)).text()) as unknown;

describe('signed cookies', () => {
  it('write one HttpOnly, SameSite=Lax cookie (no .sig companion) with its expiry, and read it back', async () => {
    const response = await get(current, '/write');
    const [header, ...more] = response.headers.getSetCookie();
    expect(more).toEqual([]);
    expect(header).toMatch(/^flow=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; path=\/; expires=[^;]+; samesite=lax; httponly$/);
    const expires = new Date(/expires=([^;]+)/.exec(header!)![1]!).getTime();
    expect(Math.abs(expires - (Date.now() + 60_000))).toBeLessThan(5_000);
    expect(await read(current, cookiesOf(response))).toEqual({ id: 'flow-1' });
  });

  it('read an expired value as absent, even when the browser sends it anyway', async () => {
    const response = await get(current, `/write?expires=${Date.now() - 1000}`);
    expect(await read(current, cookiesOf(response))).toBeNull();
  });

  it('refuse a changed value or expiry: the expiry is signed with the value', async () => {
    const cookie = cookiesOf(await get(current, '/write'));
    const [payload, signature] = cookie.slice('flow='.length).split('.');
    const envelope = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { v: unknown; e: number };
    const extended = Buffer.from(JSON.stringify({ ...envelope, e: envelope.e + 365 * 86_400_000 })).toString('base64url');
    expect(await read(current, `flow=${extended}.${signature}`)).toBeNull();
    const other = Buffer.from(JSON.stringify({ ...envelope, v: { id: 'flow-2' } })).toString('base64url');
    expect(await read(current, `flow=${other}.${signature}`)).toBeNull();
    expect(await read(current, `flow=${payload}`)).toBeNull();
    expect(await read(current, 'flow=garbage.garbage')).toBeNull();
  });

  it('bind the value to the cookie name: a copy under another name is refused', async () => {
    const cookie = cookiesOf(await get(current, '/write'));
    expect(await read(current, cookie.replace(/^flow=/, 'other='), '/read-other')).toBeNull();
  });

  it('respect key rotation: an old key still verifies, new values use the first key, a dropped key does not', async () => {
    const old = cookiesOf(await get(current, '/write'));
    expect(await read(rotated, old)).toEqual({ id: 'flow-1' });
    expect(await read(unrelated, old)).toBeNull();
    const fresh = cookiesOf(await get(rotated, '/write'));
    const [payload, signature] = fresh.slice('flow='.length).split('.');
    expect(signature).toBe(createHmac('sha256', 'new-key').update(`flow=${payload}`).digest('base64url'));
    expect(await read(unrelated, fresh)).toEqual({ id: 'flow-1' });
  });

  it('clear the cookie', async () => {
    const [header] = (await get(current, '/clear')).headers.getSetCookie();
    expect(header).toMatch(/^flow=; path=\/; expires=Thu, 01 Jan 1970/);
  });
});
