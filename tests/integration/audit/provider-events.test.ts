/**
 * A real code flow (openid-client as RP, the provider's own pages), a refresh, a revocation, a
 * reused code, client credentials, RP-initiated logout and a key rotation all land in the hash
 * chain as typed events: with client id, account, IP, user agent and the request id of the
 * request that caused them (the same id the request's log line carries), never a token, code,
 * password or client secret; and the chain verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserAgent } from '../../helpers/browser.js';
import { SERVICE_CLIENT, startTestProvider, TEST_USER, WEB_CLIENT, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { endpoints, postForm, signIn, webClient, webClientAuth } from '../protocol/support.js';
import type { AuditRecordJson } from '../../../server/modules/compliance/index.js';

let op: TestProvider;
beforeAll(async () => {
  op = await startTestProvider();
});
afterAll(async () => {
  await op?.stop();
});

async function trail(): Promise<AuditRecordJson[]> {
  const { compliance } = op.running.container;
  await compliance.trail.flush();
  const lines: string[] = [];
  for await (const chunk of compliance.exportLines({})) lines.push(chunk);
  return lines.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditRecordJson);
}

/** Request ids of the access-log lines for `path`. */
function loggedRequestIds(path: string): Set<string> {
  return new Set(
    op.logs
      .map((line) => JSON.parse(line) as { msg?: string; path?: string; requestId?: string })
      .filter((line) => line.msg === 'request' && line.path === path)
      .map((line) => line.requestId!),
  );
}

describe('provider events in the audit trail', () => {
  it('records a code flow, refresh, revocation, reuse, client credentials and logout, with request ids and no secrets', async () => {
    const config = await webClient(op);
    const agent = new UserAgent(op.issuer);
    const flow = await signIn(op, config, { scope: 'openid email offline_access', prompt: 'consent', agent });
    const accountId = flow.tokens.claims()!.sub;
    const refreshed = await client.refreshTokenGrant(config, flow.tokens.refresh_token!);
    // The code again: invalid_grant, and oidc-provider revokes the grant the code produced.
    const reuse = await postForm(endpoints(op).token, { grant_type: 'authorization_code', code: flow.callback.searchParams.get('code')!, redirect_uri: WEB_CLIENT.redirect_uri, code_verifier: flow.verifier }, webClientAuth());
    expect(reuse.body.error).toBe('invalid_grant');
    const service = await discover(op.issuer, SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret);
    const serviceTokens = await client.clientCredentialsGrant(service);
    await client.tokenRevocation(service, serviceTokens.access_token);
    const { response } = await agent.follow(client.buildEndSessionUrl(config, { id_token_hint: flow.tokens.id_token!, post_logout_redirect_uri: 'http://127.0.0.1:9999/logged-out' }));
    const xsrf = (await response.text()).match(/name="xsrf" value="([^"]+)"/)![1]!;
    await agent.submit('/session/end/confirm', { xsrf, logout: 'yes' });

    const records = await trail();
    const ofType = (type: string) => records.filter((r) => r.type === type);

    const authorized = ofType('oidc.authorization.success');
    expect(authorized.length).toBeGreaterThanOrEqual(1);
    expect(authorized.at(-1)).toMatchObject({ outcome: 'success', actor: { type: 'user', id: accountId }, client_id: WEB_CLIENT.client_id, ip: '127.0.0.1' });

    const granted = ofType('oidc.grant.success');
    expect(granted.map((r) => r.details.grantType).sort()).toEqual(['authorization_code', 'client_credentials']);
    const codeGrant = granted.find((r) => r.details.grantType === 'authorization_code')!;
    expect(codeGrant).toMatchObject({ actor: { type: 'user', id: accountId }, subject: { type: 'user', id: accountId }, client_id: WEB_CLIENT.client_id, ip: '127.0.0.1' });
    expect(codeGrant.user_agent).toBeTruthy();
    expect(granted.find((r) => r.details.grantType === 'client_credentials')).toMatchObject({ actor: { type: 'client', id: SERVICE_CLIENT.client_id } });

    expect(ofType('oidc.token.refreshed')).toEqual([expect.objectContaining({ actor: { type: 'user', id: accountId }, details: { grantType: 'refresh_token' } })]);
    expect(ofType('oidc.grant.error')).toEqual([expect.objectContaining({ outcome: 'failure', client_id: WEB_CLIENT.client_id, details: expect.objectContaining({ error: 'invalid_grant' }) })]);
    expect(ofType('oidc.grant.revoked').length).toBeGreaterThanOrEqual(1);
    expect(ofType('oidc.token.revoked')).toEqual([expect.objectContaining({ client_id: SERVICE_CLIENT.client_id, details: { kind: 'client_credentials' } })]);
    expect(ofType('oidc.end_session.success')).toEqual([expect.objectContaining({ client_id: WEB_CLIENT.client_id, actor: { type: 'user', id: accountId } })]);

    // Every event caused by HTTP names its request, and it is the id the access log line carries.
    const tokenRequests = loggedRequestIds('/token');
    for (const record of [...granted, ...ofType('oidc.token.refreshed'), ...ofType('oidc.grant.error')]) {
      expect(record.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(tokenRequests.has(record.request_id!)).toBe(true);
    }
    expect(loggedRequestIds('/token/revocation').has(ofType('oidc.token.revoked')[0]!.request_id!)).toBe(true);

    const text = JSON.stringify(records);
    const secrets = [
      TEST_USER.password, WEB_CLIENT.client_secret, SERVICE_CLIENT.client_secret, flow.callback.searchParams.get('code')!, flow.verifier,
      flow.tokens.access_token, flow.tokens.refresh_token!, flow.tokens.id_token!, refreshed.access_token, refreshed.refresh_token!, serviceTokens.access_token,
    ];
    for (const secret of secrets) expect(text).not.toContain(secret);

    expect(await op.running.container.compliance.verify()).toMatchObject({ ok: true, count: records.length });
  });

  it('records a key rotation with the new and retired key ids', async () => {
    const result = await op.running.container.rotateKeys();
    const rotated = (await trail()).filter((r) => r.type === 'keys.rotated');
    expect(rotated.map((r) => r.subject!.id).sort()).toEqual([...result.created].sort());
    expect(rotated[0]).toMatchObject({ actor: { type: 'system' }, outcome: 'success', details: { retired: result.retired.join(',') } });
    expect((await op.running.container.compliance.verify()).ok).toBe(true);
  });
});
