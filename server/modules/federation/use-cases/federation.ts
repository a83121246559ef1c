/**
 * Sign-in with upstream OpenID Providers: starting the upstream request (state, nonce and PKCE
 * verifier kept server-side, bound to the interaction or the signed-in user), redeeming the
 * callback, and deciding what a first sign-in does (link, register or refuse:
 * domain/link-decision.ts). Every step is audited; no secret, code or token is recorded.
 */
import { createHash } from 'node:crypto';
import type { AuditTrail, RequestFacts } from '../../compliance/index.js';
import type { CredentialRepository, PasswordHasher, UserRepository } from '../../users/index.js';
import { createUser, USERNAME_PATTERN } from '../../users/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { RateLimiter } from '../../../shared/rate-limit.js';
import { AppError, isAppError } from '../../../shared/errors.js';
import { newId } from '../../../shared/ids.js';
import type { UpstreamIdentity } from '../domain/identity.js';
import { decideFirstSignIn, upstreamSatisfiesMfa, usernameCandidate, type FederationPolicy, type RefusalReason } from '../domain/link-decision.js';
import type { FederatedIdentityStore, FederationRequestStore, RequestBinding, UpstreamClient, UpstreamFailure } from '../ports.js';
import { UpstreamError } from '../ports.js';

/** An upstream shown as a button. */
export interface UpstreamProvider {
  id: string;
  name: string;
  brand: 'google' | 'generic';
}

export interface FederationDeps {
  providers: UpstreamProvider[];
  upstream: UpstreamClient;
  identities: FederatedIdentityStore;
  requests: FederationRequestStore;
  users: UserRepository;
  credentials: CredentialRepository;
  hasher: PasswordHasher;
  audit: AuditTrail;
  clock: Clock;
  policy: FederationPolicy;
  /** How long an upstream sign-in may take (seconds). */
  requestTtlSeconds: number;
  /** Upstream requests started per IP: each one is a stored row and an audit record. */
  startsPerIp?: RateLimiter;
}

export type CallbackOutcome =
  | { kind: 'signed_in'; userId: string; upstreamMfa: boolean; registered: boolean; providerId: string }
  | { kind: 'link_required'; userId: string; providerId: string; email: string }
  | { kind: 'linked'; userId: string; providerId: string }
  | { kind: 'refused'; reason: RefusalReason | 'identity_taken'; providerId: string }
  | { kind: 'failed'; failure: UpstreamFailure | 'state'; providerId: string | undefined };

export const hashState = (state: string) => createHash('sha256').update(state).digest('base64url');

const userSubject = (id: string) => ({ type: 'user' as const, id });

