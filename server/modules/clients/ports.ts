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

export interface ClientRepository {
  find(clientId: string): Promise<StoredClient | undefined>;
  /** Inserts or replaces; the secret is encrypted at rest by the repository. */
  save(client: StoredClient): Promise<void>;
  delete(clientId: string): Promise<void>;
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
 * What administration needs beyond the seed's upserts. Changes are compare-and-set on the
 * version. @throws AppError not_found, precondition_failed, conflict (client_id taken).
 */
export interface ClientStore {
  list(page: PageRequest): Promise<Page<ManagedClient>>;
  find(clientId: string): Promise<ManagedClient | undefined>;
  create(client: StoredClient): Promise<ManagedClient>;
  /** @param change.secret a new secret, null to remove it, undefined to keep it. */
  update(clientId: string, versions: ExpectedVersions, change: { metadata?: Record<string, unknown>; secret?: string | null }): Promise<ManagedClient>;
  delete(clientId: string, versions: ExpectedVersions): Promise<void>;
}
