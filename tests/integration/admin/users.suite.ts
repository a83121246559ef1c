/** /users: create, read, list with filters and cursors, change with If-Match, delete, status and credential resets. */
import { describe, expect, it } from 'vitest';
import type { AdminTestContext } from './context.js';

type User = { id: string; username: string; email: string | null; email_verified: boolean; profile: Record<string, unknown>; disabled: boolean; roles: string[] };
type Page<T> = { items: T[]; next_cursor?: string };

export function usersSuite(ctx: () => AdminTestContext) {
  describe('users', () => {
    const create = async (body: Record<string, unknown>) => {
      const { api, tokens } = ctx();
      const created = await api.call<User>('POST', '/users', { token: tokens.writer, body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created;
    };

    it('creates a user and reads it back with a strong ETag', async () => {
      const { api, tokens } = ctx();
      const created = await create({ username: 'bea', email: 'Bea@Example.com', profile: { name: 'Bea' }, password: 'a long enough password 1', roles: ['order-manager'] });
      expect(created.body).toMatchObject({ username: 'bea', email: 'Bea@Example.com', email_verified: false, roles: ['order-manager'], disabled: false });
      expect(created.etag).toMatch(/^"v\d+"$/);
      expect(created.headers.get('location')).toBe(`/admin/v1/users/${created.body.id}`);
      const read = await api.call<User>('GET', `/users/${created.body.id}`, { token: tokens.reader });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
      expect(read.etag).toBe(created.etag);
    });

    it('refuses invalid input with a 400 naming each field, and a taken username with 409', async () => {
      const { api, tokens } = ctx();
      const bad = await api.call<{ errors: Array<{ field: string }> }>('POST', '/users', {
        token: tokens.writer,
        body: { username: 'x', email: 'not-an-email', password: 'short', unknown: 1 },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['body.username', 'body.email']));
      const weak = await api.call<{ errors: Array<{ field: string; message: string }> }>('POST', '/users', { token: tokens.writer, body: { username: 'weakling', password: 'short' } });
      expect(weak.status).toBe(400);
      expect(weak.body.errors).toEqual([{ field: 'body.password', message: 'password_too_short' }]);
      const malformed = await api.call('POST', '/users', { token: tokens.writer, rawBody: '{"username": ' });
      expect(malformed.status).toBe(400);
      const taken = await api.call('POST', '/users', { token: tokens.writer, body: { username: 'ALICE' } });
      expect(taken.status).toBe(409);
      const unknownRole = await api.call<{ errors: Array<{ field: string }> }>('POST', '/users', { token: tokens.writer, body: { username: 'roleless', roles: ['ghost'] } });
      expect(unknownRole.status).toBe(400);
      expect(unknownRole.body.errors[0]!.field).toBe('body.roles.0');
    });

    it('answers 404 for unknown ids', async () => {
      const { api, tokens } = ctx();
      expect((await api.call('GET', '/users/no-such-user', { token: tokens.reader })).status).toBe(404);
      expect((await api.call('PATCH', '/users/no-such-user', { token: tokens.writer, body: {}, ifMatch: '"v1"' })).status).toBe(404);
      expect((await api.call('DELETE', '/users/no-such-user', { token: tokens.writer, ifMatch: '"v1"' })).status).toBe(404);
      expect((await api.call('POST', '/users/no-such-user/disable', { token: tokens.writer })).status).toBe(404);
      expect((await api.call('POST', '/users/no-such-user/enable', { token: tokens.writer })).status).toBe(404);
      expect((await api.call('POST', '/users/no-such-user/password-reset', { token: tokens.writer })).status).toBe(404);
      expect((await api.call('POST', '/users/no-such-user/mfa-reset', { token: tokens.writer })).status).toBe(404);
      expect((await api.call('PUT', '/users/no-such-user/roles', { token: tokens.writer, body: { roles: [] }, ifMatch: '"v1"' })).status).toBe(404);
    });

    it('lists in username order with an opaque cursor and filters', async () => {
      const { api, tokens } = ctx();
      for (const name of ['list-a', 'list-b', 'list-c', 'list-d', 'list-e']) await create({ username: name, email: `${name}@list.example` });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.call<Page<User>>('GET', `/users?username=list-&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: tokens.reader });
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((u) => u.username));
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual(['list-a', 'list-b', 'list-c', 'list-d', 'list-e']);
      const byEmail = await api.call<Page<User>>('GET', '/users?email=LIST-C@', { token: tokens.reader });
      expect(byEmail.body.items.map((u) => u.username)).toEqual(['list-c']);
      const byRole = await api.call<Page<User>>('GET', '/users?role=admin', { token: tokens.reader });
      expect(byRole.body.items.map((u) => u.username)).toEqual(['root-admin']);
      // LIKE wildcards in a prefix are literal.
      expect((await api.call<Page<User>>('GET', '/users?username=list_', { token: tokens.reader })).body.items).toEqual([]);
      for (const query of ['limit=0', 'limit=101', 'cursor=garbage', 'disabled=maybe']) {
        const bad = await api.call('GET', `/users?${query}`, { token: tokens.reader });
        expect(bad.status, query).toBe(400);
      }
    });

    it('searches by name, email or username anywhere in them, wildcards literal; bad text is a 400', async () => {
      const { api, tokens } = ctx();
      await create({ username: 'srch-ada', email: 'countess@analytical.example', profile: { name: 'Ada Lovelace' } });
      await create({ username: 'srch-grace', email: 'grace@navy.example', profile: { given_name: 'Grace', family_name: 'Hopper' } });
      await create({ username: 'srch-z_odd', email: 'percent@odd.example', profile: { name: '100% Real' } });
      const found = async (q: string) => {
        const result = await api.call<Page<User>>('GET', `/users?${new URLSearchParams({ q })}`, { token: tokens.reader });
        expect(result.status, q).toBe(200);
        return result.body.items.map((u) => u.username);
      };
      expect(await found('LOVELACE')).toEqual(['srch-ada']);
      expect(await found('hopper')).toEqual(['srch-grace']);
      expect(await found('analytical')).toEqual(['srch-ada']);
      expect(await found('RCH-GRA')).toEqual(['srch-grace']);
      expect(await found('srch')).toEqual(['srch-ada', 'srch-grace', 'srch-z_odd']);
      // % and _ are literal: "0%" is only in "100% Real", "z_" only in "srch-z_odd".
      expect(await found('0%')).toEqual(['srch-z_odd']);
      expect(await found('z_')).toEqual(['srch-z_odd']);
      expect(await found('%')).toEqual(['srch-z_odd']);
      expect(await found('no such person anywhere')).toEqual([]);
      // Combined with the other filters and paged.
      expect((await api.call<Page<User>>('GET', '/users?q=srch&username=srch-g', { token: tokens.reader })).body.items.map((u) => u.username)).toEqual(['srch-grace']);
      const first = await api.call<Page<User>>('GET', '/users?q=srch&limit=2', { token: tokens.reader });
      expect(first.body.items.map((u) => u.username)).toEqual(['srch-ada', 'srch-grace']);
      const second = await api.call<Page<User>>('GET', `/users?q=srch&limit=2&cursor=${first.body.next_cursor}`, { token: tokens.reader });
      expect(second.body.items.map((u) => u.username)).toEqual(['srch-z_odd']);
      // (A lone surrogate cannot reach a query string: UTF-8 cannot encode one, and %ED%A0%80 decodes to U+FFFD.)
      const role = await api.call<{ errors: Array<{ field: string }> }>('GET', '/users?role=a%00b', { token: tokens.reader });
      expect(role.status).toBe(400);
      expect(role.body.errors.map((e) => e.field)).toEqual(['query.role']);
      for (const query of ['q=a%00b', 'q=%01', 'q=tab%09', `q=${'x'.repeat(201)}`, 'q=', 'q=a&q=b', 'username=a%00', 'email=%00@x']) {
        const bad = await api.call<{ errors?: Array<{ field: string }> }>('GET', `/users?${query}`, { token: tokens.reader });
        expect(bad.status, query).toBe(400);
        expect(bad.headers.get('content-type'), query).toContain('application/problem+json');
      }
    });

    it('changes a user with If-Match: 428 without, 412 when stale, profile merged', async () => {
      const { api, tokens } = ctx();
      const created = await create({ username: 'patchy', email: 'patchy@example.com', email_verified: true, profile: { name: 'Patchy', locale: 'en' } });
      const id = created.body.id;
      expect((await api.call('PATCH', `/users/${id}`, { token: tokens.writer, body: { username: 'patchy2' } })).status).toBe(428);
      expect((await api.call('PATCH', `/users/${id}`, { token: tokens.writer, body: { username: 'patchy2' }, ifMatch: '*' })).status).toBe(428);
      const changed = await api.call<User>('PATCH', `/users/${id}`, {
        token: tokens.writer,
        body: { email: 'new@example.com', profile: { locale: null, given_name: 'P' } },
        ifMatch: created.etag,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ email: 'new@example.com', email_verified: false, profile: { name: 'Patchy', given_name: 'P' } });
      expect(changed.body.profile).not.toHaveProperty('locale');
      expect(changed.etag).not.toBe(created.etag);
      const stale = await api.call('PATCH', `/users/${id}`, { token: tokens.writer, body: { username: 'patchy3' }, ifMatch: created.etag });
      expect(stale.status).toBe(412);
      const weak = await api.call('PATCH', `/users/${id}`, { token: tokens.writer, body: { username: 'patchy3' }, ifMatch: `W/${changed.etag}` });
      expect(weak.status).toBe(412);
      const clash = await api.call('PATCH', `/users/${id}`, { token: tokens.writer, body: { username: 'alice' }, ifMatch: changed.etag });
      expect(clash.status).toBe(409);
      const badPatch = await api.call('PATCH', `/users/${id}`, { token: tokens.writer, body: { profile: { picture: 'not a url' } }, ifMatch: changed.etag });
      expect(badPatch.status).toBe(400);
    });

    it('of two PATCHes with the same If-Match, exactly one wins', async () => {
      const { api, tokens } = ctx();
      const created = await create({ username: 'racer' });
      const attempts = await Promise.all(
        ['racer-one', 'racer-two', 'racer-three', 'racer-four'].map((username) =>
          api.call<User>('PATCH', `/users/${created.body.id}`, { token: tokens.writer, body: { username }, ifMatch: created.etag }),
        ),
      );
      expect(attempts.map((a) => a.status).sort()).toEqual([200, 412, 412, 412]);
      const winner = attempts.find((a) => a.status === 200)!;
      const read = await api.call<User>('GET', `/users/${created.body.id}`, { token: tokens.reader });
      expect(read.body.username).toBe(winner.body.username);
    });

    it('disables and enables, forces a password change, resets MFA', async () => {
      const { api, tokens, op } = ctx();
      const created = await create({ username: 'switchy', password: 'a long enough password 2', profile: { phone_number: '+4915112345678', phone_number_verified: true } });
      const id = created.body.id;
      // If-Match is optional on actions, but evaluated when sent (RFC 9110 §13.1.1).
      expect((await api.call('POST', `/users/${id}/disable`, { token: tokens.writer, ifMatch: '"v999"' })).status).toBe(412);
      expect((await api.call('POST', `/users/${id}/mfa-reset`, { token: tokens.writer, ifMatch: '"v999"' })).status).toBe(412);
      expect((await api.call('POST', `/users/${id}/password-reset`, { token: tokens.writer, ifMatch: '"v999"' })).status).toBe(412);
      expect((await api.call('POST', `/users/${id}/enable`, { token: tokens.writer, ifMatch: '"v999"' })).status).toBe(412);
      const disabled = await api.call<User>('POST', `/users/${id}/disable`, { token: tokens.writer, ifMatch: created.etag });
      expect(disabled.status).toBe(200);
      expect(disabled.body.disabled).toBe(true);
      const onlyDisabled = await api.call<Page<User>>('GET', '/users?disabled=true', { token: tokens.reader });
      expect(onlyDisabled.body.items.map((u) => u.username)).toContain('switchy');
      expect((await api.call<User>('POST', `/users/${id}/enable`, { token: tokens.writer, ifMatch: '*' })).body.disabled).toBe(false);

      expect((await api.call('POST', `/users/${id}/password-reset`, { token: tokens.writer })).status).toBe(204);
      expect((await op.running.container.credentials.findPassword(id))?.mustChange).toBe(true);
      const passwordless = await create({ username: 'passwordless' });
      expect((await api.call('POST', `/users/${passwordless.body.id}/password-reset`, { token: tokens.writer })).status).toBe(409);

      const knex = op.running.container.database.knex;
      await knex('credentials').insert([
        { id: `${id}-totp`, user_id: id, type: 'totp', secret: 'sealed', data: '{}' },
        { id: `${id}-rc`, user_id: id, type: 'recovery_codes', secret: 'hashes', data: '{}' },
      ]);
      const reset = await api.call<User>('POST', `/users/${id}/mfa-reset`, { token: tokens.writer });
      expect(reset.status).toBe(200);
      expect(reset.body.profile).toMatchObject({ phone_number: '+4915112345678', phone_number_verified: false });
      const left = await knex('credentials').where({ user_id: id }).select('type');
      expect(left.map((r: { type: string }) => r.type)).toEqual(['password']);
    });

    it('deletes with If-Match', async () => {
      const { api, tokens } = ctx();
      const created = await create({ username: 'doomed' });
      expect((await api.call('DELETE', `/users/${created.body.id}`, { token: tokens.writer })).status).toBe(428);
      expect((await api.call('DELETE', `/users/${created.body.id}`, { token: tokens.writer, ifMatch: '"v999"' })).status).toBe(412);
      expect((await api.call('DELETE', `/users/${created.body.id}`, { token: tokens.writer, ifMatch: created.etag })).status).toBe(204);
      expect((await api.call('GET', `/users/${created.body.id}`, { token: tokens.reader })).status).toBe(404);
    });

    it('sets roles with If-Match', async () => {
      const { api, tokens } = ctx();
      const created = await create({ username: 'roley' });
      const set = await api.call<User>('PUT', `/users/${created.body.id}/roles`, { token: tokens.writer, body: { roles: ['order-manager', 'admin'] }, ifMatch: created.etag });
      expect(set.status).toBe(200);
      expect(set.body.roles).toEqual(['admin', 'order-manager']);
      expect((await api.call('PUT', `/users/${created.body.id}/roles`, { token: tokens.writer, body: { roles: [] }, ifMatch: created.etag })).status).toBe(412);
      expect((await api.call('PUT', `/users/${created.body.id}/roles`, { token: tokens.writer, body: { roles: ['ghost'] }, ifMatch: set.etag })).status).toBe(400);
    });
  });
}
