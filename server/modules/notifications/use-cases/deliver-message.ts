/** The outbox handler for email and SMS: render the intent's template, then hand it to the channel. */
import { DeliveryError } from '../domain/delivery.js';
import type { MessageIntent } from '../domain/message.js';
import type { ClaimedMessage } from '../domain/outbox.js';
import type { EmailChannel, OutboxHandler, SmsChannel, TemplateRenderer } from '../ports.js';

export interface MessageHandlerDeps {
  templates: TemplateRenderer;
  email: EmailChannel;
  sms: SmsChannel;
}

function render(deps: MessageHandlerDeps, intent: MessageIntent) {
  try {
    return intent.channel === 'email' ? deps.templates.renderEmail(intent.template, intent.locale, intent.data) : deps.templates.renderSms(intent.template, intent.locale, intent.data);
  } catch (error) {
    // A template that does not render will not render on the next attempt either.
    throw new DeliveryError(`template ${intent.template} failed to render: ${(error as Error).message}`, false, 'templates');
  }
}

export function messageHandler(deps: MessageHandlerDeps): OutboxHandler {
  return {
    async deliver(message: ClaimedMessage) {
      const intent = message.payload as MessageIntent;
      const rendered = render(deps, intent);
      // The outbox id doubles as the provider-side idempotency key / Message-ID seed.
      if (intent.channel === 'email') return deps.email.send({ ...(rendered as { subject: string; text: string; html: string }), to: intent.to, messageId: message.id });
      return deps.sms.send({ body: (rendered as { body: string }).body, to: intent.to, messageId: message.id });
    },
  };
}
