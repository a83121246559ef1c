/** A role bundles API permissions; users hold roles. */
export interface Permission {
  /** The API identifier (RFC 8707 resource). */
  resource: string;
  scope: string;
}

export interface Role {
  id: string;
  name: string;
  description: string;
  permissions: Permission[];
}

/**
 * The role that makes a user an administrator of this provider. It carries no API permissions of
 * its own; holding it is what the admin surfaces (CLI `users create-admin`, the admin API) check.
 */
export const ADMIN_ROLE = 'admin';

/** Role names: short, URL-safe, case-sensitive identifiers that read well inside a token. */
export const ROLE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
