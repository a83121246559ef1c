/**
 * The account's newest live grant for a client, for remembered consent (server/oidc/existing-
 * grant.ts). Grants always live in SQL with account_id pulled out (indexed); the client id is
 * read from the payload among that account's few grants.
 */
import type { Knex } from 'knex';

export function createGrantFinder(knex: Knex) {
  return {
    async newestGrantId(accountId: string, clientId: string): Promise<string | undefined> {
      const row = (await knex('oidc_payloads')
        .where({ model: 'Grant', account_id: accountId })
        .andWhereRaw("payload->>'clientId' = ?", [clientId])
        .andWhere((q) => q.whereNull('expires_at').orWhere('expires_at', '>', knex.fn.now()))
        .orderByRaw("(payload->>'iat')::bigint DESC NULLS LAST")
        .first('id')) as { id: string } | undefined;
      return row?.id;
    },
  };
}
