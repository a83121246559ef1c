/**
 * RFC 8693 with openid-client's genericGrantRequest: an API gateway exchanges the token a web app
 * sent it for a narrower token to the Orders API, impersonating the user or acting for them
 * (`act`); an ID token as subject. Failures, each with its §2.2.2 error: scopes beyond the
 * subject's or the policy's, an API outside the policy, a forged or unknown subject token, a
 * subject token of a client the policy does not name, delegation by a client that may only
 * impersonate, a client without the grant, missing parameters. Successes and refusals are audited.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRecords } from '../../helpers/audit.js';
import { API, defaultSeed, SERVICE_CLIENT, SPA_CLIENT, startTestProvider, type TestProvider } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import { expectOAuthError, signIn, verifyJwt, webClient } from '../protocol/support.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const GATEWAY = { client_id: 'orders-gateway', client_secret: 'orders-gateway-secret-that-is-long-enough-12345' };
const IMPERSONATOR = { client_id: 'impersonator', client_secret: 'impersonator-secret-that-is-long-enough-1234567' };

let op: TestProvider;
const partner: { server?: Server; issuer: string; key?: CryptoKey } = { issuer: '' };

/** A trusted issuer on loopback: discovery and JWKS, and a key to sign its JWTs with. */
async function startPartner() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig', kid: 'partner-1' };
  partner.key = privateKey;
  partner.server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') res.end(JSON.stringify({ issuer: partner.issuer, jwks_uri: `${partner.issuer}/jwks` }));
    else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => partner.server!.listen(0, '127.0.0.1', () => resolve()));
  partner.issuer = `http://127.0.0.1:${(partner.server.address() as AddressInfo).port}`;
}

function partnerJwt(claims: Record<string, unknown>, key = partner.key!, issuer = partner.issuer) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'partner-1' }).setIssuer(issuer).setIssuedAt().setExpirationTime('5m').sign(key);
}

