/**
 * Property-based fuzzing of the endpoints added after endpoints.test.ts was written: the device
 * flow (/device/auth and the user-code pages), token exchange at /token, the admin console
 * (/console, with and without a session), the passkey JSON and forms of the sign-in and account
 * pages (hostile WebAuthn shapes, huge base64url, wrong types), the development pages (/demo,
 * /dev/mailbox), the generated assets (theme.css, brand.css), the API reference (/admin/v1/docs)
 * and back-channel logout URIs as the admin API receives them.
 *
 * Every answer is below 500 and leaks no stack, path or secret; an error answer has the body its
 * path promises (RFC 6749 error JSON on protocol paths, RFC 9457 problem+json on our JSON APIs,
 * an HTML page on browser pages); input that is wrong whatever was picked is refused with a 4xx.
 * The server's log is read after each property: no stack trace and no secret in it.
 *
 * Bounded: FUZZ_RUNS (default 60) cases per property. The seed is fixed (FUZZ_SEED overrides it).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfOf, UserAgent } from '../../helpers/browser.js';
import { adminTokenFor } from '../../helpers/admin-api.js';
import { API, SERVICE_CLIENT, startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { ADMIN_USER, adminSeed, AUDIENCE, SECRET } from '../admin/context.js';
import { basic } from '../protocol/support.js';
import { encoding, formOf, formValue, hostileText, jsonValue, webAuthnResponseText, type Encoding } from './arbitraries.js';
import { checkLogs, send, type FuzzRequest } from './send.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const TIMEOUT = 180_000;
const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const TOKEN_TYPES = ['urn:ietf:params:oauth:token-type:access_token', 'urn:ietf:params:oauth:token-type:id_token', 'urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:refresh_token'];
const TV = { client_id: 'tv-app' };
const GATEWAY = { client_id: 'orders-gateway', client_secret: 'orders-gateway-secret-that-is-long-enough-12345' };

let op: TestProvider;
let dev: TestProvider;
let issuer: string;
let secrets: string[];
let logMark = 0;
let devLogMark = 0;
const writer = { token: '' };

function seed(): Record<string, unknown> {
  const document = adminSeed() as { clients: Array<Record<string, unknown>> };
  document.clients.push(
    { ...TV, token_endpoint_auth_method: 'none', grant_types: [DEVICE_GRANT, 'refresh_token'], redirect_uris: [], scope: 'openid profile offline_access' },
    {
      ...GATEWAY,
      grant_types: [EXCHANGE, 'client_credentials'],
      redirect_uris: [],
      resource_scopes: { [API.identifier]: API.scopes },
      token_exchange: { subject_clients: [WEB_CLIENT.client_id], audiences: [API.identifier], scopes: ['orders:read'], impersonation: true, delegation: true },
    },
  );
  return document;
}

beforeAll(async () => {
  const stylesheet = join(mkdtempSync(join(tmpdir(), 'fuzz-brand-')), 'brand.css');
  writeFileSync(stylesheet, '.card { border-top: 2px solid #123456; }\n');
  op = await startTestProvider({
    seed: seed(),
    env: {
      ADMIN_API_AUDIENCE: AUDIENCE,
      TOKEN_RATE_LIMIT: '100000',
      LOGIN_FAILURE_LIMIT: '100000',
      PASSKEY_OFFER_ENABLED: 'true',
      SIGNUP_ENABLED: 'true',
      BRAND_PRIMARY_COLOR: '#ffcc00',
      BRAND_STYLESHEET: stylesheet,
      // One client sends every case: the user-code guessing limits are not what is tested here.
      DEVICE_USER_CODE_LIMIT_IP: '100000',
      DEVICE_USER_CODE_LIMIT_TOTAL: '100000',
    },
  });
  dev = await startTestProvider({ env: { NODE_ENV: 'development', DEMO_CLIENTS: 'true' } });
  issuer = op.issuer;
  writer.token = await adminTokenFor(issuer, AUDIENCE, 'admin-writer', SECRET, 'admin:read admin:write');
  secrets = [WEB_CLIENT.client_secret, SERVICE_CLIENT.client_secret, GATEWAY.client_secret, SECRET, ADMIN_USER.password, TEST_USER.password, op.env.COOKIE_KEYS!, op.env.KEY_ENCRYPTION_KEY!, dev.env.COOKIE_KEYS!, dev.env.KEY_ENCRYPTION_KEY!];
}, TIMEOUT);
afterAll(async () => {
  await op?.stop();
  await dev?.stop();
});

/** Runs the property, then reads what both servers logged meanwhile. */
async function check(property: fc.IAsyncProperty<[unknown, ...unknown[]]>) {
  await fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
  logMark = checkLogs(op.logs, logMark, secrets);
  devLogMark = checkLogs(dev.logs, devLogMark, secrets);
}

