/**
 * Passkeys in Chromium with the DevTools virtual authenticator (CDP WebAuthn domain: ctap2,
 * resident keys, user verification): added on /account/passkeys, then signing in usernameless
 * with the button and through the username field's autofill (conditional UI), as the second
 * factor after a password, step-up with acr_values=phr, and removal. openid-client is the RP and
 * reads amr and acr from the ID token. Screenshots at desktop and phone width, axe on each page.
 * The issuer is http://localhost: WebAuthn refuses an IP address as RP ID.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { ACR_PHISHING_RESISTANT } from '../../server/modules/auth/index.js';
import { chromiumPath, describeInChromium, hasChromium, launchChromium, screenshot } from '../helpers/chromium.js';
import { createServer, type Server } from 'node:http';
import { defaultSeed, freePort, startTestProvider, TEST_USER, type TestProvider } from '../helpers/provider.js';
import { authorizationRequest, client, discover } from '../helpers/rp.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(`${axeSource};0`);
  return page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`);
}

const PHONE = { width: 375, height: 740 };
let op: TestProvider;
let browser: Browser;
// A real callback server for the client (the browser lands there; the test reads the code from its URL).
let callback: Server;
const WEB_CLIENT = { client_id: 'passkey-app', client_secret: 'passkey-app-secret-that-is-long-enough-1234567890', redirect_uri: '' };
const csp: string[] = [];


beforeAll(async () => {
  if (!hasChromium) return;
  callback = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('client callback'));
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  WEB_CLIENT.redirect_uri = `http://127.0.0.1:${(callback.address() as { port: number }).port}/cb`;
  const seed = defaultSeed() as { clients: Array<Record<string, unknown>> };
  seed.clients.push({ client_id: WEB_CLIENT.client_id, client_name: 'Passkey App', client_secret: WEB_CLIENT.client_secret, redirect_uris: [WEB_CLIENT.redirect_uri], grant_types: ['authorization_code'], scope: 'openid email' });
  const port = await freePort();
  op = await startTestProvider({ seed, env: { PORT: String(port), ISSUER: `http://localhost:${port}`, SIGNUP_ENABLED: 'true' } });
  // The server listens on 127.0.0.1; Chromium would otherwise try localhost at ::1 too.
  browser = await launchChromium(['--host-resolver-rules=MAP localhost 127.0.0.1']);
});
afterAll(async () => {
  await browser?.close();
  await op?.stop();
  callback?.close();
});

interface Tab {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  authenticatorId: string;
}

/**
 * A fresh browser profile with a virtual platform authenticator that verifies the user (as a
 * fingerprint would). The virtual authenticator answers a conditional (autofill) request at once,
 * so unless `autofill` is asked for, the profile is a browser without conditional mediation and
 * the page uses its button, as such browsers do.
 */
async function tab(viewport?: { width: number; height: number }, options: { autofill?: boolean } = {}): Promise<Tab> {
  const context = await browser.newContext({ locale: 'en-US', ...(viewport ? { viewport } : {}) });
  if (!options.autofill) await context.addInitScript('delete PublicKeyCredential.isConditionalMediationAvailable');
  const page = await context.newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) csp.push(`${page.url()}: ${message.text()}`);
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { context, page, cdp, authenticatorId };
}

