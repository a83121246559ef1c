/**
 * Two-step verification on /account, through the MFA use cases: TOTP enrolment (a wrong first
 * code refused), recovery codes shown once, the next /account sign-in asking for the app's code,
 * regenerating codes, turning the app off — each only with a recent sign-in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { forgetTotpSteps, nextTotp } from '../../helpers/mfa.js';
import { createUser } from '../../../server/modules/users/index.js';
import { page, post, signInToAccount, startWorld, type SelfServiceWorld } from './support.js';

let world: SelfServiceWorld;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world?.stop();
});

const PASSWORD = 'securing my own account';
const codesOf = (html: string) => [...html.matchAll(/<li><code>([^<]+)<\/code><\/li>/g)].map((m) => m[1]!);

describe('/account two-step verification', () => {
  it('enrols an authenticator app, shows recovery codes once, and asks for the app at the next sign-in', async () => {
    await createUser(world.op.running.container, { username: 'securer', email: 'securer@example.com', emailVerified: true, password: PASSWORD });
    const agent = new UserAgent(world.op.issuer);
    const html = await signInToAccount(agent, 'securer', PASSWORD);
    expect(html).toContain('Two-step verification is off.');

    const enrol = await post(agent, html, '/account/mfa/totp', {});
    expect(enrol.status).toBe(200);
    expect(enrol.html).toContain('src="data:image/svg+xml');
    const secret = enrol.html.match(/<code class="secret"[^>]*data-text="([^"]+)"/)![1]!;
    const wrong = await post(agent, enrol.html, '/account/mfa/totp/confirm', { code: '000000' });
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('That code is not valid.');
    const confirmed = await post(agent, wrong.html, '/account/mfa/totp/confirm', { code: await nextTotp(secret) });
    expect(confirmed.status).toBe(200);
    const codes = codesOf(confirmed.html);
    expect(codes).toHaveLength(10);

    const account = await page(agent, '/account');
    expect(account.html).toContain('An authenticator app is set up');
    expect(account.html).toContain('10 recovery codes left');
    expect(account.html).not.toContain(codes[0]!);

    const renewed = await post(agent, account.html, '/account/mfa/recovery-codes', {});
    const fresh = codesOf(renewed.html);
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(codes[0]);

    // A new browser: password, then the app's code.
    const other = new UserAgent(world.op.issuer);
    const login = await page(other, '/account');
    const action = login.html.match(/action="(\/interaction\/[^"]+\/login)"/)![1]!;
    const challenge = await post(other, login.html, action, { login: 'securer', password: PASSWORD });
    expect(challenge.html).toContain('name="method" value="totp"');
    const mfaAction = challenge.html.match(/action="(\/interaction\/[^"]+)"/)![1]!.replace(/&amp;/g, '&');
    const done = await post(other, challenge.html, mfaAction, { method: 'totp', code: await nextTotp(secret) });
    expect(done.url.pathname).toBe('/account');
    forgetTotpSteps(secret);

    const removed = await post(other, done.html, '/account/mfa/totp/remove', {});
    expect(removed.html).toContain('Two-step verification is off.');
  });
});