const hit = (request: FuzzRequest) => send({ secrets, ...request });
const asHeader = (text: string) => text.replace(/[^\x20-\x7e]/g, '').slice(0, 2000);

/** A path segment for any text: lone surrogates become the invalid UTF-8 bytes %ED%A0%80. */
function segment(text: string): string {
  return Array.from(text.slice(0, 3000), (ch) => (/^[\uD800-\uDFFF]$/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
}

/**
 * Signs `who` in where `path` sends the browser (the console, the account), past the passkey
 * offer (on in this file, so its pages are fuzzed). @returns the page the sign-in ends on.
 */
async function signInAt(agent: UserAgent, path: string, who: { login: string; password: string }): Promise<{ html: string; url: URL }> {
  const start = await agent.follow(path);
  const login = await start.response.text();
  const action = /action="(\/interaction\/[^"]+\/login)"/.exec(login)![1]!;
  let { response, url } = await agent.submit(action, { csrf: csrfOf(login), login: who.login, password: who.password });
  let html = await response.text();
  const skip = /action="(\/interaction\/[^"]+\/passkey-offer\/skip)"/.exec(html)?.[1];
  if (skip) {
    ({ response, url } = await agent.submit(skip, { csrf: csrfOf(html) }));
    html = await response.text();
  }
  expect(url.pathname, html.slice(0, 300)).toBe(new URL(path, issuer).pathname);
  return { html, url };
}

/** A pending device authorization: @returns its user code. */
async function deviceCode(): Promise<string> {
  const response = await fetch(`${issuer}/device/auth`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: TV.client_id, scope: 'openid' }) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { user_code: string }).user_code;
}

describe('the device flow', () => {
  it('/device/auth: hostile parameters, encodings and client authentication answer RFC 6749 errors', async () => {
    await check(
      fc.asyncProperty(formOf(['client_id', 'scope', 'resource', 'acr_values', 'claims', 'client_secret', 'client_assertion', 'client_assertion_type', 'max_age']), encoding, fc.boolean(), fc.constantFrom('POST', 'GET', 'PUT'), async (fields, enc, tv, method) => {
        // The endpoint is POST only (RFC 8628 §3.1); a GET is oidc-provider's device resume route (/device/:uid), an HTML code page.
        // (oidc-provider renders its errors as a page for a caller preferring HTML; a device asks for JSON.)
        await hit({ method, url: `${issuer}/device/auth`, fields: tv ? [['client_id', TV.client_id], ...fields] : fields, encoding: enc as Encoding, headers: { accept: method === 'GET' ? 'text/html' : 'application/json' }, answer: method === 'POST' ? 'oauth' : method === 'GET' ? 'html' : 'any' });
      }),
    );
  }, TIMEOUT);

  it('polling /token with hostile device codes is refused with RFC 6749 errors', async () => {
    await check(
      fc.asyncProperty(formValue, formOf(['client_id', 'scope']), async (code, fields) => {
        await hit({ method: 'POST', url: `${issuer}/token`, fields: [['grant_type', DEVICE_GRANT], ['client_id', TV.client_id], ['device_code', code], ...fields], answer: 'oauth', refused: true });
      }),
    );
  }, TIMEOUT);

  it('the user-code pages: GET and POST with real and hostile codes, CSRF tokens and decisions answer HTML', async () => {
    const agent = new UserAgent(issuer);
    const { response } = await agent.follow('/device');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(await response.text())?.[1];
    expect(xsrf).toBeTruthy();
    const live = await deviceCode();
    const cookie = agent.jar.header(new URL(`${issuer}/device`));
    await check(
      fc.asyncProperty(
        fc.constantFrom('/device', '/device/confirm', '/device/success', `/device/${segment('x')}`),
        fc.constantFrom('GET', 'POST'),
        fc.oneof(fc.constant(live), formValue),
        fc.boolean(),
        formOf(['confirm', 'abort', 'xsrf', 'ui_locales']),
        encoding,
        async (path, method, userCode, realXsrf, fields, enc) => {
          await hit({
            method,
            url: `${issuer}${path}`,
            fields: [['user_code', ...([] as string[]).concat(userCode)] as [string, string], ...(realXsrf ? ([['xsrf', xsrf!]] as Array<[string, string]>) : []), ...fields],
            encoding: enc as Encoding,
            headers: { cookie, accept: 'text/html' },
            answer: 'html',
          });
        },
      ),
    );
  }, TIMEOUT);
});

