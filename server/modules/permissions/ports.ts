/** What the permissions module needs from storage. */
import type { ResourceServer } from './domain/resource-server.js';

export interface ResourceServerRepository {
  find(identifier: string): Promise<ResourceServer | undefined>;
  save(server: ResourceServer, source: string): Promise<void>;
}
