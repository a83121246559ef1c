/** What other modules use to send a message, and what the notifications module needs. */
import type { MessageIntent } from './domain/message.js';

/** Accepts a message for delivery. Resolves once the intent is durably queued (or, in development without a channel, printed). */
export interface Notifier {
  enqueue(intent: MessageIntent): Promise<void>;
}
