/** What the clients module needs from storage. */
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
