/** What the clients module needs from storage. */
import type { Page, PageRequest } from '../../shared/pagination.js';
import type { ExpectedVersions } from '../../shared/versions.js';

export interface StoredClient {
  clientId: string;
  /** Registration metadata without the secret. */
  metadata: Record<string, unknown>;
  /** Plaintext, decrypted by the repository; undefined for clients without a shared secret. */
  secret: string | undefined;
  source: string;
}

export type ListedClient = Omit<StoredClient, 'secret'> & { hasSecret: boolean };

export interface ClientRepository {
  find(clientId: string): Promise<StoredClient | undefined>;
  /** Inserts or replaces; the secret is encrypted at rest by the repository. */
  save(client: StoredClient): Promise<void>;
  delete(clientId: string): Promise<void>;
  /** Every client by id, without secrets (`hasSecret` tells whether one is stored). */
  list(): Promise<ListedClient[]>;
  /** Every origin any client registered (redirect URI origins and web_origins). */
  origins(): Promise<Set<string>>;
}

/** A client as administration sees it: never its secret, only whether it has one. */
export interface ManagedClient {
  clientId: string;
  metadata: Record<string, unknown>;
  hasSecret: boolean;
  source: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * What administration needs beyond the seed's upserts (the same table adapter implements both).
 * Changes are compare-and-set on the version.
 * @throws UniqueViolation (client_id taken), StaleVersion, RecordMissing (server/shared/store-errors.ts).
 */
export interface ClientStore {
  listPage(page: PageRequest): Promise<Page<ManagedClient>>;
  findManaged(clientId: string): Promise<ManagedClient | undefined>;
  create(client: StoredClient): Promise<ManagedClient>;
  /** @param change.secret a new secret, null to remove it, undefined to keep it. */
  update(clientId: string, versions: ExpectedVersions, change: { metadata?: Record<string, unknown>; secret?: string | null }): Promise<ManagedClient>;
  remove(clientId: string, versions: ExpectedVersions): Promise<void>;
}

/** The provider's read cache of clients: told about every administrative change in this process. */
export interface ClientChanges {
  changed(clientId: string): void;
}

/**
 * Verifies a JWT presented for token exchange (RFC 8693): ours (JWT access tokens, ID tokens)
 * against our published keys, or a trusted issuer's against its JWKS.
 * @returns the party it proves, undefined when it is not valid (signature, expiry, issuer, type).
 */
export interface ExchangeTokenVerifier {
  verify(token: string, tokenType: string): Promise<import('./domain/token-exchange.js').ExchangeParty | undefined>;
}

/**
 * The address policy for URLs the provider itself will call for a client (its
 * backchannel_logout_uri): the webhook policy (WEBHOOK_ALLOWED_NETWORKS; https in production),
 * checked when the client is saved and again at every delivery.
 */
export interface OutboundUrlPolicy {
  /** @returns why the URL may not be called (no address in the message), or undefined. */
  refusal(url: string): Promise<string | undefined>;
}
