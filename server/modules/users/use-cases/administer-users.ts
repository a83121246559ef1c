/**
 * Administration of user accounts (the admin API's use cases): create, read, list, change the
 * profile, delete, disable and enable, set roles. Every change is checked against the version
 * the caller read (compare-and-set in the store) and recorded in the audit trail with the
 * acting principal. Disabling or deleting an account also ends its sessions and revokes its
 * grants with their tokens, so access stops at once rather than at token expiry.
 */
import { changeEvent, type Acting, type AuditDetails, type AuditEventType, type AuditTrail } from '../../compliance/index.js';
import type { RoleRepository } from '../../permissions/index.js';
import { AppError } from '../../../shared/errors.js';
import type { Page, PageRequest } from '../../../shared/pagination.js';
import type { ExpectedVersions } from '../../../shared/versions.js';
import { USERNAME_PATTERN, type Profile, type User } from '../domain/user.js';
import type { AccountRecords, CredentialRepository, CredentialResets, PasswordHasher, UserChanges, UserFilter, UserRepository } from '../ports.js';
import { createUser, type CreateUserInput } from './create-user.js';

export interface UserAdministrationDeps {
  users: UserRepository;
  credentials: CredentialRepository & CredentialResets;
  hasher: PasswordHasher;
  roles: Pick<RoleRepository, 'findByName'>;
  records: AccountRecords;
  audit: AuditTrail;
}

/** A user as administrators see it: the profile and the names of the roles held. */
export type UserView = User & { roles: string[] };

/** Profile changes: a key set to null is removed; keys not named are kept. */
export type ProfilePatch = { [K in keyof Profile]?: Profile[K] | null };

export interface UserPatch {
  username?: string;
  email?: string | null;
  emailVerified?: boolean;
  profile?: ProfilePatch;
}

export function notFound(what = 'user'): AppError {
  return new AppError('not_found', `${what} not found`);
}

