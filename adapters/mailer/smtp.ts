/**
 * Email over SMTP with nodemailer. An SMTP 4xx reply or a connection problem is worth another
 * attempt; a 5xx reply (unknown mailbox, rejected content) is not. Timeouts are short and fixed
 * because the outbox lease (OUTBOX_LEASE) must outlast a whole delivery.
 */
import type { Transporter } from 'nodemailer';
import { DeliveryError, type EmailChannel } from '../../server/modules/notifications/index.js';

export interface SmtpOptions {
  /** smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465. */
  url: string;
  from: string;
  /** Refuse to send over a connection that did not upgrade to TLS (production, unless smtps://). */
  requireTls: boolean;
}

// Connection 10 s, greeting 10 s, idle socket 20 s: together well under the 120 s default lease.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'EAUTH', 'ECONNREFUSED', 'ECONNRESET', 'ESTREAM']);

function classify(error: unknown): DeliveryError {
  const e = error as { responseCode?: number; code?: string; message?: string };
  const reply = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const retryable = reply !== undefined ? reply >= 400 && reply < 500 : TRANSIENT_CODES.has(e.code ?? '') || e.code === undefined;
  return new DeliveryError(`${e.code ?? 'smtp'}${reply ? ` ${reply}` : ''}: ${e.message ?? 'send failed'}`, retryable, 'smtp', reply);
}

export function createSmtpChannel(options: SmtpOptions): EmailChannel & { close(): void } {
  const secure = new URL(options.url).protocol === 'smtps:';
  // nodemailer is imported at the first message, not at start (a server that sends no mail never loads it).
  // One promise, so concurrent first messages share one transport.
  let transport: Transporter | undefined;
  let opening: Promise<Transporter> | undefined;
  const connect = () =>
    (opening ??= import('nodemailer').then(({ default: nodemailer }) => {
      transport = nodemailer.createTransport({ url: options.url, ...TIMEOUTS, requireTLS: options.requireTls && !secure, pool: false } as never);
      return transport;
    }));
  const domain = options.from.replace(/^.*@/, '').replace(/>.*$/, '') || 'localhost';
  return {
    provider: 'smtp',
    async send(message) {
      try {
        const info = await (await connect()).sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          // Stable per outbox message: a retry after an ambiguous failure lets receivers de-duplicate.
          messageId: `<${message.messageId}@${domain}>`,
        });
        return { provider: 'smtp', providerMessageId: info.messageId };
      } catch (error) {
        throw classify(error);
      }
    },
    close: () => transport?.close(),
  };
}