beforeAll(async () => {
  await startPartner();
  const seed = defaultSeed() as { clients: Array<Record<string, unknown>> };
  const exchanger = (credentials: typeof GATEWAY, delegation: boolean) => ({
    ...credentials,
    grant_types: [GRANT, 'client_credentials'],
    redirect_uris: [],
    resource_scopes: { [API.identifier]: API.scopes },
    token_exchange: { subject_clients: ['web-app'], subject_issuers: [partner.issuer], audiences: [API.identifier], scopes: ['orders:read'], impersonation: true, delegation },
  });
  seed.clients.push(exchanger(GATEWAY, true), exchanger(IMPERSONATOR, false));
  op = await startTestProvider({ seed, env: { TOKEN_EXCHANGE_TRUSTED_ISSUERS: partner.issuer, WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' } });
}, 60_000);
afterAll(async () => {
  await op?.stop();
  await new Promise((resolve) => partner.server?.close(resolve));
});

const gateway = () => discover(op.issuer, GATEWAY.client_id, GATEWAY.client_secret);

/** A user token for the Orders API, as the web app holds it after signing in. */
async function userApiToken() {
  const { tokens } = await signIn(op, await webClient(op), { scope: 'openid orders:read orders:write', resource: API.identifier });
  return tokens;
}

describe('token exchange', () => {
  it('impersonation: the API token of the user becomes a narrower token for the API, with the user as sub', async () => {
    const subject = await userApiToken();
    const exchanged = await client.genericGrantRequest(await gateway(), GRANT, {
      subject_token: subject.access_token,
      subject_token_type: ACCESS_TOKEN,
      resource: API.identifier,
      scope: 'orders:read',
    });
    expect(exchanged.issued_token_type).toBe(ACCESS_TOKEN);
    expect(exchanged.token_type.toLowerCase()).toBe('bearer');
    expect(exchanged.scope).toBe('orders:read');
    const { payload } = await verifyJwt(op, exchanged.access_token, { typ: 'at+jwt', audience: API.identifier });
    const { payload: original } = await verifyJwt(op, subject.access_token, { typ: 'at+jwt', audience: API.identifier });
    expect(payload.sub).toBe(original.sub);
    expect(payload.client_id).toBe(GATEWAY.client_id);
    expect(payload.scope).toBe('orders:read');
    expect(payload.act).toBeUndefined();
    const audited = await auditRecords(op, 'oidc.token.exchanged');
    expect(audited.at(-1)?.details).toMatchObject({ mode: 'impersonation', subjectClient: 'web-app', resource: API.identifier });
  });

  it('delegation: with the gateway\'s own token as actor_token the result names it in act', async () => {
    const subject = await userApiToken();
    const config = await gateway();
    const own = await client.clientCredentialsGrant(config, { resource: API.identifier, scope: 'orders:read' });
    const exchanged = await client.genericGrantRequest(config, GRANT, {
      subject_token: subject.access_token,
      subject_token_type: ACCESS_TOKEN,
      actor_token: own.access_token,
      actor_token_type: ACCESS_TOKEN,
      resource: API.identifier,
    });
    const { payload } = await verifyJwt(op, exchanged.access_token, { typ: 'at+jwt', audience: API.identifier });
    expect(payload.act).toEqual({ sub: GATEWAY.client_id, client_id: GATEWAY.client_id });
    // No scope asked: all the subject had, within the policy.
    expect(payload.scope).toBe('orders:read');
  });

  it('an ID token of the web app as subject token', async () => {
    const { tokens } = await signIn(op, await webClient(op), { scope: 'openid' });
    const exchanged = await client.genericGrantRequest(await gateway(), GRANT, { subject_token: tokens.id_token!, subject_token_type: ID_TOKEN, audience: API.identifier });
    const { payload } = await verifyJwt(op, exchanged.access_token, { typ: 'at+jwt', audience: API.identifier });
    expect(payload.sub).toBe(tokens.claims()!.sub);
    expect(payload.scope).toBe('orders:read');
  });

  it('refusals per RFC 8693 §2.2.2', async () => {
    const subject = await userApiToken();
    const config = await gateway();
    const exchange = (params: Record<string, string>, as = config) => client.genericGrantRequest(as, GRANT, params);
    const base = { subject_token: subject.access_token, subject_token_type: ACCESS_TOKEN, resource: API.identifier };
    // Scopes only narrow: orders:write is the subject's but not the policy's.
    await expectOAuthError(exchange({ ...base, scope: 'orders:write' }), 'invalid_scope', 400);
    await expectOAuthError(exchange({ ...base, scope: 'openid' }), 'invalid_scope', 400);
    await expectOAuthError(exchange({ ...base, resource: 'https://unknown.example.com' }), 'invalid_target', 400);
    await expectOAuthError(exchange({ subject_token: subject.access_token, subject_token_type: ACCESS_TOKEN }), 'invalid_target', 400);
    const forged = `${subject.access_token.slice(0, -4)}AAAA`;
    await expectOAuthError(exchange({ ...base, subject_token: forged }), 'invalid_request', 400);
    await expectOAuthError(exchange({ ...base, subject_token: 'no-such-token' }), 'invalid_request', 400);
    await expectOAuthError(exchange({ ...base, subject_token_type: 'urn:example:unknown' }), 'invalid_request', 400);
    await expectOAuthError(exchange({ resource: API.identifier, subject_token_type: ACCESS_TOKEN }), 'invalid_request', 400);
    await expectOAuthError(exchange({ ...base, requested_token_type: 'urn:ietf:params:oauth:token-type:refresh_token' }), 'invalid_request', 400);
    await expectOAuthError(exchange({ ...base, actor_token: subject.access_token }), 'invalid_request', 400);
    await expectOAuthError(exchange({ ...base, subject_token: '\u0000' }), 'invalid_request', 400);

    // A subject token of a client the policy does not name (the SPA's).
    const spa = await discover(op.issuer, SPA_CLIENT.client_id);
    const { tokens: spaTokens } = await signIn(op, spa, { scope: 'openid orders:read', resource: API.identifier, redirectUri: SPA_CLIENT.redirect_uri });
    await expectOAuthError(exchange({ ...base, subject_token: spaTokens.access_token }), 'invalid_request', 400);

    // Delegation by a client allowed only to impersonate.
    const impersonator = await discover(op.issuer, IMPERSONATOR.client_id, IMPERSONATOR.client_secret);
    const own = await client.clientCredentialsGrant(impersonator, { resource: API.identifier, scope: 'orders:read' });
    await expectOAuthError(exchange({ ...base, actor_token: own.access_token, actor_token_type: ACCESS_TOKEN }, impersonator), 'invalid_request', 400);

    // A client without the grant: oidc-provider's answer at the token endpoint.
    const service = await discover(op.issuer, SERVICE_CLIENT.client_id, SERVICE_CLIENT.client_secret);
    const notAllowed = await expectOAuthError(exchange(base, service), 'invalid_request', 400);
    expect((notAllowed as { error_description?: string }).error_description).toBe('requested grant type is not allowed for this client');

    const refused = await auditRecords(op, 'oidc.token_exchange.refused');
    expect(refused.map((r) => r.details?.error)).toEqual(expect.arrayContaining(['invalid_scope', 'invalid_target', 'invalid_request']));
  }, 60_000);

  it('a JWT of a trusted issuer is verified by its JWKS; a forged one, or one of an untrusted issuer, is refused', async () => {
    const config = await gateway();
    const jwt = 'urn:ietf:params:oauth:token-type:jwt';
    const good = await partnerJwt({ sub: 'partner-user-7', scope: 'orders:read' });
    const exchanged = await client.genericGrantRequest(config, GRANT, { subject_token: good, subject_token_type: jwt, resource: API.identifier });
    const { payload } = await verifyJwt(op, exchanged.access_token, { typ: 'at+jwt', audience: API.identifier });
    expect(payload.sub).toBe('partner-user-7');
    expect(payload.scope).toBe('orders:read');
    const audited = await auditRecords(op, 'oidc.token.exchanged');
    expect(audited.at(-1)?.details).toMatchObject({ subjectIssuer: partner.issuer });

    const { privateKey: stranger } = await generateKeyPair('ES256');
    const forged = await partnerJwt({ sub: 'partner-user-7' }, stranger);
    await expectOAuthError(client.genericGrantRequest(config, GRANT, { subject_token: forged, subject_token_type: jwt, resource: API.identifier }), 'invalid_request', 400);
    const untrusted = await partnerJwt({ sub: 'x' }, partner.key!, 'http://127.0.0.1:1');
    await expectOAuthError(client.genericGrantRequest(config, GRANT, { subject_token: untrusted, subject_token_type: jwt, resource: API.identifier }), 'invalid_request', 400);
  });
});