describe('token exchange', () => {
  const gateway = { authorization: basic(GATEWAY.client_id, GATEWAY.client_secret) };
  const tokenOrHostile = fc.oneof(fc.constantFrom('eyJhbGciOiJub25lIn0.e30.', 'a.b.c', 'x'.repeat(5000)), formValue);

  it('hostile subject and actor tokens, token types, audiences and resources are refused with RFC 6749 errors', async () => {
    await check(
      fc.asyncProperty(
        tokenOrHostile,
        fc.oneof(fc.constantFrom(...TOKEN_TYPES), formValue),
        fc.option(fc.tuple(tokenOrHostile, fc.oneof(fc.constantFrom(...TOKEN_TYPES), formValue)), { nil: undefined }),
        formOf(['audience', 'resource', 'requested_token_type', 'scope']),
        fc.constantFrom('form', 'form', 'json', 'form; charset=utf-16'),
        fc.boolean(),
        async (subject, subjectType, actor, fields, enc, real) => {
          const all: Array<[string, string | string[]]> = [['grant_type', EXCHANGE], ['subject_token', subject], ['subject_token_type', subjectType], ...(actor ? ([['actor_token', actor[0]], ['actor_token_type', actor[1]]] as Array<[string, string | string[]]>) : []), ...fields];
          await hit({ method: 'POST', url: `${issuer}/token`, fields: real ? [['resource', API.identifier], ...all] : all, encoding: enc as Encoding, headers: gateway, answer: 'oauth', refused: true });
        },
      ),
    );
  }, TIMEOUT);

  it('a real subject token with hostile types, actor, audience, resource and requested type', async () => {
    const service = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...gateway },
      body: new URLSearchParams({ grant_type: 'client_credentials', resource: API.identifier, scope: 'orders:read' }),
    });
    const subject = ((await service.json()) as { access_token: string }).access_token;
    expect(subject).toBeTruthy();
    await check(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom(...TOKEN_TYPES), formValue),
        formOf(['actor_token', 'actor_token_type', 'audience', 'resource', 'requested_token_type', 'scope']),
        async (subjectType, fields) => {
          await hit({ method: 'POST', url: `${issuer}/token`, fields: [['grant_type', EXCHANGE], ['subject_token', subject], ['subject_token_type', subjectType], ...fields], headers: gateway, answer: 'oauth' });
        },
      ),
    );
  }, TIMEOUT);
});

