/**
 * Property-based fuzzing of every endpoint (issue 11): discovery, JWKS, authorization, token
 * (every grant), introspection, revocation, userinfo, end session, registration, interaction and
 * /account forms, the admin API with a valid token, health and metrics. Values are hostile (NUL,
 * lone surrogates, very long strings, arrays for strings) and so are encodings (wrong content
 * types, unknown charsets). Every answer is below 500 and leaks no stack or path; afterwards
 * the process still answers and the audit trail still flushes and verifies.
 *
 * Bounded: about 2,000 cases in all. The seed is fixed (FUZZ_SEED overrides it) and fast-check
 * prints it, with the counterexample and its path, in the failure message, so a failure replays.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminContext, type AdminTestContext } from '../admin/context.js';
import { SERVICE_CLIENT, WEB_CLIENT } from '../../helpers/provider.js';
import { basic } from '../protocol/support.js';
import { encoding, formOf, hostileText, jsonValue, type Encoding } from './arbitraries.js';
import { send } from './send.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const INITIAL_ACCESS_TOKEN = 'fuzz-initial-access-token-0123456789abcdef';
const METRICS_TOKEN = 'fuzz-metrics-token-0123456789abcdef';
// Cases per property; 16 properties × ~125 ≈ 2,000.
const RUNS = Number(process.env.FUZZ_RUNS ?? 125);
const TIMEOUT = 180_000;

let ctx: AdminTestContext;
let issuer: string;
beforeAll(async () => {
  ctx = await startAdminContext({
    CLIENT_REGISTRATION_ENABLED: 'true',
    CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS: INITIAL_ACCESS_TOKEN,
    METRICS_ENABLED: 'true',
    METRICS_TOKEN,
    // The fuzzer is one client sending thousands of requests; rate limits are not what is tested.
    TOKEN_RATE_LIMIT: '100000',
    LOGIN_FAILURE_LIMIT: '100000',
    PASSKEY_OFFER_ENABLED: 'true',
  });
  issuer = ctx.op.issuer;
}, TIMEOUT);
afterAll(async () => {
  await ctx?.op.stop();
});

const check = (property: fc.IAsyncProperty<[unknown, ...unknown[]]> | fc.IAsyncPropertyWithHooks<[unknown, ...unknown[]]>) => fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: true });
const web = () => ({ authorization: basic(WEB_CLIENT.client_id, WEB_CLIENT.client_secret) });
const GRANTS = ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:token-exchange', 'password', 'implicit'];
const AUTH_PARAMS = ['client_id', 'response_type', 'scope', 'redirect_uri', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'resource', 'prompt', 'max_age', 'claims', 'acr_values', 'ui_locales', 'login_hint', 'request', 'request_uri', 'response_mode'];
const TOKEN_PARAMS = ['code', 'refresh_token', 'code_verifier', 'redirect_uri', 'scope', 'resource', 'client_id', 'client_secret', 'device_code', 'client_assertion', 'client_assertion_type', 'audience'];

/** A path segment for any text: lone surrogates (which no URL can hold) become the invalid UTF-8 bytes %ED%A0%80. */
function segment(text: string): string {
  return Array.from(text.slice(0, 3000), (ch) => (/^[\uD800-\uDFFF]$/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
}

/** Starts a real authorization request and returns its interaction uid and cookies. */
async function interaction(): Promise<{ uid: string; cookie: string }> {
  const url = new URL(`${issuer}/auth`);
  for (const [k, v] of Object.entries({ client_id: WEB_CLIENT.client_id, response_type: 'code', scope: 'openid', redirect_uri: WEB_CLIENT.redirect_uri, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })) url.searchParams.set(k, v);
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location') ?? '';
  const uid = /\/interaction\/([^/?]+)/.exec(location)?.[1];
  if (!uid) throw new Error(`no interaction from ${response.status} ${location}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return { uid, cookie };
}

describe('fuzzing the protocol endpoints', () => {
  it('discovery, JWKS, health and metrics', async () => {
    await check(
      fc.asyncProperty(fc.constantFrom('/.well-known/openid-configuration', '/jwks', '/healthz', '/readyz', '/metrics', '/.well-known/oauth-authorization-server'), formOf(['x', 'format', 'callback']), fc.constantFrom('GET', 'POST', 'HEAD', 'PUT'), hostileText, async (path, fields, method, token) => {
        await send({ method, url: `${issuer}${path}`, fields, headers: { authorization: path === '/metrics' ? `Bearer ${Math.random() < 0.5 ? METRICS_TOKEN : token.slice(0, 200).replace(/[^\x20-\x7e]/g, '')}` : 'Bearer x' } });
      }),
    );
  }, TIMEOUT);

  it('authorization', async () => {
    await check(
      fc.asyncProperty(formOf(AUTH_PARAMS, {}), fc.constantFrom('GET', 'POST'), fc.boolean(), async (fields, method, realClient) => {
        const base: Array<[string, string]> = realClient ? [['client_id', WEB_CLIENT.client_id], ['response_type', 'code'], ['scope', 'openid'], ['redirect_uri', WEB_CLIENT.redirect_uri]] : [];
        await send({ method, url: `${issuer}/auth`, fields: [...base, ...fields], encoding: 'form' });
      }),
    );
  }, TIMEOUT);

  it('token, every grant, with and without client authentication', async () => {
    await check(
      fc.asyncProperty(fc.oneof(fc.constantFrom(...GRANTS), hostileText), formOf(TOKEN_PARAMS), fc.constantFrom('web', 'service', 'none', 'bad'), encoding, async (grant, fields, auth, enc) => {
        const headers: Record<string, string> =
          auth === 'web' ? web() : auth === 'service' ? { authorization: basic(SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret) } : auth === 'bad' ? { authorization: 'Basic %%%' } : {};
        await send({ method: 'POST', url: `${issuer}/token`, fields: [['grant_type', grant], ...fields], encoding: enc as Encoding, headers });
      }),
    );
  }, TIMEOUT);

  it('introspection and revocation', async () => {
    await check(
      fc.asyncProperty(fc.constantFrom('/token/introspection', '/token/revocation'), formOf(['token', 'token_type_hint', 'client_id', 'client_secret']), encoding, fc.boolean(), async (path, fields, enc, authenticated) => {
        await send({ method: 'POST', url: `${issuer}${path}`, fields, encoding: enc as Encoding, headers: authenticated ? web() : {} });
      }),
    );
  }, TIMEOUT);

  it('userinfo', async () => {
    await check(
      fc.asyncProperty(hostileText, fc.constantFrom('GET', 'POST'), formOf(['access_token', 'claims']), async (token, method, fields) => {
        const header = token.replace(/[^\x20-\x7e]/g, '').slice(0, 4000);
        await send({ method, url: `${issuer}/me`, fields, headers: header ? { authorization: `Bearer ${header}` } : {} });
      }),
    );
  }, TIMEOUT);

  it('end session', async () => {
    await check(
      fc.asyncProperty(formOf(['id_token_hint', 'post_logout_redirect_uri', 'client_id', 'state', 'ui_locales', 'logout_hint', 'xsrf', 'logout']), fc.constantFrom('GET', 'POST'), async (fields, method) => {
        await send({ method, url: `${issuer}/session/end`, fields });
        await send({ method: 'POST', url: `${issuer}/session/end/confirm`, fields });
      }),
    );
  }, TIMEOUT);

  it('registration', async () => {
    const names = ['redirect_uris', 'grant_types', 'response_types', 'client_name', 'contacts', 'token_endpoint_auth_method', 'scope', 'logo_uri', 'application_type', 'post_logout_redirect_uris', 'jwks', 'subject_type', 'default_max_age'];
    await check(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...names), jsonValue, { maxKeys: 5 }), fc.constantFrom('json', 'json', 'form', 'text/plain'), fc.boolean(), async (metadata, enc, authorized) => {
        await send({
          method: 'POST',
          url: `${issuer}/reg`,
          json: { redirect_uris: ['https://a.example/cb'], ...metadata },
          fields: Object.entries(metadata).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v) ?? '']),
          encoding: enc as Encoding,
          headers: authorized ? { authorization: `Bearer ${INITIAL_ACCESS_TOKEN}` } : {},
        });
      }),
    );
    await check(
      fc.asyncProperty(hostileText, fc.constantFrom('GET', 'PUT', 'DELETE'), async (id, method) => {
        await send({ method, url: `${issuer}/reg/${segment(id)}`, headers: { authorization: 'Bearer not-a-registration-token' }, encoding: 'json', json: { client_id: id } });
      }),
    );
  }, TIMEOUT);
});

describe('fuzzing the pages', () => {
  it('interaction forms, for a real interaction and an unknown one', async () => {
    const real = await interaction();
    const steps = ['', '/login', '/password', '/consent', '/mfa', '/mfa/sms', '/mfa/enrol', '/mfa/done', '/select-account', '/abort', '/registered', '/federation/link', '/federation/return', '/passkey', '/passkey/options', '/mfa/passkey', '/passkey-offer', '/passkey-offer/options', '/passkey-offer/skip'];
    await check(
      fc.asyncProperty(fc.constantFrom(...steps), fc.boolean(), formOf(['login', 'password', 'csrf', '_csrf', 'code', 'remember', 'method', 'account', 'prompt', 'recovery_code', 'phone', 'response', 'for', 'trust']), encoding, fc.constantFrom('GET', 'POST'), async (step, known, fields, enc, method) => {
        const uid = known ? real.uid : 'no-such-interaction';
        await send({ method, url: `${issuer}/interaction/${uid}${step}`, fields, encoding: enc as Encoding, headers: { cookie: real.cookie, accept: 'text/html' } });
      }),
    );
  }, TIMEOUT);

  it('/account forms', async () => {
    const paths = ['/account', '/account/login', '/account/register', '/account/register/verify', '/account/register/resend', '/account/recover', '/account/reset', '/account/reset/done', '/account/email', '/account/email/verify', '/account/email/confirm', '/account/password', '/account/phone', '/account/phone/verify', '/account/profile', '/account/mfa/totp', '/account/mfa/recovery-codes', '/account/callback', '/account/apps/x/revoke', '/account/passkeys', '/account/passkeys/options', '/account/passkeys/x/rename', '/account/passkeys/x/remove', '/account/register/passkey', '/account/register/passkey/options'];
    await check(
      fc.asyncProperty(fc.constantFrom(...paths), formOf(['email', 'username', 'password', 'new_password', 'code', 'token', 'csrf', '_csrf', 'name', 'phone', 'locale', 'state']), encoding, fc.constantFrom('GET', 'POST'), async (path, fields, enc, method) => {
        await send({ method, url: `${issuer}${path}`, fields, encoding: enc as Encoding, headers: { accept: 'text/html' } });
      }),
    );
  }, TIMEOUT);
});

describe('fuzzing the admin API with a valid token', () => {
  const resources = ['/users', '/clients', '/roles', '/resource-servers', '/webhooks', '/audit', '/audit/records', '/audit/export'];

  it('collections: query parameters and bodies', async () => {
    await check(
      fc.asyncProperty(fc.constantFrom(...resources), formOf(['limit', 'cursor', 'q', 'type', 'from', 'to', 'actor', 'subject', 'email', 'username']), fc.dictionary(hostileText, jsonValue, { maxKeys: 5 }), fc.constantFrom('GET', 'POST'), fc.constantFrom('json', 'json', 'form', 'text/plain', 'json; charset=latin1'), async (resource, query, body, method, enc) => {
        const url = new URL(`${issuer}/admin/v1${resource}`);
        if (method === 'POST') for (const [k, v] of query) for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
        await send({ method, url: url.toString(), fields: method === 'GET' ? query : [], json: body, encoding: enc as Encoding, headers: { authorization: `Bearer ${ctx.tokens.writer}` } });
      }),
    );
  }, TIMEOUT);

  it('items: hostile ids, methods and If-Match', async () => {
    await check(
      fc.asyncProperty(fc.constantFrom(...resources), hostileText, fc.constantFrom('GET', 'PATCH', 'PUT', 'DELETE', 'POST'), fc.dictionary(hostileText, jsonValue, { maxKeys: 4 }), hostileText, async (resource, id, method, body, etag) => {
        const ifMatch = etag.replace(/[^\x20-\x7e]/g, '').slice(0, 200);
        await send({
          method,
          url: `${issuer}/admin/v1${resource}/${segment(id)}`,
          json: body,
          encoding: 'json',
          headers: { authorization: `Bearer ${ctx.tokens.writer}`, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        });
      }),
    );
  }, TIMEOUT);
});

describe('after fuzzing', () => {
  it('the process is alive, ready, and its audit trail flushes and verifies', async () => {
    expect((await fetch(`${issuer}/healthz`)).status).toBe(200);
    const { compliance } = ctx.op.running.container;
    await compliance.trail.flush();
    expect(compliance.trail.depth()).toBe(0);
    expect(compliance.trail.stalled()).toBe(false);
    expect(await compliance.verify()).toMatchObject({ ok: true });
    expect((await fetch(`${issuer}/readyz`)).status).toBe(200);
  }, TIMEOUT);
});
