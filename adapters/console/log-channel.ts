/**
 * Development channels: instead of delivering, print the rendered message to the log so a
 * developer can follow a verification link or read a code: as a readable block with
 * LOG_FORMAT=pretty, else inside the JSON line. In production the features that would send
 * through them are off (config/channels.ts).
 */
import type { EmailChannel, SmsChannel } from '../../server/modules/notifications/index.js';
import type { DevMailbox } from './dev-mailbox.js';

export interface LineLogger {
  info(details: object, message: string): void;
}

/** Writes a readable block (LOG_FORMAT=pretty); absent: the message goes into the JSON log line. */
export type BlockPrinter = (block: string) => void;

const URL_PATTERN = /https?:\/\/[^\s<>"')]+/g;

/**
 * A message as a person reads it in a terminal: a rule with the recipient, the text, and every
 * link again alone on its line, so a terminal can open it and nothing wraps into it.
 */
export function messageBlock(kind: 'email' | 'SMS', to: string, subject: string | undefined, text: string): string {
  const rule = '─'.repeat(60);
  const links = [...new Set(text.match(URL_PATTERN) ?? [])];
  return [
    `┌${rule}`,
    `│ ${kind} to ${to}${subject ? `: ${subject}` : ''}`,
    `├${rule}`,
    ...text.trimEnd().split('\n').map((line) => `│ ${line}`),
    ...(links.length ? [`├${rule}`, ...links.flatMap((link) => ['│', link])] : []),
    `└${rule}`,
    '',
  ].join('\n');
}

/** @param mailbox development: also kept for /dev/mailbox. */
export function createLogEmailChannel(logger: LineLogger, print?: BlockPrinter, mailbox?: DevMailbox): EmailChannel {
  return {
    provider: 'log',
    async send(message) {
      mailbox?.record({ kind: 'email', to: message.to, subject: message.subject, text: message.text });
      if (print) {
        logger.info({ email: { id: message.messageId, to: message.to } }, 'email (printed: no EMAIL_PROVIDER configured)');
        print(messageBlock('email', message.to, message.subject, message.text));
        return { provider: 'log', providerMessageId: message.messageId };
      }
      logger.info({ email: { id: message.messageId, to: message.to, subject: message.subject, text: message.text } }, 'email (printed: no EMAIL_PROVIDER configured)');
      return { provider: 'log', providerMessageId: message.messageId };
    },
  };
}

export function createLogSmsChannel(logger: LineLogger, print?: BlockPrinter, mailbox?: DevMailbox): SmsChannel {
  return {
    provider: 'log',
    async send(message) {
      mailbox?.record({ kind: 'SMS', to: message.to, subject: undefined, text: message.body });
      if (print) {
        logger.info({ sms: { id: message.messageId, to: message.to } }, 'SMS (printed: no SMS_PROVIDER configured)');
        print(messageBlock('SMS', message.to, undefined, message.body));
        return { provider: 'log', providerMessageId: message.messageId };
      }
      logger.info({ sms: { id: message.messageId, to: message.to, body: message.body } }, 'SMS (printed: no SMS_PROVIDER configured)');
      return { provider: 'log', providerMessageId: message.messageId };
    },
  };
}
