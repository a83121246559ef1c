/**
 * Token exchange (RFC 8693) as a grant registered with oidc-provider
 * (`urn:ietf:params:oauth:grant-type:token-exchange`). The authenticated client presents a
 * subject token — one of our access tokens (opaque ones looked up by the provider, JWT ones
 * verified against our keys), one of our ID tokens, or a JWT of a trusted issuer — optionally an
 * actor token (delegation: the result names the actor in `act`; without one, impersonation), and
 * the API it wants a token for (`resource`, or `audience` holding the API identifier). Its
 * `token_exchange` policy decides (clients/domain/token-exchange.ts); the token is issued for the
 * API exactly as resource indicators would issue it, so the API's scopes and the user's roles
 * still bound it. Refusals follow §2.2.2: invalid_request for a subject or actor token that is
 * invalid or not acceptable by policy, invalid_target for the API, invalid_scope for scopes.
 * Every exchange and every refusal is audited.
 */
import { errors, type Configuration, type FindAccount, type KoaContextWithOIDC, type Provider } from 'oidc-provider';
import { decideExchange, TOKEN_EXCHANGE_GRANT, TOKEN_TYPES, tokenExchangePolicySchema, type ExchangeParty, type ExchangeTokenVerifier } from '../modules/clients/index.js';
import type { AuditTrail } from '../modules/compliance/index.js';

type ResourceIndicators = NonNullable<NonNullable<Configuration['features']>['resourceIndicators']>;

export interface TokenExchangeDeps {
  verifier: ExchangeTokenVerifier;
  audit: Pick<AuditTrail, 'record'>;
}

const PARAMETERS = ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type', 'resource', 'audience', 'scope', 'requested_token_type'];
const ACCEPTED_TYPES = new Set<string>([TOKEN_TYPES.accessToken, TOKEN_TYPES.idToken, TOKEN_TYPES.jwt]);

