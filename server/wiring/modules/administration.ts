/**
 * What operators change: users, account records, roles, APIs, clients and webhooks (the admin
 * API), and the seed/bootstrap dependencies the start and the CLI apply. Built after the provider
 * holder, because client metadata is validated by the provider itself.
 */
import type { Config } from '../../../config/loader.js';
import { ADMIN_ROLE, type ApplySeedDeps } from '../../modules/bootstrap/index.js';
import { createClientAdministration } from '../../modules/clients/index.js';
import type { AuditTrail } from '../../modules/compliance/index.js';
import { createResourceServerAdministration, createRoleAdministration } from '../../modules/permissions/index.js';
import { createAccountRecordAdministration, createUserAdministration } from '../../modules/users/index.js';
import { createWebhookAdministration } from '../../modules/webhooks/index.js';
import type { ProviderHolder } from '../provider.js';
import type { Stores } from '../stores.js';
import type { Outbound } from './delivery.js';
import { cryptoRandom } from '../../../adapters/crypto/random.js';

export function buildAdministration(deps: {
  config: Config;
  stores: Pick<Stores, 'users' | 'credentials' | 'hasher' | 'roles' | 'apis' | 'clients' | 'admin' | 'accountRecords'>;
  outbound: Pick<Outbound, 'subscriptions' | 'endpoints' | 'outbox'>;
  provider: Pick<ProviderHolder, 'validateClientMetadata'>;
  audit: AuditTrail;
  /** The environment `client_secret_env` / `password_env` in seeds read (config/boot.ts). */
  env: Readonly<Record<string, string | undefined>>;
}) {
  const { config, stores, audit, outbound } = deps;
  const { users, credentials, hasher, roles, apis } = stores;
  const { validateClientMetadata } = deps.provider;
  const { endpoints } = outbound;
  const seed: ApplySeedDeps = { clients: stores.clients, apis, roles, keyRotationOverlap: config.keyRotationOverlap, users, credentials, hasher, validateClientMetadata, endpoints, env: deps.env };
  return {
    /** The admin API's use cases (server/http/routes/admin). */
    api: {
      users: createUserAdministration({ users, credentials, hasher, roles, records: stores.accountRecords, audit }),
      accountRecords: createAccountRecordAdministration({ users, records: stores.accountRecords, audit }),
      roles: createRoleAdministration({ roles: stores.admin.roles, apis, audit, protectedRoles: [ADMIN_ROLE] }),
      resourceServers: createResourceServerAdministration({
        apis: stores.admin.apis,
        audit,
        keyRotationOverlap: config.keyRotationOverlap,
        protectedApis: [config.adminApi.audience],
      }),
      clients: createClientAdministration({ clients: stores.admin.clients, changes: stores.admin.clientChanges, apis, audit, validateClientMetadata, endpoints }),
      webhooks: createWebhookAdministration({ subscriptions: outbound.subscriptions, endpoints: outbound.endpoints, outbox: outbound.outbox, audit, random: cryptoRandom }),
    },
    seed,
  } as const;
}

export type Administration = ReturnType<typeof buildAdministration>;
