/** In-memory stand-ins for the self-service ports, for use-case unit tests (not a test file). */
import { randomBytes } from 'node:crypto';
import { createSecretDigester } from '../../../adapters/crypto/secret-digester.js';
import type { AuditEvent } from '../../../server/modules/compliance/index.js';
import type { MessageIntent } from '../../../server/modules/notifications/index.js';
import { runSelfServiceTask, type FlowRepository, type RecoveryDeps, type RegisterDeps, type SelfServiceTask, type StoredFlow } from '../../../server/modules/self-service/index.js';
import type { Transaction } from '../../../server/shared/unit-of-work.js';

/** Stands for an open transaction where there is none (in-memory fakes ignore it). */
const MEMORY_TRANSACTION = Object.freeze({}) as unknown as Transaction;
import type { User } from '../../../server/modules/users/index.js';
import type { RateLimiter } from '../../../server/shared/rate-limit.js';

export function memoryFlows(): FlowRepository & { all: Map<string, StoredFlow> } {
  const all = new Map<string, StoredFlow>();
  const pending = (f: StoredFlow) => f.state === 'pending' || f.state === 'requested';
  return {
    all,
    create: async (flow) => void all.set(flow.id, { ...flow }),
    findById: async (id) => all.get(id),
    findByTokenDigest: async (digest) => [...all.values()].find((f) => f.tokenDigest === digest),
    findPending: async (userId, kind) => [...all.values()].filter((f) => f.userId === userId && f.kind === kind && pending(f)).at(-1),
    supersedePending: async (userId, kind, now) => {
      for (const f of all.values()) if (f.userId === userId && f.kind === kind && pending(f)) Object.assign(f, { state: 'superseded', finishedAt: now });
    },
    transition: async (id, from, to) => {
      const f = all.get(id);
      if (!f || f.state !== from.state || f.attempts !== from.attempts) return false;
      Object.assign(f, to);
      return true;
    },
  };
}

export function countingLimiter(points: number): RateLimiter {
  const used = new Map<string, number>();
  return {
    peek: (key) => ((used.get(key) ?? 0) >= points ? { allowed: false, retryAfterSeconds: 60 } : { allowed: true }),
    consume: async (key) => {
      const n = (used.get(key) ?? 0) + 1;
      used.set(key, n);
      return n > points ? { allowed: false, retryAfterSeconds: 60 } : { allowed: true };
    },
  };
}

export function world(now = new Date('2026-11-28T10:00:00Z')) {
  const clock = { current: now, now() { return this.current; } };
  const sent: MessageIntent[] = [];
  const events: AuditEvent[] = [];
  const users = new Map<string, User>();
  const user: User = { id: 'u1', username: 'alice', email: 'alice@example.com', emailVerified: false, profile: {}, disabled: false, version: 1, createdAt: now, updatedAt: now };
  users.set(user.id, user);
  const deps: Record<string, unknown> & { flows: FlowRepository } = {
    flows: memoryFlows(),
    digester: createSecretDigester(randomBytes(32).toString('base64url')),
    secrets: { token: () => randomBytes(32).toString('base64url'), code: () => String(100000 + Math.floor(Math.random() * 900000)) },
    notifier: { enqueue: async (intent: MessageIntent) => void sent.push(intent) },
    audit: { record: async (event: AuditEvent) => void events.push(event) },
    clock,
    settings: { issuer: 'https://id.example.com', verificationTtl: 600, resetTtl: 1800 },
    ids: { newId: () => randomBytes(16).toString('hex') },
    // In memory there is nothing to commit: the work runs as it is.
    unitOfWork: { run: <T>(work: (transaction: Transaction) => Promise<T>) => work(MEMORY_TRANSACTION) },
    // Deferred work runs at once here, so a test sees its effects right after the request.
    tasks: { defer: async (task: SelfServiceTask) => runSelfServiceTask(deps as unknown as RecoveryDeps & RegisterDeps, task) },
    limits: { messagesPerAddress: countingLimiter(3), messagesPerIp: countingLimiter(30), codeAttemptsPerIp: countingLimiter(50) },
    users: {
      findById: async (id: string) => users.get(id),
      findByLogin: async (login: string) => [...users.values()].find((u) => u.username === login || u.email === login),
      update: async (id: string, changes: Partial<User>) => {
        const next = { ...users.get(id)!, ...changes };
        users.set(id, next);
        return next;
      },
    },
  };
  return { deps, clock, sent, events, users, user, context: { facts: { ip: '192.0.2.1' }, locale: 'en' } };
}