function text(ctx: KoaContextWithOIDC, name: string): string | undefined {
  const value = (ctx.oidc.params as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new errors.InvalidRequest(`${name} must be given once`);
  return value;
}

/** Our opaque access tokens through the provider; every JWT through the verifier. */
async function partyOf(provider: Provider, verifier: ExchangeTokenVerifier, token: string, type: string, issuer: string): Promise<ExchangeParty | undefined> {
  if (type === TOKEN_TYPES.accessToken && !token.includes('.')) {
    const found = await provider.AccessToken.find(token);
    if (!found || found.isExpired || !found.accountId) return undefined;
    const act = (found.extra as { act?: Record<string, unknown> } | undefined)?.act;
    return { issuer, ours: true, sub: found.accountId, clientId: found.clientId, scopes: (found.scope ?? '').split(' ').filter(Boolean), mayAct: undefined, act };
  }
  return verifier.verify(token, type);
}

/** The Koa handler oidc-provider runs for the grant, after it authenticated the client. */
function handler(deps: TokenExchangeDeps, resourceIndicators: ResourceIndicators, findAccount: FindAccount) {
  return async function tokenExchange(ctx: KoaContextWithOIDC) {
    const { provider, client } = ctx.oidc;
    if (!client) throw new errors.InvalidClient();
    const refuse = (error: Error & { error_description?: string }) => {
      void deps.audit.record({
        type: 'oidc.token_exchange.refused',
        outcome: 'denied',
        actor: { type: 'client', id: client.clientId },
        clientId: client.clientId,
        ip: ctx.ip,
        ...(ctx.state?.requestId ? { requestId: ctx.state.requestId as string } : {}),
        details: { error: (error as { error?: string }).error ?? 'invalid_request', description: error.error_description ?? '' },
      });
      return error;
    };
    const subjectToken = text(ctx, 'subject_token');
    const subjectType = text(ctx, 'subject_token_type');
    if (!subjectToken || !subjectType) throw refuse(new errors.InvalidRequest('subject_token and subject_token_type are required'));
    if (!ACCEPTED_TYPES.has(subjectType)) throw refuse(new errors.InvalidRequest('unsupported subject_token_type'));
    const requested = text(ctx, 'requested_token_type');
    if (requested !== undefined && requested !== TOKEN_TYPES.accessToken) throw refuse(new errors.InvalidRequest('only access tokens can be requested'));
    const actorToken = text(ctx, 'actor_token');
    const actorType = text(ctx, 'actor_token_type');
    if ((actorToken === undefined) !== (actorType === undefined)) throw refuse(new errors.InvalidRequest('actor_token and actor_token_type go together'));
    if (actorType !== undefined && !ACCEPTED_TYPES.has(actorType)) throw refuse(new errors.InvalidRequest('unsupported actor_token_type'));
    const resource = text(ctx, 'resource') ?? text(ctx, 'audience');
    if (!resource) throw refuse(new errors.InvalidTarget('name the API with resource (or audience)'));

    const issuer = provider.issuer;
    const subject = await partyOf(provider, deps.verifier, subjectToken, subjectType, issuer);
    if (!subject) throw refuse(new errors.InvalidRequest('subject_token is invalid or expired'));
    const actor = actorToken && actorType ? await partyOf(provider, deps.verifier, actorToken, actorType, issuer) : undefined;
    if (actorToken && !actor) throw refuse(new errors.InvalidRequest('actor_token is invalid or expired'));

    // The user's roles bound the API's scopes for one of our accounts (resource-servers.ts).
    if (subject.ours) {
      const account = await findAccount(ctx, subject.sub);
      if (!account) throw refuse(new errors.InvalidRequest('the subject is no longer an active account'));
      ctx.oidc.entity('Account', account);
    }
    let server;
    try {
      server = await resourceIndicators.getResourceServerInfo!(ctx, resource, client);
    } catch (error) {
      throw refuse(error as Error);
    }
    const policy = tokenExchangePolicySchema.safeParse((client.metadata() as { token_exchange?: unknown }).token_exchange);
    const scope = text(ctx, 'scope');
    const decision = decideExchange(
      policy.success ? policy.data : undefined,
      subject,
      actor,
      { resource, scopes: scope === undefined ? undefined : scope.split(' ').filter(Boolean) },
      (server.scope ?? '').split(' ').filter(Boolean),
    );
    if (!decision.allowed) {
      if (decision.error === 'invalid_scope') throw refuse(new errors.InvalidScope(decision.description, scope ?? ''));
      throw refuse(decision.error === 'invalid_target' ? new errors.InvalidTarget(decision.description) : new errors.InvalidRequest(decision.description));
    }

    const token = new provider.AccessToken({
      accountId: subject.sub,
      client,
      gty: 'token_exchange',
      scope: decision.scopes.join(' ') || undefined,
      ...(decision.act ? { extra: { act: decision.act } } : {}),
    } as never);
    token.resourceServer = server as never;
    const value = await token.save();
    void deps.audit.record({
      type: 'oidc.token.exchanged',
      outcome: 'success',
      actor: { type: 'client', id: client.clientId },
      ...(subject.ours ? { subject: { type: 'user', id: subject.sub } } : {}),
      clientId: client.clientId,
      ip: ctx.ip,
      ...(ctx.state?.requestId ? { requestId: ctx.state.requestId as string } : {}),
      details: { resource, mode: actor ? 'delegation' : 'impersonation', subjectIssuer: subject.issuer, subjectClient: subject.clientId ?? '', scope: decision.scopes.join(' ') },
    });
    ctx.body = {
      access_token: value,
      issued_token_type: TOKEN_TYPES.accessToken,
      token_type: token.tokenType,
      expires_in: token.expiration,
      ...(decision.scopes.length ? { scope: decision.scopes.join(' ') } : {}),
    };
  };
}

/** @param configuration the provider's: its resource indicators and findAccount issue the token as any grant would. */
export function registerTokenExchange(provider: Provider, deps: TokenExchangeDeps, configuration: { resourceIndicators: ResourceIndicators; findAccount: FindAccount }): void {
  provider.registerGrantType(TOKEN_EXCHANGE_GRANT, handler(deps, configuration.resourceIndicators, configuration.findAccount) as never, new Set(PARAMETERS) as never);
}

/**
 * oidc-provider replaces a token's `extra` with what extraTokenClaims returns; this keeps the
 * `act` an exchange set (RFC 8693 §4.1) next to the claims the configured function adds.
 */
export function keepActClaim(extraTokenClaims: Configuration['extraTokenClaims']): Configuration['extraTokenClaims'] {
  return async (ctx, token) => {
    const act = ((token as { extra?: { act?: unknown } }).extra)?.act;
    const claims = extraTokenClaims ? await extraTokenClaims(ctx, token) : undefined;
    return act ? { ...(claims ?? {}), act } : claims;
  };
}
