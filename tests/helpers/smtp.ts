/**
 * A real SMTP server on loopback (smtp-server) that keeps what it receives and can be told to
 * answer the next messages with an SMTP error (4xx: try later, 5xx: rejected).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /** Answer the next `count` messages with this reply code (e.g. 451, 550). */
  failNext(count: number, code: number): void;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let failures: { count: number; code: number } = { count: 0, code: 451 };
  const server = new SMTPServer({
    authOptional: true,
    // No STARTTLS: the self-signed certificate smtp-server would offer is not what these tests are about.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (failures.count > 0) {
          failures.count -= 1;
          const error = Object.assign(new Error(failures.code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: failures.code });
          callback(error);
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    failNext(count, code) {
      failures = { count, code };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Quoted-printable bodies (nodemailer's choice for non-ASCII text) decoded, so links and codes read as sent. */
export function decodeQuotedPrintable(raw: string): string {
  return Buffer.from(raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), 'latin1').toString('utf8');
}

/** Waits for the `count`-th message to `to` (delivery goes through the outbox worker); @returns it decoded. */
export async function waitForMail(smtp: TestSmtp, to: string, count = 1, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mail = smtp.received.filter((m) => m.to.includes(to))[count - 1];
    if (mail) return decodeQuotedPrintable(mail.raw);
    if (Date.now() > deadline) throw new Error(`no mail number ${count} to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
