/**
 * Development channels: instead of delivering, print the rendered message to the log so a
 * developer can follow a verification link or read a code. Never selected in production (the
 * configuration refuses to start without a real channel there).
 */
import type { EmailChannel, SmsChannel } from '../../server/modules/notifications/index.js';

export interface LineLogger {
  info(details: object, message: string): void;
}

export function createLogEmailChannel(logger: LineLogger): EmailChannel {
  return {
    provider: 'log',
    async send(message) {
      logger.info({ email: { id: message.messageId, to: message.to, subject: message.subject, text: message.text } }, 'email (printed: no EMAIL_PROVIDER configured)');
      return { provider: 'log', providerMessageId: message.messageId };
    },
  };
}

export function createLogSmsChannel(logger: LineLogger): SmsChannel {
  return {
    provider: 'log',
    async send(message) {
      logger.info({ sms: { id: message.messageId, to: message.to, body: message.body } }, 'SMS (printed: no SMS_PROVIDER configured)');
      return { provider: 'log', providerMessageId: message.messageId };
    },
  };
}
