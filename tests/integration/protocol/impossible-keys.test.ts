/**
 * Keys no record can have — a NUL byte, a lone surrogate, a 5000-character value — answer the
 * RFC error instead of reaching the database and a 500 (issue 11, defect 2), on Postgres + Redis
 * and on the embedded default (PGlite, no Redis): client_id at /auth, /token and /session/end
 * (invalid_client), refresh_token (invalid_grant), introspection token (inactive), revocation
 * token (200, RFC 7009 §2.2), resource (invalid_target).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_CLIENT, startTestProvider, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { postgresUrl } from '../../helpers/stores.js';
import { basic, endpoints, postForm } from './support.js';

const IMPOSSIBLE = { nul: '\u0000', 'nul inside': 'web-app\u0000', 'lone surrogate': '\ud800', 'over-long': 'x'.repeat(5000) };

for (const kind of ['postgres', 'embedded'] as const) {
  describe.skipIf(kind === 'postgres' && !postgresUrl)(`impossible keys on ${kind}`, () => {
    let op: TestProvider;
    beforeAll(async () => {
      op = await startTestProvider({ embedded: kind === 'embedded' });
    }, 120_000);
    afterAll(async () => {
      await op?.stop();
    });
    const web = () => ({ authorization: basic(WEB_CLIENT.client_id, WEB_CLIENT.client_secret) });

    for (const [name, value] of Object.entries(IMPOSSIBLE)) {
      it(`client_id with ${name} is invalid_client at /auth, /token and /session/end`, async () => {
        const auth = new URL(`${op.issuer}/auth`);
        for (const [key, v] of Object.entries({ client_id: value, response_type: 'code', scope: 'openid', redirect_uri: WEB_CLIENT.redirect_uri })) auth.searchParams.set(key, v);
        const authorization = await fetch(auth, { redirect: 'manual', headers: { accept: 'text/html' } });
        expect(authorization.status).toBe(400);
        expect(await authorization.text()).toContain('invalid_client');

        const token = await postForm(endpoints(op).token, { grant_type: 'client_credentials', client_id: value, client_secret: 'whatever-secret-long-enough-123456' });
        expect(token.status).toBe(401);
        expect(token.body.error).toBe('invalid_client');

        const end = new URL(`${op.issuer}/session/end`);
        end.searchParams.set('client_id', value);
        const logout = await fetch(end, { redirect: 'manual', headers: { accept: 'text/html' } });
        expect(logout.status).toBe(400);
        expect(await logout.text()).toContain('invalid_client');
      });

      it(`state, nonce and login_hint with ${name} never reach a 500 (stored in the interaction on PGlite as jsonb)`, async () => {
        for (const parameter of ['state', 'nonce', 'login_hint']) {
          const auth = new URL(`${op.issuer}/auth`);
          const params = { client_id: WEB_CLIENT.client_id, response_type: 'code', scope: 'openid', redirect_uri: WEB_CLIENT.redirect_uri, code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', [parameter]: value };
          for (const [key, v] of Object.entries(params)) auth.searchParams.set(key, v);
          const authorization = await fetch(auth, { redirect: 'manual', headers: { accept: 'text/html' } });
          expect(authorization.status, `${parameter}=${JSON.stringify(value).slice(0, 20)}`).toBeLessThan(500);
          if (authorization.status === 303) {
            // The interaction was stored: its page loads.
            const page = await fetch(new URL(authorization.headers.get('location')!, op.issuer), { headers: { cookie: authorization.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ') } });
            expect(page.status, parameter).toBe(200);
          }
        }
      });

      it(`refresh_token, introspection and revocation token and resource with ${name} get the RFC answer`, async () => {
        const refresh = await postForm(endpoints(op).token, { grant_type: 'refresh_token', refresh_token: value }, web());
        expect(refresh.status).toBe(400);
        expect(refresh.body.error).toBe('invalid_grant');

        const introspection = await postForm(endpoints(op).introspection, { token: value }, web());
        expect(introspection.status).toBe(200);
        expect(introspection.body).toEqual({ active: false });

        const revocation = await postForm(endpoints(op).revocation, { token: value }, web());
        expect(revocation.status).toBe(200);

        const resource = await postForm(endpoints(op).token, { grant_type: 'client_credentials', resource: value, scope: 'orders:read' }, { authorization: basic(SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret) });
        expect(resource.status).toBe(400);
        expect(resource.body.error).toBe('invalid_target');
      });
    }
  });
}
