/**
 * Upstream sign-ins in flight, keyed by the SHA-256 of their state. Taking one is a single
 * conditional UPDATE, so a replayed callback finds it consumed.
 */
import type { Knex } from 'knex';
import type { FederationRequest, FederationRequestStore, UpstreamIdentity } from '../../server/modules/federation/index.js';

interface Row {
  state_hash: string;
  interaction_uid: string | null;
  user_id: string | null;
  provider_id: string;
  nonce: string;
  code_verifier: string;
  result: { identity: UpstreamIdentity; userId: string } | string | null;
  created_at: Date | string;
  expires_at: Date | string;
  consumed_at: Date | string | null;
}

const toRequest = (row: Row): FederationRequest => ({
  stateHash: row.state_hash,
  binding: row.user_id ? { userId: row.user_id } : { interactionUid: row.interaction_uid ?? '' },
  providerId: row.provider_id,
  nonce: row.nonce,
  codeVerifier: row.code_verifier,
  expiresAt: new Date(row.expires_at),
});

export function createFederationRequestRepository(knex: Knex): FederationRequestStore {
  const table = () => knex<Row>('federation_requests');
  return {
    async create(r, now) {
      await table().insert({
        state_hash: r.stateHash,
        interaction_uid: 'interactionUid' in r.binding ? r.binding.interactionUid : null,
        user_id: 'userId' in r.binding ? r.binding.userId : null,
        provider_id: r.providerId,
        nonce: r.nonce,
        code_verifier: r.codeVerifier,
        result: null,
        created_at: now,
        expires_at: r.expiresAt,
        consumed_at: null,
      });
    },
    async peek(stateHash, now) {
      const row = await table().where({ state_hash: stateHash }).whereNull('consumed_at').where('expires_at', '>', now).first();
      return row ? toRequest(row).binding : undefined;
    },
    async take(stateHash, now) {
      const rows = (await table().where({ state_hash: stateHash }).whereNull('consumed_at').where('expires_at', '>', now).update({ consumed_at: now }, '*')) as Row[];
      return rows[0] ? toRequest(rows[0]) : undefined;
    },
    async holdForLink(stateHash, identity, userId) {
      await table().where({ state_hash: stateHash }).update({ result: JSON.stringify({ identity, userId }) as never });
    },
    async heldForLink(interactionUid, now) {
      const row = await table().where({ interaction_uid: interactionUid }).whereNotNull('result').where('expires_at', '>', now).orderBy('created_at', 'desc').first();
      if (!row?.result) return undefined;
      return typeof row.result === 'string' ? JSON.parse(row.result) : row.result;
    },
    async releaseLink(interactionUid) {
      await table().where({ interaction_uid: interactionUid }).delete();
    },
    async purge(now, limit) {
      const due = knex('federation_requests').where('expires_at', '<=', now).select('state_hash').limit(limit);
      return (await table().whereIn('state_hash', due).delete().returning('state_hash')).length;
    },
  };
}
