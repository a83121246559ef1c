/**
 * /users/{userId}/identities: the upstream (federated) identities linked to a user, listed and
 * unlinked. Unlinking follows the account page's rule: never the user's last way to sign in
 * (409); it is recorded as auth.federation.unlinked with the administrator as the actor.
 */
import { z } from 'zod';
import type { FederatedIdentity, LinkedIdentities } from '../../../modules/federation/index.js';
import type { UserAdministration } from '../../../modules/users/index.js';
import { AppError } from '../../../shared/errors.js';
import { operation, type AdminResource } from './kit/operation.js';

const identitySchema = z.object({
  id: z.string(),
  provider_id: z.string().describe('The configured upstream provider it signs in through'),
  issuer: z.string(),
  subject: z.string(),
  email: z.string().nullable().describe('The email the upstream asserted when it was linked (display only)'),
  created_at: z.iso.datetime(),
  last_used_at: z.iso.datetime().nullable(),
});

const identityListSchema = z.object({
  items: z.array(identitySchema),
  has_password: z.boolean().describe('Whether the user also has a password (unlinking the last identity of a user without one is refused)'),
});

const identityJson = (i: FederatedIdentity): z.output<typeof identitySchema> => ({
  id: i.id,
  provider_id: i.providerId,
  issuer: i.issuer,
  subject: i.subject,
  email: i.email,
  created_at: i.createdAt.toISOString(),
  last_used_at: i.lastUsedAt?.toISOString() ?? null,
});

const id = z.string().min(1).max(200);

export function userIdentitiesResource(deps: { identities: LinkedIdentities; users: UserAdministration }): AdminResource {
  return {
    tag: { name: 'linked identities', description: 'Upstream identities a user signs in with' },
    schemas: { LinkedIdentity: identitySchema, LinkedIdentityList: identityListSchema },
    operations: [
      operation({
        method: 'get',
        path: '/users/{userId}/identities',
        operationId: 'listUserIdentities',
        summary: 'List the upstream identities linked to a user',
        scope: 'admin:read',
        params: z.object({ userId: id }),
        responses: { 200: { description: 'The linked identities, oldest first', schema: 'LinkedIdentityList' } },
        problems: [404],
        async handle({ params }) {
          await deps.users.get(params.userId);
          const { identities, hasPassword } = await deps.identities.list(params.userId);
          return { status: 200, body: { items: identities.map(identityJson), has_password: hasPassword } };
        },
      }),
      operation({
        method: 'delete',
        path: '/users/{userId}/identities/{identityId}',
        operationId: 'unlinkUserIdentity',
        summary: 'Unlink an upstream identity (refused when it is the user’s last way to sign in)',
        scope: 'admin:write',
        params: z.object({ userId: id, identityId: id }),
        responses: { 204: { description: 'Unlinked' } },
        problems: [404, 409],
        async handle({ params, by }) {
          await deps.users.get(params.userId);
          const result = await deps.identities.unlinkBy(by, params.userId, params.identityId);
          switch (result) {
            case 'unlinked':
              return { status: 204 };
            case 'not_found':
              throw new AppError('not_found', 'no such linked identity');
            case 'last_method':
              throw new AppError('conflict', 'this identity is the user’s last way to sign in: set a password first or disable the user');
          }
        },
      }),
    ],
  };
}
