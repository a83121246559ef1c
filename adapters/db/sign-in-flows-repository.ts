/**
 * Pending sign-ins in SQL, one row per interaction. The state is stored as JSON and read back
 * through a schema, so a row that does not describe a sign-in state is treated as none.
 */
import type { Knex } from 'knex';
import { z } from 'zod';
import type { SignInFlowStore, SignInState } from '../../server/modules/auth/index.js';

interface Row {
  interaction_uid: string;
  user_id: string;
  state: string;
  expires_at: Date | string;
}

// Abandoned sign-ins are removed a batch at a time on each write, so the table stays small
// without a separate job and no single write does unbounded work.
const PURGE_BATCH = 100;

const amr = z.enum(['pwd', 'otp', 'sms', 'mfa', 'fed']);
const base = {
  uid: z.string(),
  userId: z.string(),
  remember: z.boolean(),
  methods: z.array(amr),
  attempts: z.number().int().nonnegative(),
  expiresAt: z.number(),
};
const reason = z.enum(['step_up', 'client_policy', 'enrolled']);
const stateSchema = z.discriminatedUnion('step', [
  z.object({ ...base, step: z.literal('password_change') }),
  z.object({ ...base, step: z.literal('challenge'), reason, smsChallengeId: z.string().optional() }),
  z.object({ ...base, step: z.literal('enrolment'), reason }),
  z.object({ ...base, step: z.literal('recovery_codes'), reason }),
]);

function parse(text: string): SignInState | undefined {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function createSignInFlowRepository(knex: Knex): SignInFlowStore {
  const table = () => knex<Row>('sign_in_flows');
  return {
    async save(state) {
      const expired = table().select('interaction_uid').where('expires_at', '<', new Date()).limit(PURGE_BATCH);
      await table().whereIn('interaction_uid', expired).delete();
      await table()
        .insert({ interaction_uid: state.uid, user_id: state.userId, state: JSON.stringify(state), expires_at: new Date(state.expiresAt) })
        .onConflict('interaction_uid')
        .merge();
    },
    async find(uid) {
      const row = await table().where({ interaction_uid: uid }).first();
      return row ? parse(row.state) : undefined;
    },
    async delete(uid) {
      await table().where({ interaction_uid: uid }).delete();
    },
  };
}
