/**
 * The Notifier that writes intents to the outbox. It checks what can be checked now (a known
 * channel and template, a plausible recipient) so a programming error fails the caller's
 * transaction instead of dead-lettering later.
 */
import { AppError } from '../../../shared/errors.js';
import type { MessageIntent } from '../domain/message.js';
import type { Notifier, Outbox, TemplateRenderer } from '../ports.js';

export interface OutboxNotifierDeps {
  outbox: Outbox;
  templates: Pick<TemplateRenderer, 'has'>;
  maxAttempts: number;
}

// Deliberately loose: the provider is the authority on addresses; this only catches mix-ups
// such as a phone number handed to the email channel.
const PLAUSIBLE = { email: /^[^\s@]+@[^\s@]+$/, sms: /^\+[1-9]\d{6,14}$/ } as const;

export function createOutboxNotifier(deps: OutboxNotifierDeps): Notifier {
  return {
    async enqueue(intent: MessageIntent, options) {
      if (intent.channel !== 'email' && intent.channel !== 'sms') throw new AppError('invalid_input', `unknown channel ${String(intent.channel)}`);
      if (!deps.templates.has(intent.channel, intent.template)) {
        throw new AppError('invalid_input', `no ${intent.channel} template named ${intent.template}`);
      }
      if (!PLAUSIBLE[intent.channel].test(intent.to)) throw new AppError('invalid_input', `the recipient is not a valid ${intent.channel === 'email' ? 'email address' : 'E.164 phone number'}`);
      await deps.outbox.add(
        { kind: intent.channel, topic: intent.template, payload: { ...intent, data: { ...intent.data } }, maxAttempts: deps.maxAttempts },
        options,
      );
    },
  };
}
