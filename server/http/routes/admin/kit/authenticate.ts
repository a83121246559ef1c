/**
 * Who is calling, from the bearer token (RFC 6750): no token → 401 with a bare Bearer challenge;
 * a token that fails verification, or whose user is gone or disabled → 401 invalid_token;
 * a token without the operation's scope → 403 insufficient_scope. Challenges go in
 * WWW-Authenticate; bodies are problem+json like every other admin API error.
 */
import type { Context } from 'koa';
import { AppError } from '../../../../shared/errors.js';
import { bearerToken, type VerifiedToken } from '../../../middleware/bearer-token.js';
import type { Principal } from './operation.js';

export interface Authenticator {
  verify(token: string): Promise<VerifiedToken>;
  /** Whether a user still exists and is enabled: a disabled admin's token stops at once. */
  isActiveUser(userId: string): Promise<boolean>;
}

const REALM = 'admin';

function challenge(ctx: Context, params: Record<string, string> = {}) {
  // RFC 6750 §3: error_description is limited to printable ASCII other than " and \.
  const rest = Object.entries(params).map(([k, v]) => `, ${k}="${v.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, '')}"`).join('');
  ctx.set('WWW-Authenticate', `Bearer realm="${REALM}"${rest}`);
}

/** @throws AppError unauthorized / invalid_token (401) or insufficient_scope (403). */
export async function authenticate(ctx: Context, auth: Authenticator, scope: string): Promise<Principal> {
  const token = bearerToken(ctx.get('authorization') || undefined);
  if (!token) {
    challenge(ctx);
    throw new AppError('unauthorized', 'an access token is required (Authorization: Bearer)');
  }
  let principal: Principal;
  try {
    const verified = await auth.verify(token);
    // RFC 9068 §2.2: a client credentials token has the client as its subject.
    principal = { kind: verified.sub === verified.clientId ? 'client' : 'user', id: verified.sub, clientId: verified.clientId, scopes: verified.scopes };
    // Who was refused, for the audit record of a denial.
    (ctx.state as { adminPrincipal?: Principal }).adminPrincipal = principal;
    if (principal.kind === 'user' && !(await auth.isActiveUser(principal.id))) {
      throw new AppError('invalid_token', 'the user of the token is disabled or no longer exists');
    }
  } catch (error) {
    if (error instanceof AppError && error.code === 'invalid_token') challenge(ctx, { error: 'invalid_token', error_description: error.message });
    throw error;
  }
  if (!principal.scopes.has(scope)) {
    challenge(ctx, { error: 'insufficient_scope', scope });
    throw new AppError('insufficient_scope', `this operation needs the scope ${scope}`);
  }
  return principal;
}
