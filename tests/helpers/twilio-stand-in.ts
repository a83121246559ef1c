/**
 * A local stand-in for Twilio's Messages API (POST /2010-04-01/Accounts/{AccountSid}/Messages.json):
 * Basic authentication with the account SID and auth token, a form-encoded body, a 201 JSON
 * message resource with an SM… sid, or Twilio's error JSON. The real SDK talks to it.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TWILIO_SID = `AC${'a1'.repeat(16)}`;
export const TWILIO_TOKEN = 'f'.repeat(32);
export const TWILIO_FROM = '+15005550006';

export interface SentSms {
  sid: string;
  to: string;
  from: string;
  body: string;
  statusCallback: string | undefined;
}

export interface TwilioStandIn {
  url: string;
  sent: SentSms[];
  /** Answer the next `count` requests with this HTTP status and Twilio error code. */
  failNext(count: number, status: number, code?: number): void;
  close(): Promise<void>;
}

export async function startTwilioStandIn(): Promise<TwilioStandIn> {
  const sent: SentSms[] = [];
  let failures = { count: 0, status: 500, code: 20500 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const expected = `Basic ${Buffer.from(`${TWILIO_SID}:${TWILIO_TOKEN}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return reply(401, { code: 20003, message: 'Authenticate', status: 401 });
      if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${TWILIO_SID}/Messages.json`) return reply(404, { code: 20404, message: 'Not found', status: 404 });
      if (failures.count > 0) {
        failures.count -= 1;
        return reply(failures.status, { code: failures.code, message: failures.status >= 500 ? 'Internal Server Error' : "The 'To' number is not a valid phone number.", status: failures.status });
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const message = { sid, to: form.get('To') ?? '', from: form.get('From') ?? '', body: form.get('Body') ?? '', statusCallback: form.get('StatusCallback') ?? undefined };
      sent.push(message);
      reply(201, { sid, account_sid: TWILIO_SID, to: message.to, from: message.from, body: message.body, status: 'queued', direction: 'outbound-api', date_created: new Date().toUTCString(), uri: `/2010-04-01/Accounts/${TWILIO_SID}/Messages/${sid}.json` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sent,
    failNext(count, status, code = status >= 500 ? 20500 : 21211) {
      failures = { count, status, code };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
