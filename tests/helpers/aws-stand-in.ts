/**
 * Local stand-ins for the two AWS APIs the channels call: SES v2 SendEmail
 * (POST /v2/email/outbound-emails, JSON) and SNS Publish (POST / with Action=Publish, query
 * protocol, XML answer). They check that a SigV4 Authorization header is present and can be told
 * to answer the next requests with an AWS error.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsStandIn {
  url: string;
  emails: Array<Record<string, unknown>>;
  sms: Array<{ phoneNumber: string; message: string; smsType: string | undefined }>;
  failNext(count: number, status: number, code: string): void;
  close(): Promise<void>;
}

export async function startAwsStandIn(): Promise<AwsStandIn> {
  const emails: AwsStandIn['emails'] = [];
  const sms: AwsStandIn['sms'] = [];
  let failures = { count: 0, status: 500, code: 'InternalFailure' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const isSes = req.url?.startsWith('/v2/email/outbound-emails');
      if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
        res.writeHead(403, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ message: 'Missing Authentication Token' }));
      }
      if (failures.count > 0) {
        failures.count -= 1;
        if (isSes) {
          res.writeHead(failures.status, { 'content-type': 'application/json', 'x-amzn-errortype': failures.code });
          return res.end(JSON.stringify({ message: `${failures.code} (stand-in)` }));
        }
        res.writeHead(failures.status, { 'content-type': 'text/xml' });
        return res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${failures.code}</Code><Message>stand-in</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
      }
      const messageId = randomUUID();
      if (isSes) {
        emails.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ MessageId: messageId }));
      }
      const form = new URLSearchParams(body);
      if (form.get('Action') !== 'Publish') {
        res.writeHead(400, { 'content-type': 'text/xml' });
        return res.end('<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>');
      }
      const attributes = new Map<string, string>();
      for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i += 1) attributes.set(form.get(`MessageAttributes.entry.${i}.Name`)!, form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '');
      sms.push({ phoneNumber: form.get('PhoneNumber') ?? '', message: form.get('Message') ?? '', smsType: attributes.get('AWS.SNS.SMS.SMSType') });
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(`<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${messageId}</MessageId></PublishResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    emails,
    sms,
    failNext(count, status, code) {
      failures = { count, status, code };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
