/**
 * Sessions and interactions read once per request (server/shared/request-scope.ts): an
 * interaction POST loads the interaction and its session (oidc-provider's interactionDetails),
 * then loads both again to store the result (interactionResult). The second read in the same
 * request now answers from the first. Every write of the model (upsert, consume, destroy,
 * revokeByGrantId) forgets the request's reads of it, before and after, so a read after a write
 * goes to the store. Each read hands out its own copy: oidc-provider changes the objects it is
 * given. Nothing is kept between requests.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';
import { forgetInRequest, memoizedInRequest } from '../../server/shared/request-scope.js';

/** The models read more than once in one request of a sign-in. */
export const REQUEST_MEMO_MODELS: ReadonlySet<string> = new Set(['Session', 'Interaction']);

export function requestMemoAdapter(model: string, adapter: Adapter): Adapter {
  const prefix = `oidc:${model}:`;
  const copy = (payload: AdapterPayload | undefined | void) => (payload ? structuredClone(payload) : undefined);
  const writing = async <T>(write: () => Promise<T>): Promise<T> => {
    forgetInRequest(prefix);
    try {
      return await write();
    } finally {
      forgetInRequest(prefix);
    }
  };
  return {
    find: async (id) => copy(await memoizedInRequest(`${prefix}id:${id}`, async () => adapter.find(id))),
    findByUid: async (uid) => copy(await memoizedInRequest(`${prefix}uid:${uid}`, async () => adapter.findByUid(uid))),
    findByUserCode: (userCode) => adapter.findByUserCode(userCode),
    upsert: (id, payload, expiresIn) => writing(() => adapter.upsert(id, payload, expiresIn)),
    consume: (id) => writing(() => adapter.consume(id)),
    destroy: (id) => writing(() => adapter.destroy(id)),
    revokeByGrantId: (grantId) => writing(() => adapter.revokeByGrantId(grantId)),
  };
}
