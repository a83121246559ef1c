/**
 * The Client model backed by the clients table, where shared secrets are encrypted at rest.
 * oidc-provider needs a client's secret in plaintext (client_secret_jwt and HS256 ID tokens are
 * keyed by it), so secrets are sealed with the key-encryption key rather than hashed.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { ClientRepository, StoredClient } from '../../server/modules/clients/index.js';

export class ClientStore implements Adapter {
  // The cache hands back the same StoredClient while it is fresh; its payload is built once.
  private readonly payloads = new WeakMap<StoredClient, AdapterPayload>();

  constructor(private readonly clients: ClientRepository) {}

  async find(id: string): Promise<AdapterPayload | undefined> {
    const client = await this.clients.find(id);
    if (!client) return undefined;
    let payload = this.payloads.get(client);
    if (!payload) {
      payload = { ...client.metadata, client_id: client.clientId, ...(client.secret ? { client_secret: client.secret } : {}) } as AdapterPayload;
      this.payloads.set(client, payload);
    }
    // A copy: oidc-provider may annotate what it is given.
    return { ...payload };
  }

  /** Dynamic registration (RFC 7591) writes here. */
  async upsert(id: string, payload: AdapterPayload): Promise<void> {
    const { client_secret: secret, client_id: _id, ...metadata } = payload;
    await this.clients.save({ clientId: id, metadata, secret: typeof secret === 'string' ? secret : undefined, source: 'dynamic' });
  }

  async destroy(id: string): Promise<void> {
    await this.clients.delete(id);
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async consume(): Promise<void> {}
  async revokeByGrantId(): Promise<void> {}
}
