/**
 * Administration of roles: each permission must name a registered API and one of the scopes it
 * defines. A changed role takes effect at the next token issuance of its holders. Protected roles
 * (the admin role the bootstrap creates) cannot be renamed or deleted, so the admin API cannot
 * lock itself out by accident.
 */
import { changeEvent, type Acting, type AuditTrail } from '../../compliance/index.js';
import { AppError, type FieldProblem } from '../../../shared/errors.js';
import type { PageRequest } from '../../../shared/pagination.js';
import type { ExpectedVersions } from '../../../shared/versions.js';
import { ROLE_NAME_PATTERN, type Permission } from '../domain/role.js';
import type { ResourceServerRepository, RoleStore } from '../ports.js';
import { mapStoreErrors } from '../../../shared/store-errors.js';

const WORDS = { what: 'role', taken: 'a role with this name exists' };

export interface RoleAdministrationDeps {
  roles: RoleStore;
  apis: Pick<ResourceServerRepository, 'find'>;
  audit: AuditTrail;
  /** Role names that cannot be renamed or deleted. */
  protectedRoles: readonly string[];
}

export interface RoleInput {
  name: string;
  description: string;
  permissions: Permission[];
}

export function createRoleAdministration(deps: RoleAdministrationDeps) {
  /** @throws AppError invalid_input naming each permission (`body.permissions.i`) that no API defines. */
  const checkPermissions = async (permissions: Permission[]) => {
    const fields: FieldProblem[] = [];
    for (const [i, { resource, scope }] of permissions.entries()) {
      const api = await deps.apis.find(resource);
      if (!api) fields.push({ field: `body.permissions.${i}.resource`, message: `${resource} is not a registered API` });
      else if (!api.scopes.some((s) => s.value === scope)) fields.push({ field: `body.permissions.${i}.scope`, message: `${scope} is not a scope of ${resource}` });
    }
    if (fields.length) throw new AppError('invalid_input', 'unknown permissions', { fields });
    const unique = new Map(permissions.map((p) => [`${p.resource} ${p.scope}`, p]));
    return [...unique.values()];
  };
  const checkName = (name: string) => {
    if (!ROLE_NAME_PATTERN.test(name)) throw new AppError('invalid_input', 'invalid role name', { fields: [{ field: 'body.name', message: 'must be 1-64 letters, digits, dots, dashes, colons or underscores' }] });
  };
  const find = async (id: string) => {
    const role = await deps.roles.findById(id);
    if (!role) throw new AppError('not_found', 'role not found');
    return role;
  };
  const guard = async (id: string, what: string) => {
    const role = await find(id);
    if (deps.protectedRoles.includes(role.name)) throw new AppError('conflict', `the ${role.name} role is managed by the server and cannot be ${what}`);
  };
  return {
    list: (page: PageRequest) => deps.roles.listPage(page),
    get: find,
    async create(by: Acting, input: RoleInput) {
      checkName(input.name);
      const permissions = await checkPermissions(input.permissions);
      const role = await mapStoreErrors(() => deps.roles.create({ ...input, permissions }, 'admin'), WORDS);
      await deps.audit.record(changeEvent(by, 'admin.role.created', { type: 'role', id: role.id }, { name: role.name }));
      return role;
    },
    async update(by: Acting, id: string, versions: ExpectedVersions, changes: Partial<RoleInput>) {
      if (changes.name !== undefined) {
        checkName(changes.name);
        const current = await find(id);
        if (changes.name !== current.name) await guard(id, 'renamed');
      }
      const permissions = changes.permissions ? await checkPermissions(changes.permissions) : undefined;
      const role = await mapStoreErrors(() => deps.roles.update(id, versions, { ...changes, ...(permissions ? { permissions } : {}) }), WORDS);
      await deps.audit.record(changeEvent(by, 'admin.role.updated', { type: 'role', id }, { name: role.name, fields: Object.keys(changes).sort().join(' ') }));
      return role;
    },
    async remove(by: Acting, id: string, versions: ExpectedVersions) {
      await guard(id, 'deleted');
      await mapStoreErrors(() => deps.roles.delete(id, versions), WORDS);
      await deps.audit.record(changeEvent(by, 'admin.role.deleted', { type: 'role', id }));
    },
  };
}

export type RoleAdministration = ReturnType<typeof createRoleAdministration>;
