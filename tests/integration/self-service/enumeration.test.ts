/**
 * Nobody learns who has an account from self-service answers: password reset and sign-up with
 * a registered email answer with the same status and page as for an unknown one, and do the same
 * work before answering (the medians of 50 requests each are printed, never asserted).
 * Usernames are public handles by design (OWASP Authentication Cheat Sheet): a taken one is
 * reported, and each look-up spends the per-IP sign-up budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { compareTimings } from '../../helpers/enumeration-timing.js';
import { TEST_USER } from '../../helpers/provider.js';
import { page, post, startWorld, type SelfServiceWorld } from './support.js';

const ROUNDS = 50;
let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld({ SELF_SERVICE_MESSAGE_LIMIT: '1000' });
});
afterAll(async () => {
  await world?.stop();
});

/** A page without what differs per request by design: the CSRF token and the typed address. */
const comparable = (html: string, typed: string) => html.replace(/name="csrf" value="[^"]+"/g, '').replaceAll(typed, 'TYPED').replaceAll(typed.toUpperCase(), 'TYPED');

async function submit(path: string, fields: Record<string, string>) {
  const agent = new UserAgent(world.op.issuer);
  const { html } = await page(agent, path);
  // Only the POST is timed by the caller's clock, but the GET is part of a real attempt too.
  return { agent, html, send: () => post(agent, html, path, fields) };
}

describe('account enumeration', () => {
  it('password reset: same status and page for a registered and an unknown address', async () => {
    const prepared = { known: [] as Array<Awaited<ReturnType<typeof submit>>>, unknown: [] as Array<Awaited<ReturnType<typeof submit>>> };
    for (let i = 0; i < ROUNDS; i += 1) {
      prepared.known.push(await submit('/account/recover', { email: TEST_USER.email }));
      prepared.unknown.push(await submit('/account/recover', { email: `nobody${i}@example.com` }));
    }
    const report = await compareTimings('password reset', ROUNDS, (i) => prepared.known[i]!.send(), (i) => prepared.unknown[i]!.send());
    for (let i = 0; i < ROUNDS; i += 1) {
      const known = report.results.known[i]!;
      const unknown = report.results.unknown[i]!;
      expect(unknown.status).toBe(known.status);
      expect(comparable(unknown.html, `nobody${i}@example.com`)).toBe(comparable(known.html, TEST_USER.email));
    }
    expect(report.results.known[0]!.status).toBe(200);
  }, 600_000);

  it('sign-up: same status and page for a registered and a new email', async () => {
    const form = (kind: string, i: number, email: string) => ({ username: `${kind}-${i}`, email, password: 'a quiet walk by the river' });
    const prepared = { known: [] as Array<Awaited<ReturnType<typeof submit>>>, unknown: [] as Array<Awaited<ReturnType<typeof submit>>> };
    for (let i = 0; i < ROUNDS; i += 1) {
      prepared.known.push(await submit('/account/register', form('taken', i, TEST_USER.email)));
      prepared.unknown.push(await submit('/account/register', form('fresh', i, `fresh${i}@example.com`)));
    }
    const report = await compareTimings('sign-up email', ROUNDS, (i) => prepared.known[i]!.send(), (i) => prepared.unknown[i]!.send());
    for (let i = 0; i < ROUNDS; i += 1) {
      const known = report.results.known[i]!;
      const unknown = report.results.unknown[i]!;
      expect(unknown.status).toBe(known.status);
      expect(unknown.url.pathname).toBe(known.url.pathname);
      expect(comparable(unknown.html, `fresh${i}@example.com`).replaceAll(`fresh-${i}`, 'NAME')).toBe(comparable(known.html, TEST_USER.email).replaceAll(`taken-${i}`, 'NAME'));
    }
    expect(report.results.known[0]!.url.pathname).toBe('/account/register/verify');
  }, 600_000);

  it('a taken username is reported (usernames are public handles)', async () => {
    const { send } = await submit('/account/register', { username: TEST_USER.username, email: 'probe@example.com', password: 'a quiet walk by the river' });
    const taken = await send();
    expect(taken.status).toBe(400);
    expect(taken.html).toContain('This username is not available');
  });
});
