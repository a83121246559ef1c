/**
 * Administration of APIs (resource servers): their scopes, token format and token lifetime.
 * A token must not outlive the key that signed it, so a lifetime must stay below the key
 * rotation overlap. Protected APIs (the admin API itself) are managed by the server: changing
 * or deleting them through the admin API is refused.
 */
import { changeEvent, type Acting, type AuditTrail } from '../../compliance/index.js';
import { AppError } from '../../../shared/errors.js';
import type { PageRequest } from '../../../shared/pagination.js';
import type { ExpectedVersions } from '../../../shared/versions.js';
import type { ResourceServer } from '../domain/resource-server.js';
import type { ResourceServerStore } from '../ports.js';
import { mapStoreErrors } from '../../../shared/store-errors.js';

const WORDS = { what: 'API', taken: 'an API with this identifier exists' };

export interface ResourceServerAdministrationDeps {
  apis: ResourceServerStore;
  audit: AuditTrail;
  /** Seconds retired signing keys keep verifying (KEY_ROTATION_OVERLAP). */
  keyRotationOverlap: number;
  /** Identifiers of APIs the server manages itself. */
  protectedApis: readonly string[];
}

export function createResourceServerAdministration(deps: ResourceServerAdministrationDeps) {
  const checkTtl = (ttl: number | undefined) => {
    if (ttl !== undefined && ttl >= deps.keyRotationOverlap) {
      throw new AppError('invalid_input', 'token lifetime too long', {
        fields: [{ field: 'body.access_token_ttl', message: `must be shorter than KEY_ROTATION_OVERLAP (${deps.keyRotationOverlap}s)` }],
      });
    }
  };
  const guard = (identifier: string) => {
    if (deps.protectedApis.includes(identifier)) throw new AppError('conflict', 'this API is managed by the server');
  };
  const find = async (identifier: string) => {
    const api = await deps.apis.find(identifier);
    if (!api) throw new AppError('not_found', 'API not found');
    return api;
  };
  return {
    list: (page: PageRequest) => deps.apis.listPage(page),
    get: find,
    async create(by: Acting, server: ResourceServer) {
      checkTtl(server.accessTokenTtl);
      const created = await mapStoreErrors(() => deps.apis.create(server, 'admin'), WORDS);
      await deps.audit.record(changeEvent(by, 'admin.resource_server.created', { type: 'resource_server', id: created.identifier }));
      return created;
    },
    async update(by: Acting, identifier: string, versions: ExpectedVersions, changes: Partial<Omit<ResourceServer, 'identifier'>>) {
      guard(identifier);
      checkTtl(changes.accessTokenTtl);
      const updated = await mapStoreErrors(() => deps.apis.update(identifier, versions, changes), WORDS);
      await deps.audit.record(changeEvent(by, 'admin.resource_server.updated', { type: 'resource_server', id: identifier }, { fields: Object.keys(changes).sort().join(' ') }));
      return updated;
    },
    async remove(by: Acting, identifier: string, versions: ExpectedVersions) {
      guard(identifier);
      await mapStoreErrors(() => deps.apis.delete(identifier, versions), WORDS);
      await deps.audit.record(changeEvent(by, 'admin.resource_server.deleted', { type: 'resource_server', id: identifier }));
    },
  };
}

export type ResourceServerAdministration = ReturnType<typeof createResourceServerAdministration>;
