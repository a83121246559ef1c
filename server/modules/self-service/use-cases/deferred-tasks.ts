/**
 * The outbox handler of self-service tasks (see DeferredTasks): runs the account-specific part
 * of a request after the request was answered. A payload this version cannot read is a
 * permanent failure (dead-lettered), never retried.
 */
import { z } from 'zod';
import { DeliveryError, type ClaimedMessage, type DeliveryReceipt, type OutboxHandler } from '../../notifications/index.js';
import type { SelfServiceTask } from '../ports.js';
import { fulfilResetRequest, type RecoveryDeps } from './recovery.js';
import { fulfilRegistration, type RegisterDeps } from './register.js';

const facts = z.object({ ip: z.string().optional(), userAgent: z.string().optional(), requestId: z.string().optional() });
const taskSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('password-reset'), email: z.string(), locale: z.string(), facts }),
  z.object({
    type: z.literal('registration'),
    locale: z.string(),
    facts,
    registration: z.object({
      userId: z.string().min(1),
      flowId: z.string().min(1),
      username: z.string().min(1),
      email: z.string().min(1),
      passwordHash: z.string().min(1).optional(),
      phone: z.string().optional(),
      emailAllowed: z.boolean(),
      phoneAllowed: z.boolean(),
      replaces: z.string().min(1).optional(),
    }),
  }),
]);

/** @returns the task, or undefined for a payload that is not one. */
export function parseSelfServiceTask(payload: unknown): SelfServiceTask | undefined {
  const parsed = taskSchema.safeParse(payload);
  return parsed.success ? parsed.data : undefined;
}

/** Runs one task's account-specific part (the outbox worker, or a test that needs it at once). */
export async function runSelfServiceTask(deps: RecoveryDeps & RegisterDeps, task: SelfServiceTask): Promise<void> {
  const context = { facts: task.facts, locale: task.locale };
  switch (task.type) {
    case 'password-reset':
      return fulfilResetRequest(deps, task.email, context);
    case 'registration':
      return fulfilRegistration(deps, task.registration, context);
  }
}

export function selfServiceTaskHandler(deps: RecoveryDeps & RegisterDeps): OutboxHandler {
  return {
    async deliver(message: ClaimedMessage): Promise<DeliveryReceipt> {
      const task = parseSelfServiceTask(message.payload);
      if (!task) throw new DeliveryError(`not a self-service task: ${message.topic}`, false, 'self-service');
      await runSelfServiceTask(deps, task);
      return { provider: 'self-service' };
    },
  };
}