export function createUserAdministration(deps: UserAdministrationDeps) {
  const record = (by: Acting, type: AuditEventType, userId: string, details?: AuditDetails) =>
    deps.audit.record(changeEvent(by, type, { type: 'user', id: userId }, details));

  const view = async (user: User): Promise<UserView> => ({ ...user, roles: (await deps.users.roleNames([user.id])).get(user.id) ?? [] });

  const find = async (id: string): Promise<User> => {
    const user = await deps.users.findById(id);
    if (!user) throw notFound();
    return user;
  };

  /** @throws AppError precondition_failed unless `versions` names the user's current version. */
  const assertVersion = (user: User, versions: ExpectedVersions) => {
    if (versions !== 'any' && !versions.includes(user.version)) {
      throw new AppError('precondition_failed', 'the user has changed since it was read (If-Match does not name its current version)');
    }
  };

  /** @throws AppError invalid_input naming each role (`roles[i]`) that does not exist. */
  const roleIds = async (names: readonly string[]): Promise<string[]> => {
    const ids: string[] = [];
    const fields: Array<{ field: string; message: string }> = [];
    for (const [i, name] of names.entries()) {
      const role = await deps.roles.findByName(name);
      if (role) ids.push(role.id);
      else fields.push({ field: `body.roles.${i}`, message: `no role named ${JSON.stringify(name)}` });
    }
    if (fields.length) throw new AppError('invalid_input', 'unknown roles', { fields });
    return [...new Set(ids)];
  };

  /** Ends sessions and revokes grants (and their tokens) of a user whose access must stop now. */
  const cutOff = async (userId: string) => ({
    sessions: await deps.records.revokeAllSessions(userId),
    grants: await deps.records.revokeAllGrants(userId),
  });

  return {
    get: async (id: string): Promise<UserView> => view(await find(id)),

    async list(filter: UserFilter, page: PageRequest): Promise<Page<UserView>> {
      const result = await deps.users.list(filter, page);
      const roles = await deps.users.roleNames(result.items.map((u) => u.id));
      return { ...result, items: result.items.map((u) => ({ ...u, roles: roles.get(u.id) ?? [] })) };
    },

    async create(by: Acting, input: CreateUserInput & { roles?: string[] }): Promise<UserView> {
      const ids = input.roles?.length ? await roleIds(input.roles) : [];
      let user = await createUser(deps, input);
      if (ids.length) user = await deps.users.setRoles(user.id, 'any', ids);
      await record(by, 'admin.user.created', user.id, { username: user.username });
      return view(user);
    },

    /**
     * The profile is merged, so the change is computed from the version read here: when that is
     * not the one the caller named, or it changes before the write, the write is refused (412).
     */
    async update(by: Acting, id: string, versions: ExpectedVersions, patch: UserPatch): Promise<UserView> {
      const current = await find(id);
      assertVersion(current, versions);
      if (patch.username !== undefined && !USERNAME_PATTERN.test(patch.username)) {
        throw new AppError('invalid_input', 'invalid username', { fields: [{ field: 'body.username', message: 'must be 3-64 letters, digits, dots, dashes or underscores' }] });
      }
      const changes: UserChanges = {};
      if (patch.username !== undefined) changes.username = patch.username;
      if (patch.email !== undefined) changes.email = patch.email;
      if (patch.emailVerified !== undefined) changes.emailVerified = patch.emailVerified;
      // A new address is unverified unless the change says otherwise.
      else if (patch.email !== undefined && patch.email?.toLowerCase() !== current.email?.toLowerCase()) changes.emailVerified = false;
      if (patch.profile !== undefined) {
        const profile: Record<string, unknown> = { ...current.profile };
        for (const [key, value] of Object.entries(patch.profile)) {
          if (value === null) delete profile[key];
          else if (value !== undefined) profile[key] = value;
        }
        changes.profile = profile as Profile;
      }
      const updated = await deps.users.updateVersioned(id, [current.version], changes);
      await record(by, 'admin.user.updated', id, { fields: Object.keys(changes).sort().join(' ') });
      if (changes.email !== undefined && changes.email !== current.email) await record(by, 'user.email.changed', id);
      return view(updated);
    },

    async remove(by: Acting, id: string, versions: ExpectedVersions): Promise<void> {
      await deps.users.deleteVersioned(id, versions);
      const { sessions, grants } = await cutOff(id);
      await record(by, 'admin.user.deleted', id, { sessionsEnded: sessions, grantsRevoked: grants });
    },

    async setDisabled(by: Acting, id: string, disabled: boolean, versions: ExpectedVersions = 'any'): Promise<UserView> {
      const user = await deps.users.updateVersioned(id, versions, { disabled });
      const cut = disabled ? await cutOff(id) : undefined;
      await record(by, disabled ? 'admin.user.disabled' : 'admin.user.enabled', id, cut ? { sessionsEnded: cut.sessions, grantsRevoked: cut.grants } : undefined);
      return view(user);
    },

    /** @throws AppError conflict when the user has no password to change. */
    async forcePasswordReset(by: Acting, id: string, versions: ExpectedVersions = 'any'): Promise<void> {
      assertVersion(await find(id), versions);
      if (!(await deps.credentials.requirePasswordChange(id))) throw new AppError('conflict', 'the user has no password');
      await record(by, 'admin.user.password_reset_forced', id);
    },

    /** Deletes TOTP and recovery codes and marks the phone number unverified (it may be a second factor). */
    async resetMfa(by: Acting, id: string, versions: ExpectedVersions = 'any'): Promise<UserView> {
      assertVersion(await find(id), versions);
      const removed = await deps.credentials.deleteByType(id, ['totp', 'recovery_codes']);
      // The profile is merged: retried on a concurrent change rather than overwriting it.
      for (let attempt = 0; ; attempt += 1) {
        const current = await find(id);
        const { phone_number_verified: _cleared, ...rest } = current.profile;
        const profile: Profile = current.profile.phone_number ? { ...rest, phone_number_verified: false } : rest;
        try {
          const updated = await deps.users.updateVersioned(id, [current.version], { profile });
          await record(by, 'admin.user.mfa_reset', id, { credentialsRemoved: removed });
          return view(updated);
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'precondition_failed') || attempt >= 2) throw error;
        }
      }
    },

    /**
     * Replaces the user's roles. A removed role stops counting at the next token issuance; with
     * `revokeGrants` every grant (and its tokens) is revoked now, so the user must sign in again.
     */
    async setRoles(by: Acting, id: string, versions: ExpectedVersions, names: string[], options: { revokeGrants: boolean }): Promise<UserView> {
      const ids = await roleIds(names);
      const user = await deps.users.setRoles(id, versions, ids);
      const revoked = options.revokeGrants ? await deps.records.revokeAllGrants(id) : 0;
      const result = await view(user);
      await record(by, 'admin.user.roles_changed', id, { roles: result.roles.join(' '), grantsRevoked: revoked });
      return result;
    },
  };
}

export type UserAdministration = ReturnType<typeof createUserAdministration>;
