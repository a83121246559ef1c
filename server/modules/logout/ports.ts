/** What back-channel logout needs: clients' registrations, a signer for logout tokens, a guarded POST. */
import type { DeliveryReceipt } from '../notifications/index.js';

export interface LogoutClients {
  /** The client's metadata (RFC 7591 names); undefined when it no longer exists. */
  metadataOf(clientId: string): Promise<Record<string, unknown> | undefined>;
}

/** Signs a logout token with the provider's current signing key for `alg`, adding iss, iat, exp and typ logout+jwt. */
export interface LogoutTokenSigner {
  sign(claims: Record<string, unknown>, alg: string): Promise<string>;
}

/**
 * POSTs a form to a client's endpoint after the webhook address policy has accepted it.
 * @throws DeliveryError (retryable for timeouts, connection failures and 5xx; not for a refused address).
 */
export interface LogoutPoster {
  post(url: string, form: Record<string, string>): Promise<DeliveryReceipt>;
}
