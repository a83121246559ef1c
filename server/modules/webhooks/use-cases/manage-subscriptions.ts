/**
 * Creating and changing webhook subscriptions. Event types must be in the audit catalogue; the
 * URL must pass the endpoint policy (resolved now, and again at every delivery). The secret is
 * generated here and returned once.
 */
import { AUDIT_EVENT_TYPES } from '../../compliance/index.js';
import { AppError, type FieldProblem } from '../../../shared/errors.js';
import type { ExpectedVersions } from '../../../shared/versions.js';
import { SECRET_PREFIX, type SubscriptionDraft, type WebhookSubscription } from '../domain/subscription.js';
import type { EndpointPolicy, SubscriptionRepository } from '../ports.js';
import type { Random } from '../../../shared/random.js';

export interface SubscriptionDeps {
  subscriptions: SubscriptionRepository;
  endpoints: EndpointPolicy;
  random: Pick<Random, 'bytes'>;
}

// 32 bytes: the HMAC-SHA256 block of security; within Standard Webhooks' 24-64 byte range.
const SECRET_BYTES = 32;
const KNOWN_TYPES = new Set<string>(AUDIT_EVENT_TYPES);

async function problems(deps: SubscriptionDeps, draft: Partial<SubscriptionDraft>): Promise<FieldProblem[]> {
  const found: FieldProblem[] = [];
  if (draft.eventTypes !== undefined) {
    if (draft.eventTypes.length === 0) found.push({ field: 'body.event_types', message: 'name at least one event type' });
    const unknown = draft.eventTypes.filter((type) => !KNOWN_TYPES.has(type));
    if (unknown.length) found.push({ field: 'body.event_types', message: `unknown event types: ${unknown.join(', ')}` });
  }
  if (draft.url !== undefined) {
    const refusal = await deps.endpoints.refusal(draft.url);
    if (refusal) found.push({ field: 'body.url', message: refusal });
  }
  return found;
}

async function validated(deps: SubscriptionDeps, draft: Partial<SubscriptionDraft>): Promise<void> {
  const found = await problems(deps, draft);
  if (found.length) throw new AppError('invalid_input', 'the subscription is not valid', { fields: found });
}

/** @returns the subscription and its signing secret, which is never shown again. @throws AppError invalid_input */
export async function createSubscription(deps: SubscriptionDeps, draft: SubscriptionDraft): Promise<{ subscription: WebhookSubscription; secret: string }> {
  await validated(deps, draft);
  const secret = `${SECRET_PREFIX}${Buffer.from(deps.random.bytes(SECRET_BYTES)).toString('base64')}`;
  const subscription = await deps.subscriptions.create({ ...draft, eventTypes: [...new Set(draft.eventTypes)] }, secret);
  return { subscription, secret };
}

/** @throws AppError not_found, precondition_failed, invalid_input */
export async function updateSubscription(deps: SubscriptionDeps, id: string, versions: ExpectedVersions, patch: Partial<SubscriptionDraft>): Promise<WebhookSubscription> {
  await validated(deps, patch);
  return deps.subscriptions.update(id, versions, patch.eventTypes ? { ...patch, eventTypes: [...new Set(patch.eventTypes)] } : patch);
}

/** Deleting a subscription deletes its delivery history with it. @throws AppError not_found, precondition_failed */
export async function deleteSubscription(deps: Pick<SubscriptionDeps, 'subscriptions'>, id: string, versions: ExpectedVersions): Promise<void> {
  await deps.subscriptions.delete(id, versions);
}

/** @throws AppError not_found */
export async function getSubscription(deps: Pick<SubscriptionDeps, 'subscriptions'>, id: string): Promise<WebhookSubscription> {
  const found = await deps.subscriptions.find(id);
  if (!found) throw new AppError('not_found', 'no such webhook subscription');
  return found;
}
