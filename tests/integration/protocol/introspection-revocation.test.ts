/**
 * Token introspection (RFC 7662) and revocation (RFC 7009), both behind client authentication.
 * A confidential client may introspect any token; a public client only its own (RFC 7662 §4);
 * a client may revoke only tokens issued to it, and revoking one token of a grant revokes the grant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPA_CLIENT, WEB_CLIENT, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { basic, endpoints, expectOAuthError, introspect, postForm, signIn, webClient } from './support.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider();
});
afterAll(async () => {
  await op?.stop();
});

const WRONG_SECRET = 'not-the-secret-but-long-enough-1234567890';

describe('introspection', () => {
  it('reports an active access token with client_id, scope and sub', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid email' });
    const info = await client.tokenIntrospection(config, tokens.access_token);
    expect(info).toMatchObject({
      active: true,
      client_id: WEB_CLIENT.client_id,
      sub: tokens.claims()!.sub,
      iss: op.issuer,
      token_type: 'Bearer',
      exp: expect.any(Number),
      iat: expect.any(Number),
    });
    expect(info.scope!.split(' ').sort()).toEqual(['email', 'openid']);
  });

  it('answers active:false for an unknown token', async () => {
    const config = await webClient(op);
    expect(await client.tokenIntrospection(config, 'not-a-token-we-issued')).toEqual({ active: false });
  });

  it('refuses a wrong client secret with 401 invalid_client', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config);
    const { status, headers, body } = await postForm(endpoints(op).introspection, { token: tokens.access_token }, { authorization: basic(WEB_CLIENT.client_id, WRONG_SECRET) });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(headers.get('www-authenticate') ?? '').toMatch(/^Basic/i);
    expect(body).not.toHaveProperty('active');
    // Unauthenticated: also refused.
    const anonymous = await postForm(endpoints(op).introspection, { token: tokens.access_token });
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.error).toBe('invalid_request');
  });

  it('a public client cannot learn about another client\'s token, only about its own', async () => {
    const web = await webClient(op);
    const { tokens: webTokens } = await signIn(op, web);
    const spa = await discover(op.issuer, SPA_CLIENT.client_id);
    expect(await client.tokenIntrospection(spa, webTokens.access_token)).toEqual({ active: false });

    const { tokens: spaTokens } = await signIn(op, spa, { redirectUri: SPA_CLIENT.redirect_uri });
    expect(await client.tokenIntrospection(spa, spaTokens.access_token)).toMatchObject({ active: true, client_id: SPA_CLIENT.client_id });
    // The web client is confidential and may introspect any token.
    expect(await client.tokenIntrospection(web, spaTokens.access_token)).toMatchObject({ active: true, client_id: SPA_CLIENT.client_id });
  });
});

describe('revocation', () => {
  it('revokes an access token: it is then inactive and useless at userinfo', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config);
    expect(await introspect(op, tokens.access_token)).toMatchObject({ active: true });
    await client.tokenRevocation(config, tokens.access_token, { token_type_hint: 'access_token' });
    expect(await introspect(op, tokens.access_token)).toEqual({ active: false });
    await expect(client.fetchUserInfo(config, tokens.access_token, client.skipSubjectCheck)).rejects.toMatchObject({ status: 401 });
  });

  it('revoking a refresh token revokes its grant, including the access tokens issued with it', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid offline_access', prompt: 'consent' });
    await client.tokenRevocation(config, tokens.refresh_token!);
    expect(await introspect(op, tokens.refresh_token!)).toEqual({ active: false });
    expect(await introspect(op, tokens.access_token)).toEqual({ active: false });
    await expectOAuthError(client.refreshTokenGrant(config, tokens.refresh_token!), 'invalid_grant', 400);
  });

  it('answers 200 for an unknown or already revoked token (RFC 7009 §2.2)', async () => {
    const config = await webClient(op);
    await expect(client.tokenRevocation(config, 'not-a-token-we-issued')).resolves.toBeUndefined();
    const { tokens } = await signIn(op, config);
    await client.tokenRevocation(config, tokens.access_token);
    await expect(client.tokenRevocation(config, tokens.access_token)).resolves.toBeUndefined();
  });

  it('refuses a wrong client secret with 401 invalid_client and keeps the token', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config);
    const { status, body } = await postForm(endpoints(op).revocation, { token: tokens.access_token }, { authorization: basic(WEB_CLIENT.client_id, WRONG_SECRET) });
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
    expect(await introspect(op, tokens.access_token)).toMatchObject({ active: true });
  });

  it('another client cannot revoke a token it was not issued (answered 200, nothing revoked)', async () => {
    const web = await webClient(op);
    const { tokens } = await signIn(op, web, { scope: 'openid offline_access', prompt: 'consent' });
    const spa = await discover(op.issuer, SPA_CLIENT.client_id);
    await client.tokenRevocation(spa, tokens.access_token);
    await client.tokenRevocation(spa, tokens.refresh_token!);
    expect(await introspect(op, tokens.access_token)).toMatchObject({ active: true });
    expect(await introspect(op, tokens.refresh_token!)).toMatchObject({ active: true });
  });
});