export function createFederation(deps: FederationDeps) {
  const known = (providerId: string) => deps.providers.find((p) => p.id === providerId);

  async function fail(failure: UpstreamFailure | 'state', providerId: string | undefined, facts: RequestFacts, message: string): Promise<CallbackOutcome> {
    await deps.audit.record({ type: 'auth.federation.failure', outcome: 'failure', actor: { type: 'anonymous' }, ...facts, details: { provider: providerId ?? null, failure, message: message.slice(0, 200) } });
    return { kind: 'failed', failure, providerId };
  }

  async function refuse(reason: RefusalReason | 'identity_taken', upstream: UpstreamIdentity, facts: RequestFacts, userId?: string): Promise<CallbackOutcome> {
    await deps.audit.record({
      type: 'auth.federation.refused',
      outcome: 'denied',
      actor: userId ? { type: 'user', id: userId } : { type: 'anonymous' },
      ...(userId ? { subject: userSubject(userId) } : {}),
      ...facts,
      details: { provider: upstream.providerId, issuer: upstream.issuer, reason },
    });
    return { kind: 'refused', reason, providerId: upstream.providerId };
  }

  async function link(userId: string, upstream: UpstreamIdentity, facts: RequestFacts, via: string) {
    const now = deps.clock.now();
    const identity = await deps.identities.create({
      id: newId(), userId, providerId: upstream.providerId, issuer: upstream.issuer, subject: upstream.subject, email: upstream.email ?? null, createdAt: now,
    });
    await deps.audit.record({
      type: 'auth.federation.linked', outcome: 'success', actor: { type: 'user', id: userId }, subject: userSubject(userId), ...facts,
      details: { provider: upstream.providerId, issuer: upstream.issuer, identity: identity.id, via },
    });
    return identity;
  }

  async function register(upstream: UpstreamIdentity, facts: RequestFacts): Promise<string> {
    const base = usernameCandidate(upstream);
    // A taken username is not a reason to refuse: add a short random suffix, a few times.
    for (let attempt = 0; attempt < 5; attempt++) {
      const username = attempt === 0 ? base : `${base.slice(0, 40)}-${newId().slice(-6).toLowerCase()}`;
      if (!USERNAME_PATTERN.test(username) || (await deps.users.findByUsername(username))) continue;
      try {
        const user = await createUser(deps, {
          username,
          email: upstream.email ?? null,
          emailVerified: upstream.email ? upstream.emailVerified : false,
          profile: upstream.name ? { name: upstream.name } : {},
        });
        await deps.audit.record({
          type: 'auth.federation.registered', outcome: 'success', actor: { type: 'user', id: user.id }, subject: userSubject(user.id), ...facts,
          details: { provider: upstream.providerId, issuer: upstream.issuer, emailVerified: user.emailVerified },
        });
        return user.id;
      } catch (error) {
        if (!isAppError(error) || error.code !== 'conflict') throw error;
      }
    }
    throw new AppError('conflict', 'could not find a free username for the new account');
  }

  return {
    providers: deps.providers,

    /** @returns the upstream authorization URL to send the browser to. @throws AppError not_found for an unknown provider, rate_limited. */
    async start(providerId: string, binding: RequestBinding, facts: RequestFacts): Promise<URL> {
      if (!known(providerId)) throw new AppError('not_found', 'unknown sign-in provider');
      const budget = deps.startsPerIp ? await deps.startsPerIp.consume(facts.ip ?? 'unknown') : { allowed: true as const };
      if (!budget.allowed) throw new AppError('rate_limited', 'Too many sign-in attempts. Try again later.');
      const auth = await deps.upstream.begin(providerId);
      const now = deps.clock.now();
      await deps.requests.create(
        { stateHash: hashState(auth.state), binding, providerId, nonce: auth.nonce, codeVerifier: auth.codeVerifier, expiresAt: new Date(now.getTime() + deps.requestTtlSeconds * 1000) },
        now,
      );
      await deps.audit.record({
        type: 'auth.federation.started', outcome: 'success',
        actor: 'userId' in binding ? { type: 'user', id: binding.userId } : { type: 'anonymous' }, ...facts,
        details: { provider: providerId, purpose: 'userId' in binding ? 'link' : 'sign_in' },
      });
      return auth.url;
    },

    /** Who started the upstream request carrying this state (the callback's next hop), without consuming it. */
    async routeCallback(state: string): Promise<RequestBinding | undefined> {
      return state.length <= 512 ? deps.requests.peek(hashState(state), deps.clock.now()) : undefined;
    },

    /**
     * Redeems the upstream's answer at our redirect URI. `binding` is who the browser proves to be
     * (its interaction cookie or its account session): a request started by someone else fails.
     */
    async callback(callback: URL, binding: RequestBinding, facts: RequestFacts): Promise<CallbackOutcome> {
      const state = callback.searchParams.get('state');
      const request = state && state.length <= 512 ? await deps.requests.take(hashState(state), deps.clock.now()) : undefined;
      const bound = request && ('interactionUid' in binding
        ? 'interactionUid' in request.binding && request.binding.interactionUid === binding.interactionUid
        : 'userId' in request.binding && request.binding.userId === binding.userId);
      if (!request || !bound || !state) return fail('state', request?.providerId, facts, 'unknown, used, expired or foreign state');
      let upstream: UpstreamIdentity;
      try {
        upstream = await deps.upstream.complete(request.providerId, callback, { state, nonce: request.nonce, codeVerifier: request.codeVerifier });
      } catch (error) {
        if (error instanceof UpstreamError) return fail(error.failure, request.providerId, facts, error.message);
        throw error;
      }
      const existing = await deps.identities.find(upstream.issuer, upstream.subject);

      if ('userId' in request.binding) {
        const userId = request.binding.userId;
        if (existing) return existing.userId === userId ? { kind: 'linked', userId, providerId: upstream.providerId } : refuse('identity_taken', upstream, facts, userId);
        await link(userId, upstream, facts, 'account');
        return { kind: 'linked', userId, providerId: upstream.providerId };
      }

      const upstreamMfa = upstreamSatisfiesMfa(upstream.amr, deps.policy);
      if (existing) {
        const user = await deps.users.findById(existing.userId);
        if (!user || user.disabled) return refuse('disabled', upstream, facts, existing.userId);
        await deps.identities.touch(existing.id, deps.clock.now());
        return { kind: 'signed_in', userId: user.id, upstreamMfa, registered: false, providerId: upstream.providerId };
      }
      // Usernames cannot contain "@", so an email only ever matches an account's email.
      const match = upstream.email?.includes('@') ? await deps.users.findByLogin(upstream.email) : undefined;
      const decision = decideFirstSignIn(
        upstream,
        match ? { userId: match.id, disabled: match.disabled, hasPassword: !!(await deps.credentials.findPassword(match.id)) } : undefined,
        deps.policy,
      );
      if (decision.action === 'refuse') return refuse(decision.reason, upstream, facts, match?.id);
      if (decision.action === 'link') {
        await deps.requests.holdForLink(hashState(state), upstream, decision.userId);
        return { kind: 'link_required', userId: decision.userId, providerId: upstream.providerId, email: upstream.email ?? '' };
      }
      const userId = await register(upstream, facts);
      await link(userId, upstream, facts, 'registration');
      return { kind: 'signed_in', userId, upstreamMfa, registered: true, providerId: upstream.providerId };
    },

    /** The link awaiting a password for this interaction (undefined: none or expired). */
    async pendingLink(interactionUid: string) {
      const held = await deps.requests.heldForLink(interactionUid, deps.clock.now());
      if (!held) return undefined;
      const user = await deps.users.findById(held.userId);
      if (!user || user.disabled) return undefined;
      return { userId: user.id, username: user.username, email: held.identity.email ?? '', providerId: held.identity.providerId };
    },

    /**
     * Proves the account with its password, then links the held identity.
     * @returns the sign-in result, or undefined for a wrong password (nothing else is revealed).
     */
    async confirmLink(interactionUid: string, password: string, facts: RequestFacts) {
      const held = await deps.requests.heldForLink(interactionUid, deps.clock.now());
      if (!held) return { ok: false as const, expired: true };
      const credential = await deps.credentials.findPassword(held.userId);
      const user = await deps.users.findById(held.userId);
      const valid = credential ? await deps.hasher.verify(credential.hash, password) : await deps.hasher.verifyAgainstDummy(password).then(() => false);
      if (!valid || !user || user.disabled) {
        await deps.audit.record({
          type: 'auth.login.failure', outcome: 'failure', actor: { type: 'anonymous' }, subject: userSubject(held.userId), ...facts,
          details: { stage: 'federation_link' },
        });
        return { ok: false as const, expired: false };
      }
      await link(held.userId, held.identity, facts, 'email_and_password');
      await deps.requests.releaseLink(interactionUid);
      return { ok: true as const, userId: held.userId, upstreamMfa: upstreamSatisfiesMfa(held.identity.amr, deps.policy), mustChangePassword: credential?.mustChange === true };
    },

    async cancelLink(interactionUid: string) {
      await deps.requests.releaseLink(interactionUid);
    },
  };
}

export type Federation = ReturnType<typeof createFederation>;
