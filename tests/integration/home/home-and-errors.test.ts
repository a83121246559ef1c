/**
 * What people see at `/` and when something goes wrong (issue 12, items 6–8): outside
 * development a minimal branded page or a redirect to HOME_URL, an HTML 404 for browsers, error
 * pages that explain in the page's language what to do next; in development invalid_grant says
 * which and a redirect mismatch lists the registered URIs. Branding: BRAND_NAME in titles, the
 * theme from BRAND_PRIMARY_COLOR and the operator's stylesheet as same-origin assets.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, type TestProvider } from '../../helpers/provider.js';

const html = { accept: 'text/html' };
const titleOf = (page: string) => /<title>([^<]*)<\/title>/.exec(page)?.[1];

describe('outside development', () => {
  let op: TestProvider;
  const stylesheet = join(mkdtempSync(join(tmpdir(), 'brand-')), 'brand.css');
  beforeAll(async () => {
    writeFileSync(stylesheet, '.card { border-top: 4px solid #123456; }\n');
    op = await startTestProvider({ env: { BRAND_NAME: 'Acme ID', BRAND_PRIMARY_COLOR: '#ffcc00', BRAND_STYLESHEET: stylesheet } });
  }, 120_000);
  afterAll(async () => {
    await op?.stop();
  });

  it('/ is a minimal page with the product name and the way to the account', async () => {
    const response = await fetch(`${op.issuer}/`, { headers: html });
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<h1>Acme ID</h1>');
    expect(page).toContain('href="/account"');
    expect(titleOf(page)).toBe('Your account · Acme ID');
    expect(page).not.toContain('/demo/start');
  });

  it('has no demo sign-in', async () => {
    const response = await fetch(`${op.issuer}/demo/start`, { headers: html, redirect: 'manual' });
    expect(response.status).toBe(404);
  });

  it('every page links the theme and the operator stylesheet, both served same-origin', async () => {
    const page = await (await fetch(`${op.issuer}/account/recover`, { headers: html })).text();
    expect(page).toMatch(/href="\/assets\/styles.css">\s*<link rel="stylesheet" href="\/assets\/theme.css">\s*<link rel="stylesheet" href="\/assets\/brand.css">/);
    expect(titleOf(page)).toMatch(/ · Acme ID$/);
    const theme = await fetch(`${op.issuer}/assets/theme.css`);
    expect(theme.headers.get('content-type')).toBe('text/css; charset=utf-8');
    // Yellow buttons get dark text; links are darkened to 4.5:1 (see tests/unit/theme.test.ts).
    expect(await theme.text()).toMatch(/--color-primary: #ffcc00;\n  --color-primary-text: #1d2330;\n  --color-link: #[0-9a-f]{6};/);
    expect(await (await fetch(`${op.issuer}/assets/brand.css`)).text()).toBe('.card { border-top: 4px solid #123456; }\n');
  });

  it('an unknown address is a real page for browsers and a bare 404 for APIs', async () => {
    const browser = await fetch(`${op.issuer}/no/such/page`, { headers: { accept: 'text/html', 'accept-language': 'de' } });
    expect(browser.status).toBe(404);
    const page = await browser.text();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('<main');
    expect(titleOf(page)).toBe('Seite nicht gefunden · Acme ID');
    expect(page).toContain('href="/"');
    const api = await fetch(`${op.issuer}/no/such/page`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).not.toContain('html');
    const post = await fetch(`${op.issuer}/no/such/page`, { method: 'POST', headers: html });
    expect(post.headers.get('content-type') ?? '').not.toContain('html');
  });

  it('a protocol error page says what to do in the page language; the technical text is labelled for developers', async () => {
    const auth = new URL(`${op.issuer}/auth`);
    for (const [key, value] of Object.entries({ client_id: 'web-app', response_type: 'code', scope: 'openid', redirect_uri: 'https://evil.example/cb' })) auth.searchParams.set(key, value);
    const german = await (await fetch(auth, { headers: { accept: 'text/html', 'accept-language': 'de' } })).text();
    expect(german).toContain('Die Anwendung wollte Sie an eine Adresse zurückschicken, die sie nicht registriert hat');
    expect(german).toContain('Details für die Entwickler der Anwendung:');
    // The registered URIs are for developers, and only in development.
    expect(german).not.toContain('http://127.0.0.1:9999/cb');
    expect(german).not.toContain('Redirect-URIs');
  });

  it('HOME_URL: / redirects there', async () => {
    await op.restart({ HOME_URL: 'https://www.acme.example/' });
    const response = await fetch(`${op.issuer}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('https://www.acme.example/');
  });
});

describe('branding settings that cannot work are refused at start, naming the variable', () => {
  it('BRAND_PRIMARY_COLOR must be #rrggbb; BRAND_STYLESHEET must be readable', async () => {
    await expect(startTestProvider({ env: { BRAND_PRIMARY_COLOR: 'red' } })).rejects.toThrow(/BRAND_PRIMARY_COLOR/);
    await expect(startTestProvider({ env: { BRAND_STYLESHEET: '/nonexistent/brand.css' } })).rejects.toThrow(/BRAND_STYLESHEET: cannot read \/nonexistent\/brand.css \(ENOENT\)/);
  }, 120_000);
});

describe('in development', () => {
  let op: TestProvider;
  beforeAll(async () => {
    op = await startTestProvider({ env: { NODE_ENV: 'development', DEMO_CLIENTS: 'true' } });
  }, 120_000);
  afterAll(async () => {
    await op?.stop();
  });

  it('/ is the start page: discovery, JWKS, /account, the admin API and the demo sign-in', async () => {
    const page = await (await fetch(`${op.issuer}/`, { headers: html })).text();
    for (const href of ['/.well-known/openid-configuration', '/jwks', '/account', '/admin/v1/docs', '/demo/start']) expect(page).toContain(`href="${href}"`);
    expect(titleOf(page)).toBe('Running · 127.0.0.1');
  });

  it('/demo/start sends the browser through code + PKCE for the demo SPA, back to this server', async () => {
    const response = await fetch(`${op.issuer}/demo/start`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.pathname).toBe('/auth');
    expect(Object.fromEntries(location.searchParams)).toMatchObject({ client_id: 'demo-spa', redirect_uri: `${op.issuer}/demo/callback`, response_type: 'code', code_challenge_method: 'S256' });
    expect(response.headers.getSetCookie().some((c) => c.startsWith('demo_login='))).toBe(true);
  });

  it('a callback without a demo in progress says to start again', async () => {
    const response = await fetch(`${op.issuer}/demo/callback?code=abc&state=xyz`, { headers: html });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Start again from the start page');
  });

  it('invalid_grant says which', async () => {
    const response = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'demo-spa', code: 'no-such-code', redirect_uri: `${op.issuer}/demo/callback`, code_verifier: 'a'.repeat(43) }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_grant', error_description: 'grant request is invalid: authorization code not found (this detail is shown in development only)' });
  });

  it('a redirect mismatch page lists the registered URIs', async () => {
    const auth = new URL(`${op.issuer}/auth`);
    for (const [key, value] of Object.entries({ client_id: 'demo-spa', response_type: 'code', scope: 'openid', redirect_uri: 'http://localhost:5174/callback' })) auth.searchParams.set(key, value);
    const page = await (await fetch(auth, { headers: html })).text();
    expect(page).toContain('Redirect URIs registered for this client');
    expect(page).toContain('<code>http://localhost:5173/callback</code>');
    expect(page).toContain(`<code>${op.issuer}/demo/callback</code>`);
  });
});
