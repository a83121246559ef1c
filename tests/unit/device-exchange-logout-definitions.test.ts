/**
 * The client metadata of issue 17 (client-definition.ts): device and token-exchange grants,
 * backchannel_logout_uri / backchannel_logout_session_required, the token_exchange policy, each
 * refusal naming its field; and the token exchange decision (clients/domain/token-exchange.ts).
 */
import { describe, expect, it } from 'vitest';
import { clientDefinitionSchema, decideExchange, type ExchangeParty, type TokenExchangePolicy } from '../../server/modules/clients/index.js';

const EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';
const SECRET = 's'.repeat(32);

function issuesOf(input: Record<string, unknown>) {
  const result = clientDefinitionSchema.safeParse(input);
  if (result.success) throw new Error('expected the client definition to be refused');
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

const policy = { subject_clients: ['web'], audiences: ['https://api.example.com'], scopes: ['read'], impersonation: true };

describe('client definitions', () => {
  it('accepts a public device client without redirect URIs', () => {
    const parsed = clientDefinitionSchema.parse({ client_id: 'tv', token_endpoint_auth_method: 'none', grant_types: [DEVICE, 'refresh_token'] });
    expect(parsed.response_types).toEqual([]);
  });

  it('accepts back-channel logout metadata and refuses it malformed, by field', () => {
    expect(clientDefinitionSchema.safeParse({ client_id: 'svc', grant_types: ['client_credentials'], backchannel_logout_uri: 'https://rp.example.com/logout', backchannel_logout_session_required: true }).success).toBe(true);
    expect(issuesOf({ client_id: 'svc', grant_types: ['client_credentials'], backchannel_logout_uri: 'ftp://rp.example.com/logout' })).toEqual([{ path: 'backchannel_logout_uri', message: 'must be an http(s) URI' }]);
    expect(issuesOf({ client_id: 'svc', grant_types: ['client_credentials'], backchannel_logout_uri: 'https://rp.example.com/#x' })[0]!.path).toBe('backchannel_logout_uri');
    expect(issuesOf({ client_id: 'svc', grant_types: ['client_credentials'], backchannel_logout_session_required: 'yes' })[0]!.path).toBe('backchannel_logout_session_required');
    expect(issuesOf({ client_id: 'svc', grant_types: ['client_credentials'], backchannel_logout_session_required: true })).toEqual([{ path: 'backchannel_logout_session_required', message: 'needs backchannel_logout_uri' }]);
  });

  it('token exchange: needs a confidential client and a policy; a policy needs the grant; policy fields are checked', () => {
    expect(clientDefinitionSchema.safeParse({ client_id: 'gw', client_secret: SECRET, grant_types: [EXCHANGE], token_exchange: policy }).success).toBe(true);
    expect(issuesOf({ client_id: 'gw', client_secret: SECRET, grant_types: [EXCHANGE] })).toEqual([{ path: 'token_exchange', message: 'required for the token-exchange grant' }]);
    expect(issuesOf({ client_id: 'gw', token_endpoint_auth_method: 'none', grant_types: [EXCHANGE], token_exchange: policy })).toEqual([{ path: 'grant_types', message: 'token exchange needs a confidential client' }]);
    expect(issuesOf({ client_id: 'gw', grant_types: ['client_credentials'], token_exchange: policy })).toEqual([{ path: 'token_exchange', message: `only with grant type ${EXCHANGE}` }]);
    expect(issuesOf({ client_id: 'gw', client_secret: SECRET, grant_types: [EXCHANGE], token_exchange: { ...policy, audiences: ['not a uri'] } })[0]!.path).toBe('token_exchange.audiences.0');
    expect(issuesOf({ client_id: 'gw', client_secret: SECRET, grant_types: [EXCHANGE], token_exchange: { ...policy, subject_clients: [] } })[0]).toEqual({ path: 'token_exchange.subject_clients', message: 'name at least one of subject_clients or subject_issuers' });
    expect(issuesOf({ client_id: 'gw', client_secret: SECRET, grant_types: [EXCHANGE], token_exchange: { ...policy, impersonation: false } })[0]!.path).toBe('token_exchange.delegation');
    expect(issuesOf({ client_id: 'gw', client_secret: SECRET, grant_types: [EXCHANGE], token_exchange: { ...policy, extra: 1 } })[0]!.path).toBe('token_exchange');
  });
});

describe('decideExchange', () => {
  const full: TokenExchangePolicy = { subject_clients: ['web'], subject_issuers: ['https://partner.example'], audiences: ['https://api'], scopes: ['read', 'write'], impersonation: true, delegation: true };
  const user: ExchangeParty = { issuer: 'https://op', ours: true, sub: 'u1', clientId: 'web', scopes: ['read', 'openid'], mayAct: undefined, act: undefined };
  const actor: ExchangeParty = { issuer: 'https://op', ours: true, sub: 'gw', clientId: 'gw', scopes: ['read'], mayAct: undefined, act: undefined };
  const api = ['read', 'write'];

  it('narrows to what subject, policy and API all allow', () => {
    expect(decideExchange(full, user, undefined, { resource: 'https://api', scopes: undefined }, api)).toEqual({ allowed: true, scopes: ['read'], act: undefined });
    expect(decideExchange(full, user, undefined, { resource: 'https://api', scopes: ['write'] }, api)).toMatchObject({ allowed: false, error: 'invalid_scope' });
    expect(decideExchange(full, { ...user, scopes: undefined }, undefined, { resource: 'https://api', scopes: ['write'] }, ['read'])).toMatchObject({ allowed: false, error: 'invalid_scope' });
  });

  it('names the actor in act, nesting an earlier act; may_act limits the actor', () => {
    expect(decideExchange(full, { ...user, act: { sub: 'first' } }, actor, { resource: 'https://api', scopes: ['read'] }, api)).toEqual({ allowed: true, scopes: ['read'], act: { sub: 'gw', client_id: 'gw', act: { sub: 'first' } } });
    expect(decideExchange(full, { ...user, mayAct: { sub: 'someone-else' } }, actor, { resource: 'https://api', scopes: ['read'] }, api)).toMatchObject({ allowed: false, error: 'invalid_request' });
    expect(decideExchange(full, { ...user, mayAct: { sub: 'gw' } }, actor, { resource: 'https://api', scopes: ['read'] }, api)).toMatchObject({ allowed: true });
  });

  it('refuses what the policy does not name', () => {
    expect(decideExchange(undefined, user, undefined, { resource: 'https://api', scopes: undefined }, api)).toMatchObject({ allowed: false, error: 'invalid_request' });
    expect(decideExchange(full, { ...user, clientId: 'spa' }, undefined, { resource: 'https://api', scopes: undefined }, api)).toMatchObject({ allowed: false, error: 'invalid_request' });
    expect(decideExchange(full, { ...user, ours: false, issuer: 'https://stranger.example' }, undefined, { resource: 'https://api', scopes: undefined }, api)).toMatchObject({ allowed: false, error: 'invalid_request' });
    expect(decideExchange(full, { ...user, ours: false, issuer: 'https://partner.example', scopes: undefined }, undefined, { resource: 'https://api', scopes: ['write'] }, api)).toMatchObject({ allowed: true, scopes: ['write'] });
    expect(decideExchange(full, user, undefined, { resource: 'https://other', scopes: undefined }, api)).toMatchObject({ allowed: false, error: 'invalid_target' });
    expect(decideExchange({ ...full, impersonation: false }, user, undefined, { resource: 'https://api', scopes: undefined }, api)).toMatchObject({ allowed: false, error: 'invalid_request' });
    expect(decideExchange({ ...full, delegation: false }, user, actor, { resource: 'https://api', scopes: undefined }, api)).toMatchObject({ allowed: false, error: 'invalid_request' });
  });
});
