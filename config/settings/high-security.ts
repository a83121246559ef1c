/** High-security clients: PAR, DPoP, request objects, mTLS behind the proxy, pairwise subjects (docs/high-security-clients.md). */
import { z } from 'zod';
import { bool, list } from './kinds.js';
import { optional, setting } from './setting.js';

/** Signing algorithms a request object may use; `none` and shared-secret HMAC are not offered. */
export const REQUEST_OBJECT_ALGS = ['PS256', 'ES256', 'EdDSA', 'RS256'] as const;

const headerName = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name').transform((v) => v.toLowerCase());
const secret32 = z.string().min(32, 'must be at least 32 characters');

export const highSecurity = z.object({
  PAR_REQUIRED: setting(
    bool,
    'false',
    'Every authorization request must be pushed first (RFC 9126); otherwise only clients with require_pushed_authorization_requests must.',
  ),
  DPOP_NONCES: setting(
    bool,
    'false',
    'Require a server-issued DPoP nonce in every DPoP proof (RFC 9449 §8, §9): a proof made in advance is refused with use_dpop_nonce. Needs DPOP_NONCE_SECRET.',
  ),
  DPOP_NONCE_SECRET: optional(
    secret32,
    'Secret the DPoP nonces are derived from; the same on every process (at least 32 characters). Required when DPOP_NONCES is true.',
    { secret: true },
  ),
  REQUEST_OBJECT_SIGNING_ALGS: setting(
    list.pipe(z.array(z.enum(REQUEST_OBJECT_ALGS, { error: `must be a comma-separated list of ${REQUEST_OBJECT_ALGS.join(', ')}` })).min(1)),
    'PS256,ES256,EdDSA',
    'Algorithms a signed request object (RFC 9101) may use; `none` is never accepted.',
  ),
  MTLS_CERTIFICATE_HEADER: optional(
    headerName,
    "Header in which the TLS-terminating proxy forwards the client certificate (PEM, URL-encoded as nginx's $ssl_client_escaped_cert). Enables tls_client_auth, self_signed_tls_client_auth and certificate-bound tokens (RFC 8705). Needs TRUST_PROXY.",
  ),
  MTLS_VERIFIED_HEADER: setting(
    headerName,
    'x-ssl-client-verify',
    "Header in which the proxy says whether it verified the client certificate against its CA (nginx's $ssl_client_verify); tls_client_auth needs SUCCESS.",
  ),
  PAIRWISE_SECRET: optional(
    secret32,
    'Secret pairwise subject identifiers are derived from (at least 32 characters). When set, clients may register subject_type pairwise; changing it changes every pairwise sub.',
    { secret: true },
  ),
});
