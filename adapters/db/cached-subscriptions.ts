/**
 * A read cache of active webhook subscriptions in front of the repository. Every audit event asks
 * "who subscribed to this type?" (sign-ins included), while subscriptions change rarely: one
 * query per SUBSCRIPTION_CACHE_MS per process answers them all. Changes made through this wrapper
 * apply at once; changes made by another process within that many milliseconds.
 */
import type { SubscriptionRepository, WebhookSubscription } from '../../server/modules/webhooks/index.js';

export const SUBSCRIPTION_CACHE_MS = 5_000;

/**
 * @param sharing.onChange called after every write through the wrapper (to announce it to other processes);
 * `forget()` on the result is what such an announcement calls here.
 */
export function cachedSubscriptions(
  repository: SubscriptionRepository,
  activeAll: () => Promise<WebhookSubscription[]>,
  now: () => number = Date.now,
  sharing: { ttlMs?: number; onChange?: () => void } = {},
): SubscriptionRepository & { forget(): void } {
  const ttl = sharing.ttlMs ?? SUBSCRIPTION_CACHE_MS;
  let cached: { value: Promise<WebhookSubscription[]>; until: number } | undefined;
  const forget = <T>(result: Promise<T>) => {
    cached = undefined;
    return result.finally(() => {
      cached = undefined;
      sharing.onChange?.();
    });
  };
  return {
    ...repository,
    forget: () => void (cached = undefined),
    create: (draft, secret) => forget(repository.create(draft, secret)),
    update: (id, versions, patch) => forget(repository.update(id, versions, patch)),
    delete: (id, versions) => forget(repository.delete(id, versions)),
    async subscribedTo(eventType) {
      if (!cached || cached.until <= now()) {
        const value = activeAll();
        cached = { value, until: now() + ttl };
        // A failed read must not be cached.
        value.catch(() => (cached = undefined));
      }
      return (await cached.value).filter((s) => s.eventTypes.includes(eventType));
    },
  };
}
