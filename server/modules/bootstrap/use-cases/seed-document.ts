/**
 * The seed document (SEED_FILE): clients, APIs and users declared as code. Parsing names the
 * failing entry and field, e.g. `clients[1] ("shop").redirect_uris[0]: must be an absolute URI`.
 */
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import { clientDefinitionSchema } from '../../clients/index.js';
import { resourceServerSchema, ROLE_NAME_PATTERN } from '../../permissions/index.js';
import { PASSWORD_HASH_FORMATS_HELP, PASSWORD_MIN_LENGTH, passwordHashFormat, USERNAME_PATTERN } from '../../users/index.js';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name');

const text = z.string().max(500).optional();

/** The OIDC standard claims a profile may hold (users/domain/user.ts), so an export applies again. */
const seedProfileSchema = z
  .object({
    name: text,
    given_name: text,
    family_name: text,
    middle_name: text,
    nickname: text,
    picture: text,
    website: text,
    gender: text,
    birthdate: text,
    zoneinfo: text,
    locale: text,
    phone_number: text,
    phone_number_verified: z.boolean().optional(),
    address: z
      .object({ formatted: text, street_address: text, locality: text, region: text, postal_code: text, country: text })
      .strict()
      .optional(),
  })
  .strict();

export const seedUserSchema = z
  .object({
    username: z.string().regex(USERNAME_PATTERN, 'must be 3-64 letters, digits, dots, dashes or underscores'),
    email: z.email().optional(),
    email_verified: z.boolean().optional(),
    password: z.string().min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`).optional(),
    password_env: envName.optional(),
    password_hash: z.string().refine((hash) => passwordHashFormat(hash) !== undefined, `must be an ${PASSWORD_HASH_FORMATS_HELP}`).optional(),
    roles: z.array(z.string().regex(ROLE_NAME_PATTERN, 'must be a role name')).optional(),
    profile: seedProfileSchema.optional(),
  })
  .strict()
  .refine((u) => [u.password, u.password_env, u.password_hash].filter(Boolean).length <= 1, {
    message: 'give at most one of password, password_env, password_hash',
    path: ['password'],
  });

const seedRoleSchema = z
  .object({
    name: z.string().regex(ROLE_NAME_PATTERN, 'must be 1-64 letters, digits, dots, dashes, colons or underscores'),
    description: z.string().max(500).default(''),
    permissions: z
      .array(z.object({ resource: z.string().min(1), scopes: z.array(z.string().min(1)).min(1) }).strict())
      .default([]),
  })
  .strict();

export const seedDocumentSchema = z
  .object({
    $schema: z.string().optional(),
    apis: z.array(resourceServerSchema).default([]),
    roles: z.array(seedRoleSchema).default([]),
    clients: z.array(clientDefinitionSchema).default([]),
    users: z.array(seedUserSchema).default([]),
  })
  .strict();

export type SeedDocument = z.output<typeof seedDocumentSchema>;
export type SeedUser = z.output<typeof seedUserSchema>;
export type SeedRole = z.output<typeof seedRoleSchema>;

const ENTRY_KEYS: Record<string, string> = { clients: 'client_id', apis: 'identifier', users: 'username', roles: 'name' };

function describePath(input: unknown, path: ReadonlyArray<PropertyKey>): string {
  const [section, index, ...rest] = path;
  if (typeof section !== 'string') return path.join('.');
  if (typeof index !== 'number') return [section, index, ...rest].filter((p) => p !== undefined).join('.');
  const entry = (input as Record<string, unknown[]>)[section]?.[index] as Record<string, unknown> | undefined;
  const key = ENTRY_KEYS[section];
  const name = key && entry && typeof entry[key] === 'string' ? ` (${JSON.stringify(entry[key])})` : '';
  const field = rest.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return `${section}[${index}]${name}${field}`;
}

/** @throws AppError invalid_seed naming every failing entry and field. */
export function parseSeedDocument(input: unknown, source: string): SeedDocument {
  const result = seedDocumentSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const where = describePath(input, issue.path);
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  throw new AppError('invalid_seed', `${source}: ${lines.join('; ')}`);
}
