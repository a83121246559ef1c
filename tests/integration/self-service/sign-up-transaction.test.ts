/**
 * The outbox promise of sign-up (README, ARCHITECTURE: "side effects leave through an outbox,
 * written in the same transaction as the change"): the account, its password, the verification
 * flow and the verification email are committed together or not at all. A failure after the
 * change (here the outbox write of the email fails) leaves no account, no flow and no message.
 * Also email change: the flow and its message together.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createSecretSealer } from '../../../adapters/crypto/envelope.js';
import { createSecretDigester, randomSecrets } from '../../../adapters/crypto/secret-digester.js';
import { createFlowRepository } from '../../../adapters/db/flows-repository.js';
import { createOutboxRepository } from '../../../adapters/db/outbox-repository.js';
import { createUnitOfWork } from '../../../adapters/db/unit-of-work.js';
import { createCredentialRepository, createUserRepository } from '../../../adapters/db/users-repository.js';
import type { AuditEvent } from '../../../server/modules/compliance/index.js';
import type { MessageIntent, Notifier } from '../../../server/modules/notifications/index.js';
import { register, runSelfServiceTask, startEmailChange, type RecoveryDeps, type RegisterDeps, type SelfServiceTask } from '../../../server/modules/self-service/index.js';
import { systemClock } from '../../../server/shared/clock.js';
import { newId } from '../../../server/shared/ids.js';
import type { InTransaction } from '../../../server/shared/unit-of-work.js';
import { countingLimiter } from '../../unit/self-service/fakes.js';
import { createTestDatabase, postgresUrl, type TestDatabase } from '../../helpers/stores.js';

// Opening and migrating an embedded database takes long on a loaded 2-core machine.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 });

const kinds = ['pglite', ...(postgresUrl ? ['postgres' as const] : [])] as const;
const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of cleanup) await close();
});

/** Writes intents to the real outbox; fails after writing when `failAfter` names the template. */
function outboxNotifier(db: TestDatabase, failAfter: { template?: string }): Notifier {
  const outbox = createOutboxRepository(db.database.knex, createSecretSealer(randomBytes(32).toString('base64url')));
  return {
    async enqueue(intent: MessageIntent, options?: InTransaction) {
      await outbox.add({ kind: intent.channel, topic: intent.template, payload: intent, maxAttempts: 3 }, options);
      if (intent.template === failAfter.template) throw new Error('simulated failure after the outbox write');
    },
  };
}

async function setup(kind: 'pglite' | 'postgres', failAfter: { template?: string }) {
  const db = await createTestDatabase(kind);
  cleanup.push(() => db.drop());
  const { knex } = db.database;
  const events: AuditEvent[] = [];
  const deps: RegisterDeps = {
    users: createUserRepository(knex),
    credentials: createCredentialRepository(knex),
    hasher: { hash: async (p) => `hashed:${p}`, verify: async () => false, needsRehash: () => false, verifyAgainstDummy: async () => false },
    policy: { minLength: 12, blocklist: { has: () => false } },
    flows: createFlowRepository(knex),
    digester: createSecretDigester(randomBytes(32).toString('base64url')),
    secrets: randomSecrets,
    ids: { newId },
    unitOfWork: createUnitOfWork(knex),
    notifier: outboxNotifier(db, failAfter),
    audit: { record: async (event) => void events.push(event) },
    clock: systemClock,
    settings: { issuer: 'https://id.example.com', verificationTtl: 600, resetTtl: 1800 },
    limits: { messagesPerAddress: countingLimiter(10), messagesPerIp: countingLimiter(100) },
    // The outbox worker's part of a sign-up, run at once: its transaction is what is tested here.
    tasks: { defer: (task) => runSelfServiceTask(deps as RegisterDeps & RecoveryDeps, task) },
  };
  const count = async (table: string) => Number((await knex(table).count('* as n').first())?.n ?? 0);
  return { db, deps, events, count };
}

const context = { facts: { ip: '192.0.2.7' }, locale: 'en' };
const input = { username: 'newcomer', email: 'newcomer@example.com', password: 'a long enough passphrase' };

describe.each(kinds)('sign-up in one transaction on %s', (kind) => {
  it('commits the account, its password, the flow and the email together', async () => {
    const w = await setup(kind, {});
    const result = await register(w.deps, input, context);
    expect(result.userId).toBeTruthy();
    expect(await w.count('users')).toBe(1);
    expect(await w.count('credentials')).toBe(1);
    expect(await w.count('self_service_flows')).toBe(1);
    expect(await w.count('outbox_messages')).toBe(1);
  });

  it('a failure after the change rolls back the account and the message', async () => {
    const w = await setup(kind, { template: 'verify-email' });
    await expect(register(w.deps, input, context)).rejects.toThrow('simulated failure');
    expect(await w.count('users')).toBe(0);
    expect(await w.count('credentials')).toBe(0);
    expect(await w.count('self_service_flows')).toBe(0);
    expect(await w.count('outbox_messages')).toBe(0);
    expect(w.events.map((e) => e.type)).toEqual([]);
    // Nothing half-done: the same sign-up works afterwards.
    w.deps.notifier = outboxNotifier(w.db, {});
    expect((await register(w.deps, input, context)).userId).toBeTruthy();
  });

  it('a sign-up that lost a race after its answer creates nothing and says why', async () => {
    const w = await setup(kind, {});
    const deferred: SelfServiceTask[] = [];
    const held = { ...w.deps, tasks: { defer: async (task: SelfServiceTask) => void deferred.push(task) } };
    // Two sign-ups answered before either task ran: one for the same username, one for the same address.
    await register(held, input, context);
    await register(held, { ...input, email: 'other@example.com' }, context);
    await register(held, { ...input, username: 'someone-else' }, context);
    expect(await w.count('users')).toBe(0);
    const [first, sameUsername, sameAddress] = deferred;
    await runSelfServiceTask(w.deps as RegisterDeps & RecoveryDeps, first!);
    await runSelfServiceTask(w.deps as RegisterDeps & RecoveryDeps, sameUsername!);
    await runSelfServiceTask(w.deps as RegisterDeps & RecoveryDeps, sameAddress!);
    expect(await w.count('users')).toBe(1);
    expect(w.events.map((e) => [e.type, e.outcome, e.details?.reason])).toEqual([
      ['user.registered', 'success', undefined],
      ['user.email.verification_sent', 'success', undefined],
      ['user.registered', 'denied', 'username_taken'],
      ['user.registered', 'denied', 'email_in_use'],
    ]);
    const templates = (await w.db.database.knex('outbox_messages').select('topic')).map((row: { topic: string }) => row.topic).sort();
    expect(templates).toEqual(['account-exists', 'verify-email']);
  });

  it('an email change writes its flow and its message together, or neither', async () => {
    const w = await setup(kind, {});
    const { userId } = await register(w.deps, input, context);
    const user = (await w.deps.users.findById(userId!))!;
    const flows = await w.count('self_service_flows');
    const messages = await w.count('outbox_messages');
    w.deps.notifier = outboxNotifier(w.db, { template: 'verify-email' });
    const artifacts = { sessionsOf: async () => ({ items: [], total: 0 }), endSession: async () => false, grantsOf: async () => ({ items: [], total: 0 }), revokeGrant: async () => false, revokeEverything: async () => ({ sessions: 0, grants: 0 }) };
    await expect(startEmailChange({ ...w.deps, artifacts }, user, 'moved@example.com', context)).rejects.toThrow('simulated failure');
    expect(await w.count('self_service_flows')).toBe(flows);
    expect(await w.count('outbox_messages')).toBe(messages);
  });
});
