/**
 * /users: accounts as administrators manage them. Reading needs admin:read, every change
 * admin:write. The rules (merging profiles, cutting off a disabled user, role lookups) live in
 * the users module; this file only validates and maps to JSON.
 */
import { z } from 'zod';
import { passwordProblems, PASSWORD_MAX_LENGTH, USERNAME_PATTERN, type UserAdministration, type UserView } from '../../../modules/users/index.js';
import { AppError } from '../../../shared/errors.js';
import { decodeCursor } from '../../../shared/pagination.js';
import { operation, type AdminResource } from './kit/operation.js';
import { pageJson, pageQuery, pageSchema, queryFlag, queryText } from './kit/schemas.js';

const s = (max: number) => z.string().max(max);
const profileFields = {
  name: s(200),
  given_name: s(200),
  family_name: s(200),
  middle_name: s(200),
  nickname: s(200),
  preferred_username: s(200),
  picture: z.url().max(2000),
  website: z.url().max(2000),
  gender: s(50),
  birthdate: z.string().regex(/^\d{4}(-\d{2}-\d{2})?$/, 'must be YYYY or YYYY-MM-DD'),
  zoneinfo: s(100),
  locale: s(35),
  phone_number: z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number (+ and 7-15 digits)'),
  phone_number_verified: z.boolean(),
  address: z
    .object({ formatted: s(500), street_address: s(500), locality: s(200), region: s(200), postal_code: s(50), country: s(100) })
    .partial()
    .strict(),
};
const profileSchema = z.object(profileFields).partial().strict();
const profilePatchSchema = z
  .object(Object.fromEntries(Object.entries(profileFields).map(([k, v]) => [k, v.nullable()])) as { [K in keyof typeof profileFields]: z.ZodNullable<(typeof profileFields)[K]> })
  .partial()
  .strict();

const username = z.string().regex(USERNAME_PATTERN, 'must be 3-64 letters, digits, dots, dashes or underscores');
const email = z.email().max(254);

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string().nullable(),
  email_verified: z.boolean(),
  profile: profileSchema,
  disabled: z.boolean(),
  roles: z.array(z.string()),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
});