describe('the admin console', () => {
  const GETS = ['/console', '/console/login', '/console/callback', '/console/settings', '/console/users', '/console/users/:id', '/console/clients', '/console/clients/:id', '/console/clients/:id/try', '/console/apis', '/console/apis/:id', '/console/roles', '/console/roles/:id', '/console/audit', '/console/audit/export', '/console/audit/verify', '/console/webhooks', '/console/webhooks/:id'];
  const POSTS = ['/console/logout', '/console/users', '/console/users/:id/profile', '/console/users/:id/disable', '/console/users/:id/enable', '/console/users/:id/password-reset', '/console/users/:id/mfa-reset', '/console/users/:id/roles', '/console/users/:id/sessions/end', '/console/users/:id/grants/revoke', '/console/users/:id/identities/unlink', '/console/clients', '/console/clients/:id', '/console/clients/:id/secret', '/console/clients/:id/delete', '/console/apis', '/console/apis/:id', '/console/apis/:id/delete', '/console/roles', '/console/roles/:id', '/console/roles/:id/delete', '/console/webhooks', '/console/webhooks/:id/active', '/console/webhooks/:id/delete', '/console/webhooks/:id/replay'];
  const FIELDS = ['access_token_format', 'access_token_ttl', 'active', 'client_id', 'client_name', 'confidential', 'delivery', 'description', 'email', 'event_types', 'grant', 'grant_types', 'identifier', 'identity', 'must_change_password', 'name', 'password', 'permission', 'post_logout_redirect_uris', 'redirect_uris', 'revoke_grants', 'role', 'roles', 'scope', 'scopes', 'session', 'url', 'username', 'version', 'web_origins'];
  const QUERY = ['return', 'state', 'code', 'cursor', 'q', 'type', 'from', 'to', 'actor', 'subject', 'error'];
  // Ids are hostile or unknown, never a real record: the console must not change the seed's administrator or clients.
  const id = fc.oneof(hostileText, fc.constantFrom('../../clients/web-app', '..%2F..%2Fclients', 'web-app/../x', '%00', 'x'));
  const request = (paths: readonly string[], method: 'GET' | 'POST') =>
    fc.tuple(fc.constantFrom(...paths), id, method === 'GET' ? formOf(QUERY) : formOf(FIELDS), method === 'GET' ? fc.constant<Encoding>('none') : (encoding as fc.Arbitrary<Encoding>));

  it('without a session: every page and form sends the browser to sign in, or answers HTML', async () => {
    await check(
      fc.asyncProperty(fc.oneof(request(GETS, 'GET').map((r) => ['GET', ...r] as const), request(POSTS, 'POST').map((r) => ['POST', ...r] as const)), hostileText, async ([method, path, recordId, fields, enc], cookie) => {
        const status = await hit({ method, url: `${issuer}${path.replace(':id', segment(recordId))}`, fields, encoding: enc, headers: { accept: 'text/html', cookie: `console_session=${asHeader(cookie)}; console_login=${asHeader(cookie)}` }, answer: 'html' });
        // Nothing but signing in is open: no page of the console is shown.
        if (!['/console/login', '/console/callback'].includes(path)) expect(status === 302 || status === 303 || status >= 400, `${method} ${path} → ${status}`).toBe(true);
      }),
    );
  }, TIMEOUT);

  it('with a session: forms with a valid CSRF token and hostile fields and ids answer HTML, never a 5xx', async () => {
    const agent = new UserAgent(issuer);
    const { html: overview } = await signInAt(agent, '/console', { login: ADMIN_USER.username, password: ADMIN_USER.password });
    const csrf = csrfOf(overview);
    await check(
      fc.asyncProperty(fc.oneof(request(GETS.filter((p) => p !== '/console/login'), 'GET').map((r) => ['GET', ...r] as const), request(POSTS.filter((p) => p !== '/console/logout'), 'POST').map((r) => ['POST', ...r] as const)), fc.boolean(), async ([method, path, recordId, fields, enc], withCsrf) => {
        const url = `${issuer}${path.replace(':id', segment(recordId))}`;
        await hit({ method, url, fields: method === 'POST' && withCsrf ? [['csrf', csrf], ...fields] : fields, encoding: enc, headers: { accept: 'text/html', cookie: agent.jar.header(new URL(url)) }, answer: 'html' });
      }),
    );
    // Still signed in and still an administrator: no fuzz case changed the session's user.
    const after = await agent.request('/console/users');
    expect(after.status).toBe(200);
  }, TIMEOUT);
});

describe('passkeys', () => {
  it('sign-in: options and responses with hostile WebAuthn shapes', async () => {
    const agent = new UserAgent(issuer);
    const url = new URL(`${issuer}/auth`);
    for (const [k, v] of Object.entries({ client_id: WEB_CLIENT.client_id, response_type: 'code', scope: 'openid', redirect_uri: WEB_CLIENT.redirect_uri, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })) url.searchParams.set(k, v);
    const { response, url: at } = await agent.follow(url);
    const page = await response.text();
    const csrf = csrfOf(page);
    const uid = /\/interaction\/([^/?]+)/.exec(at.pathname)![1]!;
    await check(
      fc.asyncProperty(fc.constantFrom('/passkey', '/mfa/passkey', '/passkey-offer'), webAuthnResponseText, formOf(['for', 'remember', 'trust']), fc.boolean(), async (step, response, fields, withCsrf) => {
        const target = `${issuer}/interaction/${uid}${step}`;
        await hit({ method: 'POST', url: target, fields: [...(withCsrf ? ([['csrf', csrf]] as Array<[string, string]>) : []), ['response', response], ...fields], headers: { accept: 'text/html', cookie: agent.jar.header(new URL(target)) }, answer: 'html' });
      }),
    );
    await check(
      fc.asyncProperty(fc.constantFrom('/passkey/options', '/passkey-offer/options'), formOf(['for', 'csrf']), fc.boolean(), encoding, async (step, fields, withCsrf, enc) => {
        const target = `${issuer}/interaction/${uid}${step}`;
        // The page script asks for JSON; a refusal is problem+json (or the HTML error page of a form the browser kit refused).
        const status = await hit({ method: 'POST', url: target, fields: [...(withCsrf ? ([['csrf', csrf]] as Array<[string, string]>) : []), ...fields], encoding: enc as Encoding, headers: { accept: 'application/json', cookie: agent.jar.header(new URL(target)) } });
        expect(status).toBeLessThan(500);
      }),
    );
  }, TIMEOUT);

  it('/account/passkeys, signed in and freshly: hostile WebAuthn responses, names and ids', async () => {
    const agent = new UserAgent(issuer);
    const { html: account } = await signInAt(agent, '/account', { login: TEST_USER.username, password: TEST_USER.password });
    const csrf = csrfOf(account);
    await check(
      fc.asyncProperty(
        fc.constantFrom('/account/passkeys', '/account/passkeys/options', '/account/passkeys/:id/rename', '/account/passkeys/:id/remove', '/account/register/passkey', '/account/register/passkey/options'),
        fc.oneof(hostileText, fc.constant('x')),
        webAuthnResponseText,
        formOf(['name']),
        fc.boolean(),
        async (path, recordId, response, fields, withCsrf) => {
          const target = `${issuer}${path.replace(':id', segment(recordId))}`;
          const json = path.endsWith('/options');
          await hit({
            method: 'POST',
            url: target,
            fields: [...(withCsrf ? ([['csrf', csrf]] as Array<[string, string]>) : []), ['response', response], ...fields],
            headers: { accept: json ? 'application/json' : 'text/html', cookie: agent.jar.header(new URL(target)) },
            answer: json ? 'any' : 'html',
          });
        },
      ),
    );
    // The account still has only the password it had: no hostile response registered a passkey.
    const list = await agent.request('/account/passkeys');
    expect(list.status).toBe(200);
    expect(await list.text()).not.toMatch(/\/account\/passkeys\/[A-Za-z0-9_-]+\/remove/);
  }, TIMEOUT);
});

