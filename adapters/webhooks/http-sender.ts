/**
 * Delivers one signed webhook over HTTP(S) per Standard Webhooks: headers webhook-id,
 * webhook-timestamp and webhook-signature (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`,
 * keyed with the base64 part of the `whsec_` secret). The endpoint is checked by the guard and
 * the connection pinned to the checked address; redirects are not followed; the whole exchange
 * has a deadline; at most a short excerpt of the answer is read.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { DeliveryError, type DeliveryReceipt } from '../../server/modules/notifications/index.js';
import { UnsafeEndpointError, type EndpointGuard, type ResolvedEndpoint } from './endpoint-guard.js';

/** Bytes of an endpoint's answer kept for the delivery log; the rest is discarded unread. */
const MAX_RESPONSE_BYTES = 1024;

export interface SignedWebhook {
  url: string;
  id: string;
  /** Unix seconds of this attempt. */
  timestamp: number;
  body: string;
  secret: string;
}

/** The Standard Webhooks signature header value. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export function pinned(endpoint: ResolvedEndpoint): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: endpoint.address, family: endpoint.family }]);
    else callback(null, endpoint.address, endpoint.family);
  }) as unknown as LookupFunction;
}

export function readExcerpt(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE_BYTES));
    response.on('data', (chunk: Buffer) => {
      chunks.push(chunk.subarray(0, Math.max(0, MAX_RESPONSE_BYTES - size)));
      size += chunk.length;
      if (size >= MAX_RESPONSE_BYTES) {
        response.destroy();
        done();
      }
    });
    response.on('end', done);
    response.on('error', done);
    response.on('close', done);
  });
}

export interface WebhookSender {
  send(webhook: SignedWebhook): Promise<DeliveryReceipt>;
}

export function createWebhookSender(options: { guard: EndpointGuard; timeoutMs: number; userAgent: string }): WebhookSender {
  return {
    async send(webhook) {
      let endpoint: ResolvedEndpoint;
      try {
        endpoint = await options.guard.check(webhook.url);
      } catch (error) {
        // The address policy will not change by waiting; an operator must fix the subscription.
        if (error instanceof UnsafeEndpointError) throw new DeliveryError(`endpoint refused: ${error.message}`, false, 'webhook');
        throw error;
      }
      const request = endpoint.url.protocol === 'https:' ? httpsRequest : httpRequest;
      const headers = {
        'content-type': 'application/json',
        'user-agent': options.userAgent,
        'webhook-id': webhook.id,
        'webhook-timestamp': String(webhook.timestamp),
        'webhook-signature': signWebhook(webhook.secret, webhook.id, webhook.timestamp, webhook.body),
      };
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(endpoint.url, { method: 'POST', headers, lookup: pinned(endpoint), signal: AbortSignal.timeout(options.timeoutMs), agent: false }, (response) => {
          void readExcerpt(response).then(() => resolve(response.statusCode ?? 0));
        });
        req.on('error', (error) => reject(new DeliveryError(error.name === 'AbortError' ? `timed out after ${options.timeoutMs} ms` : `connection failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`, true, 'webhook')));
        req.end(webhook.body);
      });
      if (status >= 200 && status < 300) return { provider: 'webhook', responseStatus: status };
      throw new DeliveryError(status >= 300 && status < 400 ? `answered ${status}: redirects are not followed` : `answered ${status}`, true, 'webhook', status);
    },
  };
}
