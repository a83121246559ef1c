/**
 * A `fetch` for the URLs the provider itself dereferences for a client — `jwks_uri` (private_key_jwt,
 * request objects, encryption keys) and `sector_identifier_uri` — held to the webhook address
 * policy: the URL is checked by the endpoint guard and the connection pinned to the checked
 * address, so a client cannot make the provider call into our own network (SSRF), not even
 * through a rebinding DNS answer. Redirects are not followed; the answer is capped in size.
 * createGuardedJsonFetch does the same for the small JSON documents token exchange reads (a
 * trusted issuer's discovery document and JWKS).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { EndpointGuard, ResolvedEndpoint } from './endpoint-guard.js';
import { pinned } from './http-sender.js';

/** A key set or sector document is a few KiB; anything much larger is refused rather than buffered. */
const MAX_BODY_BYTES = 256 * 1024;

export type GuardedFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

function headersOf(init: RequestInit | undefined): Record<string, string> {
  return Object.fromEntries(new Headers(init?.headers).entries());
}

/** @throws TypeError (as fetch does) when the guard refuses the URL, the connection fails or the answer is too large. */
export function createGuardedFetch(guard: EndpointGuard): GuardedFetch {
  return async (url, init) => {
    let endpoint: ResolvedEndpoint;
    try {
      endpoint = await guard.check(String(url));
    } catch (error) {
      throw new TypeError(`fetch refused: ${error instanceof Error ? error.message : 'unsafe URL'}`);
    }
    const request = endpoint.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const body = typeof init?.body === 'string' ? init.body : init?.body instanceof URLSearchParams ? init.body.toString() : undefined;
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        endpoint.url,
        { method: init?.method ?? 'GET', headers: headersOf(init), lookup: pinned(endpoint), agent: false, ...(init?.signal ? { signal: init.signal } : {}) },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              response.destroy();
              reject(new TypeError('fetch refused: the response is too large'));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', (error) => reject(new TypeError(`fetch failed: ${error.message}`)));
          response.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              if (typeof value === 'string') headers.set(name, value);
              else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
            }
            const status = response.statusCode ?? 502;
            const nullBody = status === 204 || status === 304;
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers }));
          });
        },
      );
      req.on('error', (error) => reject(new TypeError(`fetch failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`)));
      req.end(body);
    });
  };
}

/** GETs a JSON document through createGuardedFetch, with a deadline; anything but 200 is an error. */
export function createGuardedJsonFetch(options: { guard: EndpointGuard; timeoutMs: number; userAgent: string }) {
  const guardedFetch = createGuardedFetch(options.guard);
  return async function getJson(url: string): Promise<unknown> {
    const response = await guardedFetch(url, { headers: { accept: 'application/json', 'user-agent': options.userAgent }, signal: AbortSignal.timeout(options.timeoutMs) });
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    return JSON.parse(await response.text()) as unknown;
  };
}