/** Starts an authorization request of the web client in `page`; `finish` waits for the callback and @returns the ID token claims. */
async function authorize(page: Page, params: Record<string, string> = {}) {
  const config = await discover(op.issuer, WEB_CLIENT.client_id, WEB_CLIENT.client_secret);
  const request = await authorizationRequest(config, { redirect_uri: WEB_CLIENT.redirect_uri, scope: 'openid email', ...params });
  await page.goto(request.url.toString());
  return {
    async finish() {
      const atClient = (u: URL) => u.origin === new URL(WEB_CLIENT.redirect_uri).origin;
      // The first sign-in of a browser profile asks for consent; later ones go straight back.
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

async function signInWithPassword(page: Page) {
  await page.getByLabel('Username or email').fill(TEST_USER.username);
  await page.getByLabel('Password').fill(TEST_USER.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * The credentials of one virtual authenticator, copied into another: the same device-bound
 * passkey in a second profile. A copy is a clone, so after using it the test copies it back
 * (`syncBack`), or the owner's next use would show a signature counter that went backwards.
 */
async function copyCredentials(from: Tab, to: Tab) {
  const { credentials } = await from.cdp.send('WebAuthn.getCredentials', { authenticatorId: from.authenticatorId });
  for (const credential of credentials) await to.cdp.send('WebAuthn.addCredential', { authenticatorId: to.authenticatorId, credential });
  return credentials;
}

async function syncBack(from: Tab, to: Tab) {
  await to.cdp.send('WebAuthn.clearCredentials', { authenticatorId: to.authenticatorId });
  await copyCredentials(from, to);
}

describeInChromium(`passkeys in Chromium (${chromiumPath})`, () => {
  let owner: Tab;

  it('adds a passkey on /account/passkeys, then steps up to it with acr_values=phr', async () => {
    owner = await tab();
    const { page } = owner;
    // A password-only session first (acr pwd): the account page's sign-in.
    const flow = await authorize(page);
    await signInWithPassword(page);
    const first = await flow.finish();
    expect(first.amr).toEqual(['pwd']);

    await page.goto(`${op.issuer}/account`);
    await page.getByRole('link', { name: 'Manage passkeys' }).click();
    await page.getByRole('heading', { name: 'Passkeys', exact: true }).waitFor();
    await expect(page.getByText('You have no passkeys yet.').count()).resolves.toBe(1);
    await screenshot(page, 'passkeys-account-empty');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Name').fill('Test laptop');
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await page.getByText('Passkey added.').waitFor();
    await expect(page.locator('ul.passkeys li').count()).resolves.toBe(1);
    await expect(page.locator('ul.passkeys li strong').textContent()).resolves.toBe('Test laptop');
    // The virtual authenticator is not backup eligible: a device-bound passkey.
    await expect(page.locator('ul.passkeys li .badge').textContent()).resolves.toBe('On one device');
    await screenshot(page, 'passkeys-account');
    expect(await axeViolations(page)).toEqual([]);
    const { credentials } = await owner.cdp.send('WebAuthn.getCredentials', { authenticatorId: owner.authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);

    // Step-up: the session is password-only, the client accepts nothing weaker than a passkey.
    const stepUp = await authorize(page, { acr_values: ACR_PHISHING_RESISTANT });
    await page.getByText('Passkey App asks you to confirm your identity with a passkey.').waitFor();
    await screenshot(page, 'passkeys-login');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    const claims = await stepUp.finish();
    expect(claims.sub).toBe(first.sub);
    expect(claims.acr).toBe(ACR_PHISHING_RESISTANT);
    expect(claims.amr).toEqual(['hwk', 'user', 'mfa']);
  }, 180_000);

  it('signs in usernameless with the passkey button on another device holding the same passkey', async () => {
    const other = await tab();
    await copyCredentials(owner, other);
    const flow = await authorize(other.page);
    await expect(other.page.getByLabel('Username or email').getAttribute('autocomplete')).resolves.toBe('username webauthn');
    await other.page.getByRole('button', { name: 'Use a passkey' }).click();
    const claims = await flow.finish();
    expect(claims.amr).toEqual(['hwk', 'user', 'mfa']);
    expect(claims.acr).toBe(ACR_PHISHING_RESISTANT);
    await syncBack(other, owner);
    await other.context.close();
  }, 120_000);

  it('signs in through the username field autofill (conditional UI)', async () => {
    const other = await tab(undefined, { autofill: true });
    await copyCredentials(owner, other);
    const flow = await authorize(other.page);
    // The page starts a conditional request on load; the virtual authenticator picks the passkey
    // from the autofill as soon as it is offered, and the page signs in with it.
    const claims = await flow.finish();
    expect(claims.amr).toEqual(['hwk', 'user', 'mfa']);
    await syncBack(other, owner);
    await other.context.close();
  }, 120_000);

  it('asks for the passkey as the second factor after the password, at desktop and phone width', async () => {
    for (const [label, viewport] of [['desktop', undefined], ['phone', PHONE]] as const) {
      const other = await tab(viewport);
      await copyCredentials(owner, other);
      const flow = await authorize(other.page);
      // The username field's autofill must not answer before the password is typed here.
      await signInWithPassword(other.page);
      await other.page.getByRole('heading', { name: 'Passkey or security key' }).waitFor();
      await screenshot(other.page, `passkeys-mfa-${label}`);
      expect(await axeViolations(other.page)).toEqual([]);
      await other.page.getByRole('button', { name: 'Use a passkey' }).click();
      const claims = await flow.finish();
      expect(claims.amr).toEqual(['pwd', 'hwk', 'user', 'mfa']);
      expect(claims.acr).toBe(ACR_PHISHING_RESISTANT);
      await syncBack(other, owner);
      await other.context.close();
    }
  }, 180_000);

  it('shows the account passkeys page and the login page at phone width', async () => {
    const other = await tab(PHONE);
    await copyCredentials(owner, other);
    const flow = await authorize(other.page);
    await screenshot(other.page, 'passkeys-login-phone');
    expect(await axeViolations(other.page)).toEqual([]);
    await other.page.getByRole('button', { name: 'Use a passkey' }).click();
    await flow.finish();
    await syncBack(other, owner);
    await other.page.goto(`${op.issuer}/account/passkeys`);
    await other.page.getByRole('heading', { name: 'Passkeys', exact: true }).waitFor();
    await screenshot(other.page, 'passkeys-account-phone');
    expect(await axeViolations(other.page)).toEqual([]);
    await other.context.close();
  }, 120_000);

  it('removes the passkey; it signs in no more', async () => {
    const { page } = owner;
    await page.goto(`${op.issuer}/account/passkeys`);
    await page.getByRole('button', { name: 'Remove passkey Test laptop' }).click();
    await page.getByText('Passkey removed.').waitFor();
    await expect(page.getByText('You have no passkeys yet.').count()).resolves.toBe(1);
    const { compliance } = op.running.container;
    await compliance.trail.flush();
    const audit = (await compliance.search({ types: ['auth.passkey.added', 'auth.passkey.removed'] }, { limit: 100 })).records;
    expect(audit.map((r) => r.type).sort()).toEqual(['auth.passkey.added', 'auth.passkey.removed']);

    const other = await tab();
    await copyCredentials(owner, other);
    await authorize(other.page, { prompt: 'login' });
    await other.page.getByRole('button', { name: 'Use a passkey' }).click();
    await other.page.getByText('That passkey could not sign you in.').waitFor();
    await other.context.close();
    await owner.context.close();
  }, 120_000);

  it('had no Content Security Policy violation on any page', () => {
    expect(csp).toEqual([]);
  });
});
