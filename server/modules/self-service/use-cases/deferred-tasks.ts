/**
 * The outbox handler of self-service tasks (see DeferredTasks): runs the account-specific part
 * of a request after the request was answered. A payload this version cannot read is a
 * permanent failure (dead-lettered), never retried.
 */
import { DeliveryError, type ClaimedMessage, type DeliveryReceipt, type OutboxHandler } from '../../notifications/index.js';
import type { SelfServiceTask } from '../ports.js';
import { fulfilResetRequest, type RecoveryDeps } from './recovery.js';

const text = (value: unknown): value is string => typeof value === 'string';

/** @returns the task, or undefined for a payload that is not one. */
export function parseSelfServiceTask(payload: unknown): SelfServiceTask | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { type, email, locale, facts } = payload as Record<string, unknown>;
  if (type !== 'password-reset' || !text(email) || !text(locale) || typeof facts !== 'object' || facts === null) return undefined;
  const { ip, userAgent, requestId } = facts as Record<string, unknown>;
  return {
    type,
    email,
    locale,
    facts: { ...(text(ip) ? { ip } : {}), ...(text(userAgent) ? { userAgent } : {}), ...(text(requestId) ? { requestId } : {}) },
  };
}

export function selfServiceTaskHandler(deps: RecoveryDeps): OutboxHandler {
  return {
    async deliver(message: ClaimedMessage): Promise<DeliveryReceipt> {
      const task = parseSelfServiceTask(message.payload);
      if (!task) throw new DeliveryError(`not a self-service task: ${message.topic}`, false, 'self-service');
      await fulfilResetRequest(deps, task.email, { facts: task.facts, locale: task.locale });
      return { provider: 'self-service' };
    },
  };
}
