/**
 * POSTs an application/x-www-form-urlencoded body to a client's endpoint (back-channel logout,
 * OIDC Back-Channel Logout 1.0 §2.5) under the same rules as webhooks: the endpoint guard checks
 * the URL and every address it resolves to, the connection is pinned to the checked address,
 * redirects are not followed, the exchange has a deadline, and only an excerpt of the answer is
 * read. §2.8: 200 (or 204) means received; anything else is retried by the outbox.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DeliveryError } from '../../server/modules/notifications/index.js';
import type { LogoutPoster } from '../../server/modules/logout/index.js';
import { UnsafeEndpointError, type EndpointGuard, type ResolvedEndpoint } from './endpoint-guard.js';
import { pinned, readExcerpt } from './http-sender.js';

const PROVIDER = 'backchannel';

export function createFormPoster(options: { guard: EndpointGuard; timeoutMs: number; userAgent: string }): LogoutPoster {
  return {
    async post(url, form) {
      let endpoint: ResolvedEndpoint;
      try {
        endpoint = await options.guard.check(url);
      } catch (error) {
        // The address policy will not change by waiting; an operator must fix the client.
        if (error instanceof UnsafeEndpointError) throw new DeliveryError(`endpoint refused: ${error.message}`, false, PROVIDER);
        throw error;
      }
      const body = new URLSearchParams(form).toString();
      const request = endpoint.url.protocol === 'https:' ? httpsRequest : httpRequest;
      const headers = { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': options.userAgent, 'cache-control': 'no-store' };
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(endpoint.url, { method: 'POST', headers, lookup: pinned(endpoint), signal: AbortSignal.timeout(options.timeoutMs), agent: false }, (response) => {
          void readExcerpt(response).then(() => resolve(response.statusCode ?? 0));
        });
        req.on('error', (error) => reject(new DeliveryError(error.name === 'AbortError' ? `timed out after ${options.timeoutMs} ms` : `connection failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`, true, PROVIDER)));
        req.end(body);
      });
      if (status === 200 || status === 204) return { provider: PROVIDER, responseStatus: status };
      throw new DeliveryError(status >= 300 && status < 400 ? `answered ${status}: redirects are not followed` : `answered ${status}`, true, PROVIDER, status);
    },
  };
}
