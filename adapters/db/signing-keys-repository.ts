/** Signing keys in SQL; private JWKs are sealed with the key-encryption key, bound to the kid. */
import type { Knex } from 'knex';
import type { Jwk, SigningAlg, SigningKeyRepository, StoredKey } from '../../server/modules/keys/index.js';
import type { SecretSealer } from '../crypto/envelope.js';

const context = (kid: string) => `signing-key:${kid}`;

function openPrivateJwk(sealer: SecretSealer, kid: string, ciphertext: string): Jwk {
  try {
    return JSON.parse(sealer.open(ciphertext, context(kid))) as Jwk;
  } catch {
    throw new Error(
      `signing key ${kid} cannot be decrypted: KEY_ENCRYPTION_KEY is not the key it was stored with (restore the previous key, or delete the signing_keys rows to start over)`,
    );
  }
}

export function createSigningKeyRepository(knex: Knex, sealer: SecretSealer): SigningKeyRepository {
  return {
    async list() {
      const rows = await knex('signing_keys').select('*');
      return rows.map(
        (row): StoredKey => ({
          kid: row.kid,
          alg: row.alg as SigningAlg,
          status: row.status,
          createdAt: new Date(row.created_at),
          verifyUntil: row.verify_until ? new Date(row.verify_until) : null,
          publicJwk: row.public_jwk as Jwk,
          privateJwk: openPrivateJwk(sealer, row.kid, row.private_jwk_ciphertext),
        }),
      );
    },
    async insert(key) {
      await knex('signing_keys').insert({
        kid: key.kid,
        alg: key.alg,
        status: key.status,
        created_at: key.createdAt,
        public_jwk: JSON.stringify(key.publicJwk),
        private_jwk_ciphertext: sealer.seal(JSON.stringify(key.privateJwk), context(key.kid)),
      });
    },
    async retire(kids, verifyUntil) {
      if (!kids.length) return;
      await knex('signing_keys').whereIn('kid', kids).update({ status: 'retired', retired_at: knex.fn.now(), verify_until: verifyUntil });
    },
    async delete(kids) {
      if (!kids.length) return;
      await knex('signing_keys').whereIn('kid', kids).delete();
    },
  };
}
