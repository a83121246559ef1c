/**
 * The store side of REFRESH_TOKEN_REUSE_WINDOW, on PGlite and Postgres: a refresh token consume
 * lost to a consumption within the window is refused without revoking the grant (the refresh
 * grant answers it with the successor, server/oidc/refresh-reuse.ts); outside the window the loser
 * revokes as before. The successor answer kept on the rotated token's row is sealed at rest.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretSealer } from '../../adapters/crypto/envelope.js';
import { sealingSuccessor, SUCCESSOR_FIELD } from '../../adapters/oidc/sealed-successor.js';
import { SqlStore } from '../../adapters/oidc/sql-store.js';
import { createTestDatabase, describeWith, storesFor, databaseKinds, type TestDatabase } from '../helpers/stores.js';
import { newId, samplePayload } from './oidc-adapter.contract.js';

for (const kind of databaseKinds) {
  describeWith(...storesFor(kind))(`refresh token reuse window on ${kind}`, () => {
    let db: TestDatabase;
    const reused: string[] = [];
    const onReuse = async (grantId: string) => void reused.push(grantId);
    beforeAll(async () => {
      db = await createTestDatabase(kind);
    });
    afterAll(async () => {
      await db?.drop();
    });

    async function consumedToken(store: SqlStore) {
      const id = newId();
      const grantId = newId('grant');
      await store.upsert(id, samplePayload('RefreshToken', id, { grantId }), 3600);
      await store.consume(id);
      return { id, grantId };
    }

    it('a second consume within the window is refused without reporting the grant', async () => {
      const store = new SqlStore(db.database.knex, 'RefreshToken', onReuse, 5);
      const { id, grantId } = await consumedToken(store);
      await expect(store.consume(id)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect(reused).not.toContain(grantId);
    });

    it('a second consume after the window reports the grant as reused', async () => {
      const store = new SqlStore(db.database.knex, 'RefreshToken', onReuse, 1);
      const { id, grantId } = await consumedToken(store);
      await sleep(2_200);
      await expect(store.consume(id)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect(reused).toContain(grantId);
    });

    it('without a window every losing consume reports the grant', async () => {
      const store = new SqlStore(db.database.knex, 'RefreshToken', onReuse);
      const { id, grantId } = await consumedToken(store);
      await expect(store.consume(id)).rejects.toMatchObject({ error: 'invalid_grant' });
      expect(reused).toContain(grantId);
    });

    it('the successor answer is sealed at rest, bound to its token, and readable through the store', async () => {
      const sealer = createSecretSealer(randomBytes(32).toString('base64url'));
      const store = sealingSuccessor(new SqlStore(db.database.knex, 'RefreshToken', onReuse, 5), sealer);
      const id = newId();
      const answer = JSON.stringify({ body: { refresh_token: 'successor-value' } });
      await store.upsert(id, { ...samplePayload('RefreshToken', id), [SUCCESSOR_FIELD]: answer }, 3600);
      const row = (await db.database.knex('oidc_payloads').where({ model: 'RefreshToken', id }).first('payload')) as { payload: unknown };
      const raw = JSON.stringify(row.payload);
      expect(raw).not.toContain('successor-value');
      expect((await store.find(id))?.[SUCCESSOR_FIELD]).toBe(answer);
      // Copied onto another token's row, the sealed answer does not open: as if there were none.
      const other = newId();
      const sealed = (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>;
      await new SqlStore(db.database.knex, 'RefreshToken').upsert(other, { ...samplePayload('RefreshToken', other), [SUCCESSOR_FIELD]: sealed[SUCCESSOR_FIELD] }, 3600);
      const found = await store.find(other);
      expect(found).toBeTruthy();
      expect(found?.[SUCCESSOR_FIELD]).toBeUndefined();
    });
  });
}
