/** Who may call: bearer tokens of this provider for the admin API, with the operation's scope. */
import { SignJWT, generateKeyPair, importJWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { AUDIENCE, type AdminTestContext } from './context.js';

export function authorizationSuite(ctx: () => AdminTestContext) {
  describe('authorization', () => {
    it('serves the OpenAPI document without a token', async () => {
      const { api } = ctx();
      const doc = await api.call<{ openapi: string; components: { securitySchemes: unknown } }>('GET', '/openapi.json');
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toBe('3.1.0');
    });

    it('answers 401 with a Bearer challenge without a token', async () => {
      const { api } = ctx();
      const response = await api.call('GET', '/users');
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="admin"');
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      // A browser-like Accept header still gets problem+json, not a page.
      const browser = await api.call('GET', '/users', { headers: { accept: 'text/html' } });
      expect(browser.status).toBe(401);
    });

    it('verifies a token signed by a key another process rotated in, after one key refresh', async () => {
      const { api, op } = ctx();
      const { container } = op.running;
      // Another replica rotates: the new key is in the database; this process has not loaded it yet.
      await container.rotateKeys();
      const active = (await container.keys.keys.list()).find((k) => k.alg === 'RS256' && k.status === 'active')!;
      const before = ((await (await fetch(`${op.issuer}/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
      expect(before).not.toContain(active.kid);
      const key = await importJWK(active.privateJwk as never, 'RS256');
      const token = await new SignJWT({ scope: 'admin:read', client_id: 'admin-reader' })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: active.kid })
        .setIssuer(op.issuer).setAudience(AUDIENCE).setSubject('admin-reader')
        .setIssuedAt().setExpirationTime('5m').setJti('rotated').sign(key);
      expect((await api.call('GET', '/users', { token })).status).toBe(200);
      const after = ((await (await fetch(`${op.issuer}/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
      expect(after).toContain(active.kid);
    });

    it('answers 401 invalid_token for a token of another API, a forged or garbage token', async () => {
      const { api, tokens, op } = ctx();
      const wrongAudience = await api.call('GET', '/users', { token: tokens.orders });
      expect(wrongAudience.status).toBe(401);
      expect(wrongAudience.headers.get('www-authenticate')).toMatch(/^Bearer realm="admin", error="invalid_token", error_description="the token's aud claim/);
      expect((wrongAudience.body as { code: string }).code).toBe('invalid_token');

      const { privateKey } = await generateKeyPair('RS256');
      const forged = await new SignJWT({ scope: 'admin:read admin:write', client_id: 'admin-writer' })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'forged' })
        .setIssuer(op.issuer).setAudience(AUDIENCE).setSubject('admin-writer')
        .setIssuedAt().setExpirationTime('5m').setJti('x').sign(privateKey);
      const forgedResponse = await api.call('GET', '/users', { token: forged });
      expect(forgedResponse.status).toBe(401);
      expect(forgedResponse.headers.get('www-authenticate')).toContain('error="invalid_token"');

      expect((await api.call('GET', '/users', { token: 'not.a.jwt' })).status).toBe(401);
      expect((await api.call('GET', '/users', { headers: { authorization: 'Basic Zm9vOmJhcg==' } })).status).toBe(401);
    });

    it('answers 401 invalid_token for an expired token', async () => {
      const { api, op } = ctx();
      // Signed with the provider's own key, so only the expiry is wrong.
      const keys = (await op.running.container.keys.keys.list()).filter((k) => k.alg === 'RS256' && k.status === 'active');
      const key = await importJWK(keys[0]!.privateJwk as never, 'RS256');
      const now = Math.floor(Date.now() / 1000);
      const expired = await new SignJWT({ scope: 'admin:read', client_id: 'admin-reader' })
        .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: keys[0]!.kid })
        .setIssuer(op.issuer).setAudience(AUDIENCE).setSubject('admin-reader')
        .setIssuedAt(now - 600).setExpirationTime(now - 60).setJti('expired').sign(key);
      const response = await api.call('GET', '/users', { token: expired });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error_description="the token has expired"');
      // The same token, unexpired but typed as an ID token, is refused too.
      const untyped = await new SignJWT({ scope: 'admin:read', client_id: 'admin-reader' })
        .setProtectedHeader({ alg: 'RS256', kid: keys[0]!.kid })
        .setIssuer(op.issuer).setAudience(AUDIENCE).setSubject('admin-reader')
        .setIssuedAt().setExpirationTime('5m').setJti('untyped').sign(key);
      expect((await api.call('GET', '/users', { token: untyped })).status).toBe(401);
    });

    it('answers 403 insufficient_scope when the token lacks the scope', async () => {
      const { api, tokens } = ctx();
      const response = await api.call('POST', '/users', { token: tokens.reader, body: { username: 'nope' } });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="admin", error="insufficient_scope", scope="admin:write"');
      expect((response.body as { code: string }).code).toBe('insufficient_scope');
      // Write does not imply read.
      expect((await api.call('GET', '/users', { token: tokens.writeOnly })).status).toBe(403);
      const denied = ctx().op.logs.map((l) => JSON.parse(l) as { audit?: Record<string, unknown> }).filter((l) => l.audit?.type === 'admin.access.denied').map((l) => l.audit);
      expect(denied).toContainEqual(expect.objectContaining({
        outcome: 'denied',
        actor: { type: 'client', id: 'admin-reader' },
        clientId: 'admin-reader',
        details: { reason: 'insufficient_scope', operation: 'createUser' },
        requestId: response.headers.get('x-request-id'),
      }));
    });
  });
}