describe('assets, the API reference, and the development pages', () => {
  it('/assets/theme.css, /assets/brand.css and /admin/v1/docs: hostile names, methods and queries', async () => {
    await check(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('/assets/theme.css', '/assets/brand.css', '/admin/v1/docs', '/admin/v1/docs/api-docs.js', '/admin/v1/docs/swagger-ui.css'), hostileText.map((name) => `/assets/${segment(name)}`), hostileText.map((name) => `/admin/v1/docs/${segment(name)}`)),
        fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE'),
        formOf(['url', 'configUrl', 'v']),
        fc.constantFrom('text/html', 'application/json', '*/*'),
        async (path, method, fields, accept) => {
          const status = await hit({ method, url: `${issuer}${path}`, fields, headers: { accept } });
          if (method === 'POST' || method === 'PUT' || method === 'DELETE') expect(status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        },
      ),
    );
  }, TIMEOUT);

  it('/demo/start, /demo/callback and /dev/mailbox (development): hostile queries and cookies answer HTML', async () => {
    const agent = new UserAgent(dev.issuer);
    const started = await agent.request('/demo/start');
    expect(started.status).toBe(302);
    await check(
      fc.asyncProperty(fc.constantFrom('/demo/start', '/demo/callback', '/dev/mailbox', '/demo/x'), formOf(['code', 'state', 'iss', 'error', 'error_description', 'session_state']), fc.constantFrom('GET', 'POST'), fc.oneof(fc.constant('real'), hostileText), async (path, fields, method, cookie) => {
        const target = new URL(`${dev.issuer}${path}`);
        // Browsers only GET these pages; another method is refused by the router (405 or 404, plain).
        await hit({ method, url: target.toString(), fields, headers: { accept: 'text/html', cookie: cookie === 'real' ? agent.jar.header(target) : `demo_login=${asHeader(cookie)}` }, answer: method === 'GET' ? 'html' : 'any' });
      }),
    );
  }, TIMEOUT);
});

describe('back-channel logout URIs through the admin API', () => {
  it('a client saved with a hostile backchannel_logout_uri is refused with problem+json', async () => {
    await check(
      fc.asyncProperty(fc.oneof(jsonValue, fc.constantFrom('http://127.0.0.1/logout', 'http://10.0.0.1/', 'http://[::1]/x', 'http://169.254.169.254/latest', 'https://user:pw@rp.example/logout', 'javascript:alert(1)', 'https://rp.example/#f')), fc.boolean(), fc.integer({ min: 0, max: 1_000_000 }), async (uri, required, n) => {
        await hit({
          method: 'POST',
          url: `${issuer}/admin/v1/clients`,
          encoding: 'json',
          json: { client_id: `fuzz-bcl-${n}`, grant_types: ['client_credentials'], backchannel_logout_uri: uri, ...(required ? { backchannel_logout_session_required: true } : {}) },
          headers: { authorization: `Bearer ${writer.token}` },
          answer: 'problem',
          refused: true,
        });
      }),
    );
  }, TIMEOUT);
});

describe('after fuzzing', () => {
  it('both processes are alive and ready', async () => {
    for (const server of [op, dev]) {
      expect((await fetch(`${server.issuer}/healthz`)).status).toBe(200);
      expect((await fetch(`${server.issuer}/readyz`)).status).toBe(200);
    }
  });
});
