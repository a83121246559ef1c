/**
 * Email through Amazon SES v2 (AWS SDK v3). Credentials come from the SDK's default chain
 * (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a web identity, an instance role). Throttling and
 * server faults are worth another attempt; a rejected message is not.
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { DeliveryError, type EmailChannel } from '../../server/modules/notifications/index.js';
import { isRetryableAwsError } from './errors.js';

export interface SesOptions {
  region: string;
  from: string;
  /** Another endpoint (a VPC endpoint, LocalStack); default: the region's. */
  endpoint?: string;
  /** SES configuration set whose event destination feeds the SNS callback. */
  configurationSet?: string;
}

// Bounds one SendEmail call well inside the outbox lease; the SDK's own retries are off (the outbox retries).
const TIMEOUT_MS = 10_000;

/** The SDK is imported at the first message, not at start (loading it costs about 0.3 s of CPU). */
let sdk: Promise<typeof import('@aws-sdk/client-sesv2')> | undefined;
const loadSes = () => (sdk ??= import('@aws-sdk/client-sesv2'));

export function createSesChannel(options: SesOptions): EmailChannel {
  let client: Promise<{ client: SESv2Client; SendEmailCommand: typeof import('@aws-sdk/client-sesv2').SendEmailCommand }> | undefined;
  const connect = () =>
    (client ??= loadSes().then(({ SESv2Client, SendEmailCommand }) => ({
      client: new SESv2Client({ region: options.region, endpoint: options.endpoint, maxAttempts: 1, requestHandler: { requestTimeout: TIMEOUT_MS, connectionTimeout: TIMEOUT_MS } }),
      SendEmailCommand,
    })));
  return {
    provider: 'ses',
    async send(message) {
      try {
        const { client, SendEmailCommand } = await connect();
        const result = await client.send(
          new SendEmailCommand({
            FromEmailAddress: options.from,
            Destination: { ToAddresses: [message.to] },
            ConfigurationSetName: options.configurationSet,
            Content: {
              Simple: {
                Subject: { Data: message.subject, Charset: 'UTF-8' },
                Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
              },
            },
          }),
        );
        return { provider: 'ses', providerMessageId: result.MessageId, responseStatus: result.$metadata.httpStatusCode };
      } catch (error) {
        const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
        throw new DeliveryError(`ses ${e.name ?? 'error'}: ${e.message ?? 'send failed'}`, isRetryableAwsError(error), 'ses', e.$metadata?.httpStatusCode);
      }
    },
  };
}
