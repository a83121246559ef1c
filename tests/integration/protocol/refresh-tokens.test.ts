/**
 * Refresh tokens (RFC 6749 §6, RFC 9700 §4.14.2): issued only for offline_access, rotated on
 * every use, and a reused (already rotated) refresh token revokes the whole grant, so a thief
 * and the legitimate client both lose access.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPA_CLIENT, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { expectOAuthError, introspect, signIn, webClient } from './support.js';

let op: TestProvider;
beforeAll(async () => {
  // Strict rotation as oidc-provider does it: no reuse window (refresh-races.test.ts covers the window).
  op = await startTestProvider({ env: { REFRESH_TOKEN_REUSE_WINDOW: '0' } });
});
afterAll(async () => {
  await op?.stop();
});

describe('refresh tokens', () => {
  it('are not issued without offline_access', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid email' });
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('are issued for offline_access with prompt=consent and rotate on every use', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid email offline_access', prompt: 'consent' });
    const first = tokens.refresh_token!;
    expect(first).toBeTruthy();

    const refreshed = await client.refreshTokenGrant(config, first);
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(first);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.claims()?.sub).toBe(tokens.claims()?.sub);
    expect(refreshed.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'email', 'offline_access']));
    expect(await introspect(op, refreshed.access_token)).toMatchObject({ active: true });

    // The next refresh uses the newest token and rotates again.
    const again = await client.refreshTokenGrant(config, refreshed.refresh_token!);
    expect(again.refresh_token).not.toBe(refreshed.refresh_token);
    expect(await introspect(op, again.refresh_token!)).toMatchObject({ active: true, client_id: 'web-app' });
    // A rotated refresh token is consumed: no longer active even before anyone reuses it.
    expect(await introspect(op, first)).toEqual({ active: false });
    expect(await introspect(op, refreshed.refresh_token!)).toEqual({ active: false });
  });

  it('reusing a rotated refresh token fails with invalid_grant and revokes the whole grant', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid email offline_access', prompt: 'consent' });
    const old = tokens.refresh_token!;
    const rotated = await client.refreshTokenGrant(config, old);
    const current = rotated.refresh_token!;
    expect(await introspect(op, current)).toMatchObject({ active: true });
    expect(await introspect(op, rotated.access_token)).toMatchObject({ active: true });

    await expectOAuthError(client.refreshTokenGrant(config, old), 'invalid_grant', 400);

    // Everything issued from the grant is gone: the newest refresh token, its access token and the first access token.
    await expectOAuthError(client.refreshTokenGrant(config, current), 'invalid_grant', 400);
    expect(await introspect(op, current)).toEqual({ active: false });
    expect(await introspect(op, rotated.access_token)).toEqual({ active: false });
    expect(await introspect(op, tokens.access_token)).toEqual({ active: false });
    await expect(client.fetchUserInfo(config, rotated.access_token, client.skipSubjectCheck)).rejects.toMatchObject({ status: 401 });
  });

  it('a refresh token belongs to its client: another client gets invalid_grant', async () => {
    const config = await webClient(op);
    const { tokens } = await signIn(op, config, { scope: 'openid offline_access', prompt: 'consent' });
    const spa = await discover(op.issuer, SPA_CLIENT.client_id);
    await expectOAuthError(client.refreshTokenGrant(spa, tokens.refresh_token!), 'invalid_grant', 400);
    // The legitimate client is not affected.
    await expect(client.refreshTokenGrant(config, tokens.refresh_token!)).resolves.toMatchObject({ refresh_token: expect.any(String) });
  });
});