export function userJson(user: UserView): z.output<typeof userSchema> {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerified,
    profile: user.profile,
    disabled: user.disabled,
    roles: user.roles,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

const userPath = z.object({ userId: z.string().min(1).max(100) });
const roleNames = z.array(z.string().min(1).max(64)).max(100);

const createBody = z
  .object({
    username,
    email: email.optional(),
    email_verified: z.boolean().optional(),
    profile: profileSchema.optional(),
    password: z.string().max(PASSWORD_MAX_LENGTH).optional().describe('Initial password; omit for an account that signs in another way'),
    must_change_password: z.boolean().optional().describe('The user must choose a new password at first sign-in'),
    roles: roleNames.optional(),
  })
  .strict();

const patchBody = z
  .object({ username, email: email.nullable(), email_verified: z.boolean(), profile: profilePatchSchema })
  .partial()
  .strict();

export function usersResource(users: UserAdministration): AdminResource {
  const ok = (user: UserView, status = 200) => ({ status, body: userJson(user), version: user.version });
  return {
    tag: { name: 'users', description: 'User accounts' },
    schemas: { User: userSchema, UserPage: pageSchema(userSchema) },
    operations: [
      operation({
        method: 'get',
        path: '/users',
        operationId: 'listUsers',
        summary: 'List users in order of username, filtered',
        scope: 'admin:read',
        query: z.object({
          ...pageQuery,
          q: queryText(200).optional().describe('Text found anywhere in the name (profile name, given, family, nickname, preferred username), email or username; case-insensitive, % and _ taken literally'),
          username: queryText(64).optional().describe('Username prefix (case-insensitive)'),
          email: queryText(254).optional().describe('Email prefix (case-insensitive)'),
          role: queryText(64).optional().describe('Name of a role the user holds'),
          disabled: queryFlag.optional().describe('true: only disabled users; false: only enabled ones'),
        }),
        responses: { 200: { description: 'A page of users', schema: 'UserPage' } },
        async handle({ query }) {
          const page = await users.list(
            { search: query.q, usernamePrefix: query.username, emailPrefix: query.email, role: query.role, disabled: query.disabled },
            { limit: query.limit, after: decodeCursor(query.cursor) },
          );
          return { status: 200, body: pageJson(page, userJson) };
        },
      }),
      operation({
        method: 'post',
        path: '/users',
        operationId: 'createUser',
        summary: 'Create a user',
        scope: 'admin:write',
        body: createBody,
        responses: { 201: { description: 'The user', schema: 'User', etag: true } },
        problems: [409],
        async handle({ body, by }) {
          if (body.password !== undefined) {
            const problems = passwordProblems(body.password, { username: body.username, email: body.email ?? null });
            if (problems.length) throw new AppError('invalid_input', 'password refused', { fields: problems.map((message) => ({ field: 'body.password', message })) });
          }
          const user = await users.create(by, {
            username: body.username,
            email: body.email ?? null,
            emailVerified: body.email_verified ?? false,
            profile: body.profile ?? {},
            ...(body.password !== undefined ? { password: body.password } : {}),
            mustChangePassword: body.must_change_password ?? false,
            ...(body.roles ? { roles: body.roles } : {}),
          });
          return { ...ok(user, 201), headers: { Location: `/admin/v1/users/${encodeURIComponent(user.id)}` } };
        },
      }),
      operation({
        method: 'get',
        path: '/users/{userId}',
        operationId: 'getUser',
        summary: 'Read a user',
        scope: 'admin:read',
        params: userPath,
        responses: { 200: { description: 'The user', schema: 'User', etag: true } },
        problems: [404],
        handle: async ({ params }) => ok(await users.get(params.userId)),
      }),
      operation({
        method: 'patch',
        path: '/users/{userId}',
        operationId: 'updateUser',
        summary: 'Change username, email or profile',
        description: 'Profile keys are merged; a key set to null is removed. A new email is unverified unless email_verified says otherwise.',
        scope: 'admin:write',
        params: userPath,
        body: patchBody,
        ifMatch: true,
        responses: { 200: { description: 'The changed user', schema: 'User', etag: true } },
        problems: [404, 409],
        async handle({ params, body, by, ifMatch }) {
          const user = await users.update(by, params.userId, ifMatch, {
            ...(body.username !== undefined ? { username: body.username } : {}),
            ...(body.email !== undefined ? { email: body.email } : {}),
            ...(body.email_verified !== undefined ? { emailVerified: body.email_verified } : {}),
            ...(body.profile !== undefined ? { profile: body.profile } : {}),
          });
          return ok(user);
        },
      }),
      operation({
        method: 'delete',
        path: '/users/{userId}',
        operationId: 'deleteUser',
        summary: 'Delete a user, ending their sessions and revoking their grants and tokens',
        scope: 'admin:write',
        params: userPath,
        ifMatch: true,
        responses: { 204: { description: 'Deleted' } },
        problems: [404],
        async handle({ params, by, ifMatch }) {
          await users.remove(by, params.userId, ifMatch);
          return { status: 204 };
        },
      }),
      operation({
        method: 'post',
        path: '/users/{userId}/disable',
        operationId: 'disableUser',
        summary: 'Disable a user: sign-in refused, sessions ended, grants and their tokens revoked',
        scope: 'admin:write',
        params: userPath,
        ifMatch: 'optional',
        responses: { 200: { description: 'The user', schema: 'User', etag: true } },
        problems: [404],
        handle: async ({ params, by, ifMatch }) => ok(await users.setDisabled(by, params.userId, true, ifMatch)),
      }),
      operation({
        method: 'post',
        path: '/users/{userId}/enable',
        operationId: 'enableUser',
        summary: 'Enable a disabled user',
        scope: 'admin:write',
        params: userPath,
        ifMatch: 'optional',
        responses: { 200: { description: 'The user', schema: 'User', etag: true } },
        problems: [404],
        handle: async ({ params, by, ifMatch }) => ok(await users.setDisabled(by, params.userId, false, ifMatch)),
      }),
      operation({
        method: 'post',
        path: '/users/{userId}/password-reset',
        operationId: 'forcePasswordReset',
        summary: 'Require a new password at the next sign-in',
        scope: 'admin:write',
        params: userPath,
        ifMatch: 'optional',
        responses: { 204: { description: 'The password must be changed at the next sign-in' } },
        problems: [404, 409],
        async handle({ params, by, ifMatch }) {
          await users.forcePasswordReset(by, params.userId, ifMatch);
          return { status: 204 };
        },
      }),
      operation({
        method: 'post',
        path: '/users/{userId}/mfa-reset',
        operationId: 'resetMfa',
        summary: 'Remove TOTP and recovery codes and mark the phone number unverified',
        scope: 'admin:write',
        params: userPath,
        ifMatch: 'optional',
        responses: { 200: { description: 'The user', schema: 'User', etag: true } },
        problems: [404],
        handle: async ({ params, by, ifMatch }) => ok(await users.resetMfa(by, params.userId, ifMatch)),
      }),
      operation({
        method: 'put',
        path: '/users/{userId}/roles',
        operationId: 'setUserRoles',
        summary: 'Replace the roles a user holds',
        description: 'A removed role stops counting at the next token issuance; with revoke_grants=true every grant of the user (and its tokens) is revoked now.',
        scope: 'admin:write',
        params: userPath,
        query: z.object({ revoke_grants: queryFlag.optional().describe('Also revoke every grant of the user and its tokens') }),
        body: z.object({ roles: roleNames }).strict(),
        ifMatch: true,
        responses: { 200: { description: 'The user with the new roles', schema: 'User', etag: true } },
        problems: [404],
        handle: async ({ params, query, body, by, ifMatch }) =>
          ok(await users.setRoles(by, params.userId, ifMatch, body.roles, { revokeGrants: query.revoke_grants ?? false })),
      }),
    ],
  };
}
