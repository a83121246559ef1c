/** What the federation module needs from storage and from upstream OpenID Providers. */
import type { FederatedIdentity, UpstreamIdentity } from './domain/identity.js';

export interface FederatedIdentityStore {
  find(issuer: string, subject: string): Promise<FederatedIdentity | undefined>;
  listForUser(userId: string): Promise<FederatedIdentity[]>;
  /** @throws AppError conflict when (issuer, subject) is already linked. */
  create(identity: Omit<FederatedIdentity, 'lastUsedAt'>): Promise<FederatedIdentity>;
  touch(id: string, at: Date): Promise<void>;
  /** @returns false when the user has no such identity. */
  remove(userId: string, id: string): Promise<boolean>;
}

/** Who started an upstream sign-in: an interaction (sign in) or a signed-in user (link on /account). */
export type RequestBinding = { interactionUid: string } | { userId: string };

export interface FederationRequest {
  stateHash: string;
  binding: RequestBinding;
  providerId: string;
  nonce: string;
  codeVerifier: string;
  expiresAt: Date;
}

export interface FederationRequestStore {
  create(request: FederationRequest, now: Date): Promise<void>;
  /** Who started the live request with this state hash, without consuming it (to route the callback). */
  peek(stateHash: string, now: Date): Promise<RequestBinding | undefined>;
  /** Consumes the live request with this state hash atomically. @returns undefined when unknown, used or expired. */
  take(stateHash: string, now: Date): Promise<FederationRequest | undefined>;
  /** Keeps a verified upstream identity awaiting the password that proves the account to link. */
  holdForLink(stateHash: string, identity: UpstreamIdentity, userId: string): Promise<void>;
  /** The identity held for this interaction, if still live. */
  heldForLink(interactionUid: string, now: Date): Promise<{ identity: UpstreamIdentity; userId: string } | undefined>;
  releaseLink(interactionUid: string): Promise<void>;
  /** Deletes up to `limit` expired requests (one round of purgeInBatches). @returns how many. */
  purge(now: Date, limit: number): Promise<number>;
}

/** Why an upstream sign-in failed, as the pages explain it. */
export type UpstreamFailure = 'denied' | 'invalid' | 'unavailable';

export class UpstreamError extends Error {
  constructor(readonly failure: UpstreamFailure, message: string) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface UpstreamAuthorization {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** An upstream OpenID Provider spoken to with openid-client (adapters/upstream-oidc). */
export interface UpstreamClient {
  /** A fresh authorization request (PKCE S256, state, nonce). @throws UpstreamError unavailable. */
  begin(providerId: string): Promise<UpstreamAuthorization>;
  /**
   * Redeems the callback: the code for tokens, then validates the ID token (issuer, audience,
   * signature, expiry, nonce) and the state. @throws UpstreamError.
   */
  complete(providerId: string, callback: URL, checks: { state: string; nonce: string; codeVerifier: string }): Promise<UpstreamIdentity>;
}
