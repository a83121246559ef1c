/**
 * Token exchange (RFC 8693) decisions, pure: may this client exchange this subject (and actor)
 * for a token to this API with these scopes? Nothing is allowed unless the client's policy
 * (client-definition.ts `token_exchange`) lists it; scopes only narrow (never beyond the subject
 * token's scopes, the policy's, or what the API grants); `may_act` in the subject token (§4.4)
 * restricts who may act for it. Refusals carry the RFC 8693 §2.2.2 error code.
 */
import type { TokenExchangePolicy } from './client-definition.js';

export const TOKEN_TYPES = {
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  idToken: 'urn:ietf:params:oauth:token-type:id_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
} as const;

/** A verified subject or actor token, whichever kind it was. */
export interface ExchangeParty {
  /** Our issuer for our own tokens, else the trusted issuer's. */
  issuer: string;
  /** Whether we issued it. */
  ours: boolean;
  sub: string;
  /** The client the token was issued to (our tokens: client_id / azp / aud of an ID token). */
  clientId: string | undefined;
  /** The token's scopes; undefined for tokens that carry none (ID tokens, most foreign JWTs). */
  scopes: readonly string[] | undefined;
  /** RFC 8693 §4.4 may_act: who may act for this subject. */
  mayAct: Record<string, unknown> | undefined;
  /** An `act` it already carries (a token obtained by delegation), kept nested (§4.1). */
  act: Record<string, unknown> | undefined;
}

export interface ExchangeRequest {
  resource: string;
  /** Scopes asked for; undefined: all the subject may have within the policy. */
  scopes: readonly string[] | undefined;
}

export type ExchangeDecision =
  | { allowed: true; scopes: string[]; act: Record<string, unknown> | undefined }
  | { allowed: false; error: 'invalid_request' | 'invalid_target' | 'invalid_scope'; description: string };

const refuse = (error: 'invalid_request' | 'invalid_target' | 'invalid_scope', description: string): ExchangeDecision => ({ allowed: false, error, description });

function subjectAccepted(policy: TokenExchangePolicy, subject: ExchangeParty): boolean {
  if (subject.ours) return subject.clientId !== undefined && policy.subject_clients.includes(subject.clientId);
  return policy.subject_issuers.includes(subject.issuer);
}

/** §4.4: every claim may_act states must match the actor (sub, and iss / client_id when stated). */
function mayActAllows(mayAct: Record<string, unknown>, actor: ExchangeParty): boolean {
  if (typeof mayAct.sub === 'string' && mayAct.sub !== actor.sub) return false;
  if (typeof mayAct.iss === 'string' && mayAct.iss !== actor.issuer) return false;
  if (typeof mayAct.client_id === 'string' && mayAct.client_id !== actor.clientId) return false;
  return true;
}

/**
 * @param apiScopes the scopes the API would grant this client and user (resource indicators).
 */
export function decideExchange(
  policy: TokenExchangePolicy | undefined,
  subject: ExchangeParty,
  actor: ExchangeParty | undefined,
  request: ExchangeRequest,
  apiScopes: readonly string[],
): ExchangeDecision {
  if (!policy) return refuse('invalid_request', 'this client has no token exchange policy');
  if (!subjectAccepted(policy, subject)) {
    return refuse('invalid_request', subject.ours ? 'tokens of this client may not be exchanged by the requesting client' : 'tokens of this issuer may not be exchanged by the requesting client');
  }
  if (!actor && !policy.impersonation) return refuse('invalid_request', 'impersonation is not allowed for this client; send an actor_token');
  if (actor && !policy.delegation) return refuse('invalid_request', 'delegation is not allowed for this client');
  if (actor && subject.mayAct && !mayActAllows(subject.mayAct, actor)) return refuse('invalid_request', 'the actor is not allowed to act for the subject (may_act)');
  if (!policy.audiences.includes(request.resource)) return refuse('invalid_target', `this client may not exchange tokens for ${request.resource}`);

  const allowed = new Set(policy.scopes.filter((scope) => apiScopes.includes(scope) && (subject.scopes === undefined || subject.scopes.includes(scope))));
  const asked = request.scopes ?? [...allowed];
  const beyond = asked.filter((scope) => !allowed.has(scope));
  if (beyond.length) return refuse('invalid_scope', `scope beyond what may be exchanged: ${beyond.join(' ')}`);

  const act = actor
    ? { sub: actor.sub, ...(actor.ours ? {} : { iss: actor.issuer }), ...(actor.clientId ? { client_id: actor.clientId } : {}), ...(subject.act ? { act: subject.act } : {}) }
    : subject.act;
  return { allowed: true, scopes: [...new Set(asked)], act };
}
