/**
 * /users/{userId}/identities: linked upstream identities listed and unlinked by an
 * administrator, never the user's last way to sign in, each unlink recorded with the
 * administrator as the actor.
 */
import { describe, expect, it } from 'vitest';
import type { AdminTestContext } from './context.js';

type Identity = { id: string; provider_id: string; issuer: string; subject: string; email: string | null; created_at: string; last_used_at: string | null };
type IdentityList = { items: Identity[]; has_password: boolean };

export function identitiesSuite(ctx: () => AdminTestContext) {
  describe('linked identities', () => {
    const createUser = async (username: string, password?: string) => {
      const { api, tokens } = ctx();
      const created = await api.call<{ id: string }>('POST', '/users', { token: tokens.writer, body: { username, ...(password ? { password } : {}) } });
      expect(created.status).toBe(201);
      return created.body.id;
    };
    const link = async (userId: string, id: string, subject: string) => {
      const { knex } = ctx().op.running.container.database;
      await knex('federated_identities').insert({ id, user_id: userId, provider_id: 'corp', issuer: 'https://corp.example.test', subject, email: `${subject}@corp.example.test`, created_at: new Date() });
    };

    it('lists a user’s identities and unlinks one, recording the administrator', async () => {
      const { api, tokens, op } = ctx();
      const userId = await createUser('federated-one', 'a long enough password for her');
      await link(userId, 'fid-one-a', 'sub-one-a');
      await link(userId, 'fid-one-b', 'sub-one-b');
      const listed = await api.call<IdentityList>('GET', `/users/${userId}/identities`, { token: tokens.reader });
      expect(listed.status).toBe(200);
      expect(listed.body.has_password).toBe(true);
      expect(listed.body.items.map((i) => i.id).sort()).toEqual(['fid-one-a', 'fid-one-b']);
      expect(listed.body.items[0]).toMatchObject({ provider_id: 'corp', issuer: 'https://corp.example.test', last_used_at: null });

      expect((await api.call('DELETE', `/users/${userId}/identities/fid-one-a`, { token: tokens.writer })).status).toBe(204);
      expect((await api.call('DELETE', `/users/${userId}/identities/fid-one-a`, { token: tokens.writer })).status).toBe(404);
      const after = await api.call<IdentityList>('GET', `/users/${userId}/identities`, { token: tokens.reader });
      expect(after.body.items.map((i) => i.id)).toEqual(['fid-one-b']);

      const { compliance } = op.running.container;
      await compliance.trail.flush();
      const { records } = await compliance.search({ types: ['auth.federation.unlinked'], subjectId: userId }, { limit: 10 });
      expect(records[0]).toMatchObject({ outcome: 'success', actor: { type: 'client', id: 'admin-writer' }, details: { identity: 'fid-one-a' } });
    });

    it('refuses to unlink the last way to sign in (409), and answers 404 for an unknown user', async () => {
      const { api, tokens } = ctx();
      const userId = await createUser('federated-only');
      await link(userId, 'fid-only', 'sub-only');
      const refused = await api.call<{ status: number; detail: string }>('DELETE', `/users/${userId}/identities/fid-only`, { token: tokens.writer });
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('last way to sign in');
      expect((await api.call<IdentityList>('GET', `/users/${userId}/identities`, { token: tokens.reader })).body.items).toHaveLength(1);
      expect((await api.call('GET', '/users/no-such-user/identities', { token: tokens.reader })).status).toBe(404);
      expect((await api.call('DELETE', '/users/no-such-user/identities/fid-only', { token: tokens.writer })).status).toBe(404);
    });

    it('needs admin:read to list and admin:write to unlink', async () => {
      const { api, tokens } = ctx();
      expect((await api.call('GET', '/users/x/identities')).status).toBe(401);
      expect((await api.call('GET', '/users/x/identities', { token: tokens.writeOnly })).status).toBe(403);
      expect((await api.call('DELETE', '/users/x/identities/y', { token: tokens.reader })).status).toBe(403);
    });
  });
}
