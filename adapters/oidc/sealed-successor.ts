/**
 * The refresh token store keeps, next to a rotated token, the answer its rotation produced (the
 * successor tokens), so a request repeating that refresh within REFRESH_TOKEN_REUSE_WINDOW gets
 * the same answer (server/oidc/refresh-reuse.ts). Those are live tokens: sealed at rest with the
 * key-encryption key, bound to the rotated token's id.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { SecretSealer } from '../crypto/envelope.js';

/** The payload field holding the successor answer (plain to callers, sealed in the store). */
export const SUCCESSOR_FIELD = 'successor';

const context = (id: string) => `refresh-successor:${id}`;

export function sealingSuccessor(store: Adapter, sealer: SecretSealer): Adapter {
  return {
    upsert(id, payload, expiresIn) {
      const plain = (payload as Record<string, unknown>)[SUCCESSOR_FIELD];
      if (typeof plain !== 'string') return store.upsert(id, payload, expiresIn);
      return store.upsert(id, { ...payload, [SUCCESSOR_FIELD]: sealer.seal(plain, context(id)) } as AdapterPayload, expiresIn);
    },
    async find(id) {
      const payload = await store.find(id);
      const sealed = (payload as Record<string, unknown> | undefined)?.[SUCCESSOR_FIELD];
      if (!payload || typeof sealed !== 'string') return payload;
      try {
        return { ...payload, [SUCCESSOR_FIELD]: sealer.open(sealed, context(id)) } as AdapterPayload;
      } catch {
        // Altered, moved or sealed with a retired key: as if there were no successor (reuse then revokes).
        const { [SUCCESSOR_FIELD]: _dropped, ...rest } = payload as Record<string, unknown>;
        return rest as AdapterPayload;
      }
    },
    findByUid: (uid) => store.findByUid(uid),
    findByUserCode: (userCode) => store.findByUserCode(userCode),
    consume: (id) => store.consume(id),
    destroy: (id) => store.destroy(id),
    revokeByGrantId: (grantId) => store.revokeByGrantId(grantId),
  };
}
