/** /clients: definitions validated like seeds, secrets generated and shown once, rotation. */
import { describe, expect, it } from 'vitest';
import { API } from '../../helpers/provider.js';
import { client, discover } from '../../helpers/rp.js';
import type { AdminTestContext } from './context.js';

type Client = Record<string, unknown> & { client_id: string; has_secret: boolean; client_secret?: string };
type Page<T> = { items: T[]; next_cursor?: string };

export function clientsSuite(ctx: () => AdminTestContext) {
  describe('clients', () => {
    it('creates a confidential client whose generated secret works and is shown only once', async () => {
      const { api, tokens, op } = ctx();
      const created = await api.call<Client>('POST', '/clients', {
        token: tokens.writer,
        body: { client_id: 'batch-job', client_name: 'Batch', grant_types: ['client_credentials'], resource_scopes: { [API.identifier]: ['orders:read'] } },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.client_secret).toMatch(/^[\w-]{43}$/);
      expect(created.body).toMatchObject({ client_id: 'batch-job', has_secret: true, token_endpoint_auth_method: 'client_secret_basic', source: 'admin' });
      const secret = created.body.client_secret!;
      const service = await discover(op.issuer, 'batch-job', secret);
      const issued = await client.clientCredentialsGrant(service, { resource: API.identifier, scope: 'orders:read' });
      expect(issued.scope).toBe('orders:read');

      const read = await api.call<Client>('GET', '/clients/batch-job', { token: tokens.reader });
      expect(read.body).not.toHaveProperty('client_secret');
      expect(read.body.has_secret).toBe(true);
      const list = await api.call<Page<Client>>('GET', '/clients?limit=100', { token: tokens.reader });
      expect(list.body.items.map((c) => c.client_id)).toEqual([...list.body.items.map((c) => c.client_id)].sort());
      expect(list.body.items.every((c) => !('client_secret' in c))).toBe(true);
      expect(JSON.stringify(list.body)).not.toContain(secret);

      const rotated = await api.call<{ client_secret: string }>('POST', '/clients/batch-job/secret', { token: tokens.writer, ifMatch: read.etag });
      expect(rotated.status).toBe(200);
      expect(rotated.body.client_secret).not.toBe(secret);
      await expect(client.clientCredentialsGrant(await discover(op.issuer, 'batch-job', secret), { resource: API.identifier })).rejects.toMatchObject({ status: 401 });
      await client.clientCredentialsGrant(await discover(op.issuer, 'batch-job', rotated.body.client_secret), { resource: API.identifier, scope: 'orders:read' });
      expect((await api.call('POST', '/clients/batch-job/secret', { token: tokens.writer, ifMatch: read.etag })).status).toBe(412);
      expect((await api.call('POST', '/clients/batch-job/secret', { token: tokens.writer })).status).toBe(428);
      expect((await api.call('POST', '/clients/nobody/secret', { token: tokens.writer, ifMatch: '"v1"' })).status).toBe(404);
      expect(op.logs.join('\n')).not.toContain(rotated.body.client_secret);
      expect(op.logs.join('\n')).not.toContain(secret);
    });

    it('issues tokens in the format and lifetime the API was given through the admin API', async () => {
      const { api, tokens, op } = ctx();
      const REPORTS = 'https://reports.example.com';
      const created = await api.call('POST', '/resource-servers', {
        token: tokens.writer,
        body: { identifier: REPORTS, name: 'Reports', scopes: [{ value: 'reports:read' }], access_token_format: 'opaque', access_token_ttl: 120 },
      });
      expect(created.status).toBe(201);
      const reporter = await api.call<Client>('POST', '/clients', {
        token: tokens.writer,
        body: { client_id: 'reporter', grant_types: ['client_credentials'], resource_scopes: { [REPORTS]: ['reports:read'] } },
      });
      const issued = await client.clientCredentialsGrant(await discover(op.issuer, 'reporter', reporter.body.client_secret!), { resource: REPORTS, scope: 'reports:read' });
      expect(issued.access_token).not.toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(issued.expires_in).toBe(120);
      expect(issued.scope).toBe('reports:read');
    });

    it('of two secret rotations with the same If-Match, exactly one wins and its secret is the one that works', async () => {
      const { api, tokens, op } = ctx();
      const created = await api.call<Client>('POST', '/clients', { token: tokens.writer, body: { client_id: 'raced', grant_types: ['client_credentials'] } });
      const attempts = await Promise.all([1, 2, 3].map(() => api.call<{ client_secret: string }>('POST', '/clients/raced/secret', { token: tokens.writer, ifMatch: created.etag })));
      expect(attempts.map((a) => a.status).sort()).toEqual([200, 412, 412]);
      const winner = attempts.find((a) => a.status === 200)!.body.client_secret;
      const tokensIssued = await client.clientCredentialsGrant(await discover(op.issuer, 'raced', winner));
      expect(tokensIssued.access_token).toBeTruthy();
    });

    it('validates definitions like the seed: schema fields, APIs, provider metadata, taken ids, secrets', async () => {
      const { api, tokens } = ctx();
      const call = (body: Record<string, unknown>) => api.call<{ errors: Array<{ field: string; message: string }> }>('POST', '/clients', { token: tokens.writer, body });
      const schema = await call({ client_id: 'bad client', redirect_uris: ['https://x.example/cb#frag'] });
      expect(schema.status).toBe(400);
      expect(schema.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['body.client_id', 'body.redirect_uris.0']));
      const apis = await call({ client_id: 'c1', grant_types: ['client_credentials'], resource_scopes: { 'https://nowhere.example': ['x'], [API.identifier]: ['orders:delete'] } });
      expect(apis.status).toBe(400);
      expect(apis.body.errors.map((e) => e.field)).toEqual(['body.resource_scopes.https://nowhere.example', `body.resource_scopes.${API.identifier}`]);
      const engine = await call({ client_id: 'c2', redirect_uris: ['http://app.example/cb'], application_type: 'native' });
      expect(engine.status).toBe(400);
      expect(engine.body.errors[0]!.field).toBe('body');
      const secret = await call({ client_id: 'c3', client_secret: 'x'.repeat(40), grant_types: ['client_credentials'] });
      expect(secret.status).toBe(400);
      expect(secret.body.errors.map((e) => e.field)).toEqual(['body.client_secret']);
      expect((await call({ client_id: 'web-app', grant_types: ['client_credentials'] })).status).toBe(409);
    });

    it('refuses a backchannel_logout_uri the address policy refuses, at creation and at change, naming the field', async () => {
      const { api, tokens } = ctx();
      type Refusal = { errors: Array<{ field: string; message: string }> };
      const create = (id: string, uri: string) => api.call<Refusal>('POST', '/clients', { token: tokens.writer, body: { client_id: id, grant_types: ['client_credentials'], backchannel_logout_uri: uri } });
      // This provider allows 127.0.0.0/8 (WEBHOOK_ALLOWED_NETWORKS, for the local receivers): every other inward address stays refused.
      for (const [uri, message] of [
        ['http://[::1]/logout', 'the host resolves to a loopback address, which webhooks may not reach'],
        ['http://10.1.2.3/logout', 'the host resolves to a private address, which webhooks may not reach'],
        ['http://169.254.169.254/latest/meta-data', 'the host resolves to a link-local address, which webhooks may not reach'],
        ['https://user:secret@93.184.215.14/logout', 'the URL must not contain credentials'],
      ]) {
        const refused = await create('bcl-refused', uri!);
        expect(refused.status, uri).toBe(400);
        expect(refused.body.errors).toEqual([{ field: 'body.backchannel_logout_uri', message }]);
      }
      expect((await api.call('GET', '/clients/bcl-refused', { token: tokens.reader })).status).toBe(404);
      // A public address passes (an IP literal: no DNS in the test).
      expect((await create('bcl-allowed', 'http://127.0.0.1:8080/logout')).status).toBe(201);
      const created = await create('bcl-public', 'https://93.184.215.14/logout');
      expect(created.status).toBe(201);
      const changed = await api.call<Refusal>('PATCH', '/clients/bcl-public', { token: tokens.writer, body: { backchannel_logout_uri: 'http://192.168.1.10/logout' }, ifMatch: created.etag });
      expect(changed.status).toBe(400);
      expect(changed.body.errors).toEqual([{ field: 'body.backchannel_logout_uri', message: 'the host resolves to a private address, which webhooks may not reach' }]);
      const stored = await api.call<Client>('GET', '/clients/bcl-public', { token: tokens.reader });
      expect(stored.body.backchannel_logout_uri).toBe('https://93.184.215.14/logout');
    });

    it('changes metadata with If-Match; a public client has no secret and cannot rotate one', async () => {
      const { api, tokens } = ctx();
      const created = await api.call<Client>('POST', '/clients', {
        token: tokens.writer,
        body: { client_id: 'spa-two', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example/cb'] },
      });
      expect(created.status).toBe(201);
      expect(created.body).not.toHaveProperty('client_secret');
      expect(created.body.has_secret).toBe(false);
      expect((await api.call('POST', '/clients/spa-two/secret', { token: tokens.writer, ifMatch: created.etag })).status).toBe(409);

      const changed = await api.call<Client>('PATCH', '/clients/spa-two', {
        token: tokens.writer,
        body: { client_name: 'SPA Two', web_origins: ['https://spa.example'] },
        ifMatch: created.etag,
      });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ client_name: 'SPA Two', web_origins: ['https://spa.example'] });
      expect((await api.call('PATCH', '/clients/spa-two', { token: tokens.writer, body: { client_name: 'x' }, ifMatch: created.etag })).status).toBe(412);
      const invalid = await api.call('PATCH', '/clients/spa-two', { token: tokens.writer, body: { redirect_uris: ['nope'] }, ifMatch: changed.etag });
      expect(invalid.status).toBe(400);
      // Becoming confidential generates a secret, shown in this response only.
      const confidential = await api.call<Client>('PATCH', '/clients/spa-two', {
        token: tokens.writer,
        body: { token_endpoint_auth_method: 'client_secret_basic', client_name: null },
        ifMatch: changed.etag,
      });
      expect(confidential.status).toBe(200);
      expect(confidential.body.client_secret).toBeTruthy();
      expect(confidential.body).not.toHaveProperty('client_name');
      expect((await api.call<Client>('GET', '/clients/spa-two', { token: tokens.reader })).body).not.toHaveProperty('client_secret');

      expect((await api.call('PATCH', '/clients/nobody', { token: tokens.writer, body: {}, ifMatch: '"v1"' })).status).toBe(404);
      expect((await api.call('GET', '/clients/nobody', { token: tokens.reader })).status).toBe(404);
      expect((await api.call('DELETE', '/clients/spa-two', { token: tokens.writer, ifMatch: changed.etag })).status).toBe(412);
      expect((await api.call('DELETE', '/clients/spa-two', { token: tokens.writer, ifMatch: confidential.etag })).status).toBe(204);
      expect((await api.call('DELETE', '/clients/spa-two', { token: tokens.writer, ifMatch: confidential.etag })).status).toBe(404);
    });
  });
}
