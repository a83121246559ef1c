/**
 * SMS through Twilio's Messages API with the official SDK. The API base URL is configurable
 * (TWILIO_API_BASE_URL) through the SDK's own extension point, a custom RequestClient, so tests
 * run the production code path against a local stand-in. A 429 or 5xx answer or a network error
 * is worth another attempt; any other 4xx (invalid number, unsubscribed recipient) is not.
 */
import type twilio from 'twilio';
import { DeliveryError, type SmsChannel } from '../../server/modules/notifications/index.js';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** A sender number (E.164) or a Messaging Service SID (MG…). */
  from: string;
  /** Default https://api.twilio.com. */
  apiBaseUrl?: string;
  /** Where Twilio posts delivery status; undefined: no callbacks. */
  statusCallbackUrl?: string;
}

type RequestOptions<TData> = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0] & { data?: TData };

const TWILIO_API = 'https://api.twilio.com';
// Twilio answers in well under a second; 10 s bounds a hung connection well inside the lease.
const TIMEOUT_MS = 10_000;

/**
 * The SDK is imported at first use (the first message, the first status callback), not at start:
 * it costs about 0.3 s of CPU to load, paid only by a server that sends through Twilio.
 */
let sdk: Promise<typeof twilio> | undefined;
const loadTwilio = () => (sdk ??= import('twilio').then((module) => module.default));

/** A request client sending the SDK's requests to another base URL (a regional proxy or a test stand-in). */
function rebasedRequestClient(sdk: typeof twilio, base: string): InstanceType<typeof twilio.RequestClient> {
  class RebasedRequestClient extends sdk.RequestClient {
    override request<TData>(opts: RequestOptions<TData>) {
      const uri = opts.uri.startsWith(TWILIO_API) ? `${base.replace(/\/$/, '')}${opts.uri.slice(TWILIO_API.length)}` : opts.uri;
      return super.request<TData>({ ...opts, uri });
    }
  }
  return new RebasedRequestClient({ timeout: TIMEOUT_MS });
}

function classify(error: unknown): DeliveryError {
  const e = error as { status?: number; code?: number | string; message?: string };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const retryable = status === undefined || status === 429 || status >= 500;
  return new DeliveryError(`twilio${status ? ` ${status}` : ''}${e.code ? ` (code ${e.code})` : ''}: ${e.message ?? 'send failed'}`, retryable, 'twilio', status);
}

export function createTwilioChannel(options: TwilioOptions): SmsChannel {
  let client: Promise<ReturnType<typeof twilio>> | undefined;
  const connect = () =>
    (client ??= loadTwilio().then((sdk) =>
      sdk(options.accountSid, options.authToken, {
        httpClient: options.apiBaseUrl ? rebasedRequestClient(sdk, options.apiBaseUrl) : new sdk.RequestClient({ timeout: TIMEOUT_MS }),
        // Our outbox retries with backoff; the SDK's own retry would multiply attempts inside one lease.
        autoRetry: false,
      }),
    ));
  const sender = options.from.startsWith('MG') ? { messagingServiceSid: options.from } : { from: options.from };
  return {
    provider: 'twilio',
    async send(message) {
      try {
        const sent = await (await connect()).messages.create({
          to: message.to,
          body: message.body,
          ...sender,
          ...(options.statusCallbackUrl ? { statusCallback: options.statusCallbackUrl } : {}),
        });
        return { provider: 'twilio', providerMessageId: sent.sid, responseStatus: 201 };
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

/**
 * Checks X-Twilio-Signature with the SDK's own validator.
 * @param url the public URL Twilio posted to (our issuer + path), not the one the proxy saw.
 */
export async function verifyTwilioSignature(authToken: string, signature: string, url: string, params: Record<string, string>): Promise<boolean> {
  return (await loadTwilio()).validateRequest(authToken, signature, url, params);
}
