/**
 * GETs a small JSON document (an issuer's discovery document or JWKS) under the webhook address
 * policy: the guard checks the URL and its addresses, the connection is pinned to the checked
 * address, no redirects, a deadline, and a size cap.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { EndpointGuard } from './endpoint-guard.js';
import { pinned } from './http-sender.js';

// Discovery documents and key sets are a few KiB; anything far larger is not one.
const MAX_BYTES = 256 * 1024;

export function createGuardedJsonFetch(options: { guard: EndpointGuard; timeoutMs: number; userAgent: string }) {
  return async function getJson(url: string): Promise<unknown> {
    const endpoint = await options.guard.check(url);
    const request = endpoint.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const text = await new Promise<string>((resolve, reject) => {
      const req = request(endpoint.url, { method: 'GET', headers: { accept: 'application/json', 'user-agent': options.userAgent }, lookup: pinned(endpoint), signal: AbortSignal.timeout(options.timeoutMs), agent: false }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`${url} answered ${response.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BYTES) {
            response.destroy();
            reject(new Error(`${url} answered more than ${MAX_BYTES} bytes`));
          } else chunks.push(chunk);
        });
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        response.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    return JSON.parse(text) as unknown;
  };
}
