/**
 * SMS through Amazon SNS (AWS SDK v3), sent as transactional messages (higher delivery priority
 * than promotional). Credentials come from the SDK's default chain.
 */
import type { SNSClient } from '@aws-sdk/client-sns';
import { DeliveryError, type SmsChannel } from '../../server/modules/notifications/index.js';
import { isRetryableAwsError } from './errors.js';

export interface SnsOptions {
  region: string;
  endpoint?: string;
  /** Alphanumeric sender id, where the destination country supports one. */
  senderId?: string;
}

const TIMEOUT_MS = 10_000;

/** The SDK is imported at the first message, not at start (loading it costs about 0.3 s of CPU). */
let sdk: Promise<typeof import('@aws-sdk/client-sns')> | undefined;
const loadSns = () => (sdk ??= import('@aws-sdk/client-sns'));

export function createSnsChannel(options: SnsOptions): SmsChannel {
  let client: Promise<{ client: SNSClient; PublishCommand: typeof import('@aws-sdk/client-sns').PublishCommand }> | undefined;
  const connect = () =>
    (client ??= loadSns().then(({ SNSClient, PublishCommand }) => ({
      client: new SNSClient({ region: options.region, endpoint: options.endpoint, maxAttempts: 1, requestHandler: { requestTimeout: TIMEOUT_MS, connectionTimeout: TIMEOUT_MS } }),
      PublishCommand,
    })));
  return {
    provider: 'sns',
    async send(message) {
      try {
        const { client, PublishCommand } = await connect();
        const result = await client.send(
          new PublishCommand({
            PhoneNumber: message.to,
            Message: message.body,
            MessageAttributes: {
              'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
              ...(options.senderId ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: options.senderId } } : {}),
            },
          }),
        );
        return { provider: 'sns', providerMessageId: result.MessageId, responseStatus: result.$metadata.httpStatusCode };
      } catch (error) {
        const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
        throw new DeliveryError(`sns ${e.name ?? 'error'}: ${e.message ?? 'publish failed'}`, isRetryableAwsError(error), 'sns', e.$metadata?.httpStatusCode);
      }
    },
  };
}
