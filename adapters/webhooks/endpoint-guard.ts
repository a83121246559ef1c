/**
 * Checks a webhook URL before a subscription is saved and again before every delivery: the
 * scheme, no credentials in the URL, and every address its host resolves to (DNS can change
 * between the two). Delivery then connects to the address that was checked, never resolving
 * again, so a rebinding DNS answer cannot slip a private address in between.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { allowList, refusalReason } from './address-policy.js';

export class UnsafeEndpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeEndpointError';
  }
}

export interface ResolvedEndpoint {
  url: URL;
  /** The checked address delivery must connect to. */
  address: string;
  family: 4 | 6;
}

export interface EndpointGuardOptions {
  allowedNetworks: readonly string[];
  /** Only https endpoints (production). */
  requireHttps: boolean;
  /** Injectable for tests; default: the system resolver. */
  resolve?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
}

export interface EndpointGuard {
  /** @throws UnsafeEndpointError saying why (the message names no resolved address). */
  check(rawUrl: string): Promise<ResolvedEndpoint>;
}

export function createEndpointGuard(options: EndpointGuardOptions): EndpointGuard {
  const allowed = allowList(options.allowedNetworks);
  const resolve = options.resolve ?? ((hostname: string) => dnsLookup(hostname, { all: true, verbatim: true }));
  return {
    async check(rawUrl) {
      let url: URL;
      try {
        url = new URL(rawUrl);
      } catch {
        throw new UnsafeEndpointError('the URL is not valid');
      }
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !options.requireHttps)) {
        throw new UnsafeEndpointError(options.requireHttps ? 'the URL must use https' : 'the URL must use http or https');
      }
      if (url.username || url.password) throw new UnsafeEndpointError('the URL must not contain credentials');
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
      let addresses: Array<{ address: string; family: number }>;
      if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
      else {
        try {
          addresses = await resolve(host);
        } catch {
          throw new UnsafeEndpointError('the host name does not resolve');
        }
      }
      if (addresses.length === 0) throw new UnsafeEndpointError('the host name does not resolve');
      // Every address must pass: a client library may pick any of them.
      for (const { address } of addresses) {
        const reason = refusalReason(address);
        if (reason && !allowed(address)) throw new UnsafeEndpointError(`the host resolves to a ${reason} address, which webhooks may not reach`);
      }
      const first = addresses[0]!;
      return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
    },
  };
}
