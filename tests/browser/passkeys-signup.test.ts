/**
 * Sign-up with a passkey and the passkey offer after a password sign-in, in Chromium with the
 * DevTools virtual authenticator (ctap2, resident keys, user verification): a new account with
 * only a passkey signs in usernameless; "Create a passkey" at the offer stores one; "Not now"
 * finishes the sign-in and is not asked again. Screenshots and axe at desktop and phone width.
 * The issuer is http://localhost: WebAuthn refuses an IP address as RP ID.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath, describeInChromium, hasChromium, launchChromium, lookAtBothWidths } from '../helpers/chromium.js';
import { openMailbox, type Mailbox } from '../helpers/mailbox.js';
import { defaultSeed, freePort, startTestProvider, type TestProvider } from '../helpers/provider.js';
import { authorizationRequest, client, discover } from '../helpers/rp.js';

let op: TestProvider;
let mailbox: Mailbox;
let browser: Browser;
let callback: Server;
const WEB_CLIENT = { client_id: 'signup-app', client_secret: 'signup-app-secret-that-is-long-enough-1234567890', redirect_uri: '' };
const PASSWORD_USERS = [
  { username: 'offer-skip', email: 'offer-skip@example.com', password: 'a quiet walk by the river' },
  { username: 'offer-take', email: 'offer-take@example.com', password: 'a quiet walk by the river' },
];

beforeAll(async () => {
  if (!hasChromium) return;
  callback = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('client callback'));
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  WEB_CLIENT.redirect_uri = `http://127.0.0.1:${(callback.address() as { port: number }).port}/cb`;
  const seed = defaultSeed() as { clients: Array<Record<string, unknown>>; users: Array<Record<string, unknown>> };
  seed.clients.push({ client_id: WEB_CLIENT.client_id, client_name: 'Signup App', client_secret: WEB_CLIENT.client_secret, redirect_uris: [WEB_CLIENT.redirect_uri], grant_types: ['authorization_code'], scope: 'openid email' });
  for (const user of PASSWORD_USERS) seed.users.push({ ...user, email_verified: true });
  mailbox = await openMailbox();
  const port = await freePort();
  op = await startTestProvider({ ...mailbox.provider, seed, env: { ...mailbox.provider.env, PORT: String(port), ISSUER: `http://localhost:${port}`, SIGNUP_ENABLED: 'true', PASSKEY_OFFER_ENABLED: 'true' } });
  browser = await launchChromium(['--host-resolver-rules=MAP localhost 127.0.0.1']);
});
afterAll(async () => {
  await browser?.close();
  await op?.stop();
  await mailbox?.close();
  callback?.close();
});

/** A fresh profile with a virtual platform authenticator that verifies the user; no conditional UI (the button is used). */
async function tab(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale: 'en-US' });
  await context.addInitScript('delete PublicKeyCredential.isConditionalMediationAvailable');
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { context, page };
}

async function authorize(page: Page) {
  const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
  const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid email' });
  await page.goto(request.url.toString());
  return {
    async finish() {
      const atClient = (u: URL) => u.origin === new URL(WEB_CLIENT.redirect_uri).origin;
      const allow = page.getByRole('button', { name: 'Allow' });
      const next = await Promise.race([page.waitForURL(atClient).then(() => 'client' as const), allow.waitFor().then(() => 'consent' as const)]);
      if (next === 'consent') {
        await allow.click();
        await page.waitForURL(atClient);
      }
      const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: request.verifier, expectedState: request.state, expectedNonce: request.nonce });
      return tokens.claims()!;
    },
  };
}

async function signInWithPassword(page: Page, user: { username: string; password: string }) {
  await page.getByLabel('Username or email').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describeInChromium(`passkey sign-up and offer in Chromium (${chromiumPath})`, () => {
  it('signs up with a passkey and no password, then signs in usernameless with it', async () => {
    const { context, page } = await tab();
    await authorize(page);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('button', { name: 'Sign up with a passkey' }).waitFor();
    expect(await lookAtBothWidths(page, 'passkeys-signup-form')).toEqual([]);
    await page.getByLabel('Username').fill('keyonly');
    await page.getByLabel('Email').fill('keyonly@example.com');
    const since = mailbox.count();
    await page.getByRole('button', { name: 'Sign up with a passkey' }).click();
    await page.waitForURL((u) => u.pathname === '/account/register/verify');
    const message = await mailbox.waitFor('keyonly@example.com', 'verify-email', { since });
    await page.getByLabel('Code from the email').fill(message.data.code!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByRole('heading', { name: 'Create your passkey' }).waitFor();
    expect(await lookAtBothWidths(page, 'passkeys-signup-create')).toEqual([]);
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    // Back at the sign-in page of the same request: the new passkey signs in (usernameless).
    await page.getByRole('button', { name: 'Use a passkey' }).waitFor();
    const user = await op.running.container.users.findByLogin('keyonly');
    expect(user?.emailVerified).toBe(true);
    const flow = await authorize(page);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    const claims = await flow.finish();
    expect(claims.sub).toBe(user!.id);
    expect(claims.amr).toEqual(['hwk', 'user', 'mfa']);
    await context.close();
  }, 180_000);

  it('offers a passkey after a password sign-in; "Create a passkey" stores it and continues', async () => {
    const { context, page } = await tab();
    const flow = await authorize(page);
    await signInWithPassword(page, PASSWORD_USERS[1]!);
    await page.getByRole('heading', { name: 'Sign in faster next time' }).waitFor();
    expect(await lookAtBothWidths(page, 'passkeys-offer')).toEqual([]);
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    const claims = await flow.finish();
    expect(claims.amr).toEqual(['pwd']);
    const user = await op.running.container.users.findByLogin(PASSWORD_USERS[1]!.username);
    expect(await op.running.container.database.knex('passkeys').where({ user_id: user!.id })).toHaveLength(1);
    await context.close();
  }, 180_000);

  it('"Not now" continues the sign-in and is not asked again', async () => {
    for (const round of [1, 2]) {
      const { context, page } = await tab();
      const flow = await authorize(page);
      await signInWithPassword(page, PASSWORD_USERS[0]!);
      if (round === 1) {
        await page.getByRole('button', { name: 'Not now' }).click();
      }
      const claims = await flow.finish();
      expect(claims.amr).toEqual(['pwd']);
      if (round === 2) expect(await page.getByRole('button', { name: 'Not now' }).count()).toBe(0);
      await context.close();
    }
  }, 180_000);
});
