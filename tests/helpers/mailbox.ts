/**
 * Where tests read the messages the provider sends. Today a capturing Notifier (the intents the
 * provider enqueues, exactly as a channel adapter would receive them); when the SMTP adapter
 * lands, a loopback `smtp-server` implementation of the same Mailbox replaces it: change the one
 * line `openMailbox = ...` at the bottom, and every test keeps working.
 */
import type { MessageIntent, Notifier } from '../../server/modules/notifications/index.js';
import type { InTransaction } from '../../server/shared/unit-of-work.js';
import type { StartOptions } from './provider.js';

export interface ReceivedMessage {
  channel: 'email' | 'sms';
  template: string;
  locale: string;
  to: string;
  /** Template variables: links, codes, names. */
  data: Record<string, string>;
}

export interface Mailbox {
  /** Spread into startTestProvider's options. */
  provider: Pick<StartOptions, 'notifier' | 'env'>;
  messages(): ReceivedMessage[];
  /** The first message to `to` (with `template`) that arrives after `since` messages; waits up to `timeoutMs`. */
  waitFor(to: string, template: string, options?: { since?: number; timeoutMs?: number }): Promise<ReceivedMessage>;
  /** How many messages so far (a `since` mark for waitFor). */
  count(): number;
  close(): Promise<void>;
}

export async function openCapturingMailbox(): Promise<Mailbox> {
  const received: ReceivedMessage[] = [];
  const notifier: Notifier = {
    enqueue: async (intent: MessageIntent, options?: InTransaction) => {
      const message = { ...intent, data: { ...intent.data } };
      // As with the real outbox, a message written in a transaction exists once that commits
      // (and never if it rolls back): a test must not see an email before the flow it names.
      const pending = (options?.transaction as unknown as { executionPromise?: Promise<unknown> } | undefined)?.executionPromise;
      if (pending) pending.then(() => received.push(message), () => undefined);
      else received.push(message);
    },
  };
  return {
    provider: { notifier },
    messages: () => [...received],
    count: () => received.length,
    async waitFor(to, template, options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 5000);
      for (;;) {
        const found = received.slice(options.since ?? 0).find((m) => m.to.toLowerCase() === to.toLowerCase() && m.template === template);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no ${template} message to ${to}; got: ${received.map((m) => `${m.template}→${m.to}`).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: async () => undefined,
  };
}

export const openMailbox: () => Promise<Mailbox> = openCapturingMailbox;
