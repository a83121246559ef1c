/** The ordered list of migrations. Add new ones at the end; never edit or reorder applied ones. */
import type { Knex } from 'knex';
import * as initial from './20261128_001_initial.js';
import * as roles from './20261128_002_roles.js';
import * as adminVersions from './20261128_003_admin_versions.js';
import * as auditTrail from './20261128_004_audit_trail.js';
import * as outbox from './20261128_005_outbox.js';
import * as mfa from './20261128_006_mfa.js';
import * as selfService from './20261128_007_self_service.js';
import * as federation from './20261128_009_federation.js';
import * as signInFlows from './20261201_010_sign_in_flows.js';
import * as auditQuarantine from './20261201_011_audit_quarantine.js';
import * as passkeys from './20261202_012_passkeys.js';
import * as sessionDevices from './20261202_013_session_devices.js';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

export const migrations: ReadonlyArray<readonly [name: string, migration: Migration]> = [
  ['20261128_001_initial', initial],
  ['20261128_002_roles', roles],
  ['20261128_003_admin_versions', adminVersions],
  ['20261128_004_audit_trail', auditTrail],
  ['20261128_005_outbox', outbox],
  ['20261128_006_mfa', mfa],
  ['20261128_007_self_service', selfService],
  ['20261128_009_federation', federation],
  ['20261201_010_sign_in_flows', signInFlows],
  ['20261201_011_audit_quarantine', auditQuarantine],
  ['20261202_012_passkeys', passkeys],
  ['20261202_013_session_devices', sessionDevices],
];
