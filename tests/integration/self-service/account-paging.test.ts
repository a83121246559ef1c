/**
 * /account is paged (issue 11, defect 12): with 60 sessions and 60 apps, each list shows 20 rows,
 * newest first, with next/previous links that walk every row exactly once and keep the other
 * list's page; a revocation returns to the same page; a forged cursor is a 400 page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { WEB_CLIENT } from '../../helpers/provider.js';
import { page, post, signInToAccount, startWorld, type SelfServiceWorld } from './support.js';

let world: SelfServiceWorld;
let agent: UserAgent;
let first: string;
const ROWS = 60;

beforeAll(async () => {
  world = await startWorld();
  const { createUser } = await import('../../../server/modules/users/index.js');
  const c = world.op.running.container;
  const user = await createUser(c, { username: 'many-things', email: 'many-things@example.com', emailVerified: true, password: 'a long and private passphrase', profile: {} });
  const now = Math.floor(Date.now() / 1000);
  const expires = new Date(Date.now() + 86_400_000);
  // Older than the real sign-in below, one minute apart, so the expected order is known.
  await c.database.knex('oidc_payloads').insert([
    ...Array.from({ length: ROWS }, (_, i) => ({
      model: 'Session', id: `paged-session-${String(i).padStart(2, '0')}`, uid: `paged-uid-${i}`, account_id: user.id, expires_at: expires,
      payload: { uid: `paged-uid-${i}`, accountId: user.id, loginTs: now - 3600 - i * 60, authorizations: {} },
    })),
    ...Array.from({ length: ROWS }, (_, i) => ({
      model: 'Grant', id: `paged-grant-${String(i).padStart(2, '0')}`, account_id: user.id, expires_at: expires,
      payload: { accountId: user.id, clientId: WEB_CLIENT.client_id, iat: now - 3600 - i * 60, openid: { scope: 'openid email' } },
    })),
  ]);
  agent = new UserAgent(world.op.issuer);
  first = await signInToAccount(agent, 'many-things', 'a long and private passphrase');
});
afterAll(async () => {
  await world?.stop();
});

const sessionIds = (html: string) => [...html.matchAll(/action="\/account\/sessions\/([^/]+)\/end/g)].map((m) => m[1]!);
const appIds = (html: string) => [...html.matchAll(/action="\/account\/apps\/([^/]+)\/revoke/g)].map((m) => m[1]!);
const link = (html: string, list: string, rel: 'next' | 'prev') => {
  const nav = new RegExp(`<nav class="pager" aria-label="Pages of ${list}">([\\s\\S]*?)</nav>`).exec(html)?.[1] ?? '';
  return new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(nav)?.[1]?.replace(/&amp;/g, '&');
};

async function walk(list: 'sessions' | 'apps', ids: (html: string) => string[]) {
  const seen: string[][] = [ids(first)];
  let html = first;
  for (let next = link(html, list, 'next'); next; next = link(html, list, 'next')) {
    html = (await page(agent, next)).html;
    seen.push(ids(html));
  }
  return { seen, last: html };
}

describe('/account paging', () => {
  it('shows 20 sessions and 20 apps per page, newest first, and says how many there are', () => {
    expect(sessionIds(first)).toHaveLength(20);
    expect(appIds(first)).toHaveLength(20);
    expect(sessionIds(first).slice(1, 3)).toEqual(['paged-session-00', 'paged-session-01']);
    expect(appIds(first).slice(0, 2)).toEqual(['paged-grant-00', 'paged-grant-01']);
    expect(first).toContain(`Showing 20 of ${ROWS + 1}`);
    expect(first).toContain(`Showing 20 of ${ROWS}`);
    expect(link(first, 'sessions', 'prev')).toBeUndefined();
    expect(Buffer.byteLength(first)).toBeLessThan(60_000);
  });

  it('walks every session exactly once through the next links, and back through previous', async () => {
    const { seen, last } = await walk('sessions', sessionIds);
    expect(seen.map((p) => p.length)).toEqual([20, 20, 20, 1]);
    const all = seen.flat();
    expect(new Set(all).size).toBe(ROWS + 1);
    expect(all.filter((id) => id.startsWith('paged-session-'))).toEqual(Array.from({ length: ROWS }, (_, i) => `paged-session-${String(i).padStart(2, '0')}`));
    // The apps list stays on its first page meanwhile.
    expect(appIds(last)).toEqual(appIds(first));
    let html = last;
    for (let i = seen.length - 2; i >= 0; i -= 1) {
      html = (await page(agent, link(html, 'sessions', 'prev')!)).html;
      expect(sessionIds(html)).toEqual(seen[i]);
    }
    expect(link(html, 'sessions', 'prev')).toBeUndefined();
  });

  it('walks every app exactly once, without the account pages’ own client', async () => {
    const { seen } = await walk('apps', appIds);
    expect(seen.map((p) => p.length)).toEqual([20, 20, 20]);
    expect(seen.flat()).toEqual(Array.from({ length: ROWS }, (_, i) => `paged-grant-${String(i).padStart(2, '0')}`));
  });

  it('returns to the same page after removing an app there', async () => {
    const second = await page(agent, link(first, 'apps', 'next')!);
    const target = appIds(second.html)[0]!;
    const action = /action="(\/account\/apps\/[^"]+\/revoke[^"]*)"/.exec(second.html)![1]!.replace(/&amp;/g, '&');
    expect(action).toContain('?apps=');
    const done = await post(agent, second.html, action, {});
    expect(done.html).toContain('The app no longer has access.');
    expect(done.url.search).toContain('apps=');
    expect(appIds(done.html)).not.toContain(target);
    expect(appIds(done.html)[0]).toBe(appIds(second.html)[1]);
  });

  it('answers a cursor it did not make with a 400 page', async () => {
    for (const cursor of ['garbage', Buffer.from(JSON.stringify({ k: 'after:1; drop table' })).toString('base64url'), Buffer.from(JSON.stringify({ k: 'sideways:1:x' })).toString('base64url')]) {
      const answer = await page(agent, `/account?sessions=${cursor}`);
      expect(answer.status, cursor).toBe(400);
    }
  });
});
