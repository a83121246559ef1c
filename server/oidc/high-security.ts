/**
 * What high-security clients need from oidc-provider, configured in one place (see
 * docs/high-security-clients.md): PAR (RFC 9126) for any client and required per client or
 * globally (a request_uri is single-use and lives 60 s, oidc-provider's fixed maximum, or less when
 * a pushed request object says so by its exp); DPoP (RFC 9449) with server nonces by setting, proofs' jti kept in the shared
 * ReplayDetection store; signed request objects (RFC 9101) with an algorithm allow-list, `none`
 * never; JARM and form_post; mTLS client authentication and certificate-bound tokens (RFC 8705)
 * from a certificate the TLS-terminating proxy forwards; the FAPI 2.0 profile per client;
 * pairwise subjects; JWE ID tokens and userinfo, signed userinfo, JWT introspection (RFC 9701).
 * Every URL the provider fetches for a client (jwks_uri, sector_identifier_uri) goes through
 * the guarded fetch it is handed. Features not configured are not advertised in discovery.
 */
import { createHash, createHmac, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export interface HighSecurityOptions {
  parRequired: boolean;
  dpopNonceSecret: string | undefined;
  requestObjectSigningAlgs: string[];
  mtls: { certificateHeader: string; verifiedHeader: string } | undefined;
  pairwiseSecret: string | undefined;
  /** fetch for jwks_uri and sector_identifier_uri, held to the webhook address policy. */
  fetch: (url: string | URL, init?: RequestInit) => Promise<Response>;
}

type Features = NonNullable<Configuration['features']>;
type HighSecurityConfiguration = Pick<Configuration, 'clientAuthMethods' | 'enabledJWA' | 'subjectTypes' | 'pairwiseIdentifier' | 'fetch'> & {
  features: Pick<Features, 'pushedAuthorizationRequests' | 'dPoP' | 'requestObjects' | 'jwtResponseModes' | 'mTLS' | 'fapi' | 'encryption' | 'jwtUserinfo' | 'jwtIntrospection'>;
};

/** FAPI 2.0 Security Profile §5.3.2.1: authorization codes live at most 60 seconds. */
export const FAPI_CODE_TTL_SECONDS = 60;

const BASE_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt', 'none'];
const MTLS_AUTH_METHODS = ['tls_client_auth', 'self_signed_tls_client_auth'];
const ASYMMETRIC = ['PS256', 'ES256', 'EdDSA', 'RS256'];

/** The profile a client is held to: ours is stored as `fapi_profile`, oidc-provider knows it as '2.0'. */
export function fapiProfileOf(client: { metadata(): Record<string, unknown> } | undefined): '2.0' | undefined {
  return client?.metadata().fapi_profile ? '2.0' : undefined;
}

/** The client certificate the proxy forwarded (URL-encoded PEM); undefined when absent or unreadable. */
function certificateFrom(ctx: KoaContextWithOIDC, header: string): X509Certificate | undefined {
  const raw = ctx.get(header);
  if (!raw) return undefined;
  try {
    return new X509Certificate(decodeURIComponent(raw));
  } catch {
    return undefined;
  }
}

/** RFC 4514 order (most specific first) of Node's subject, one attribute a line, least specific first. */
function subjectDn(cert: X509Certificate): string {
  return cert.subject.split('\n').filter(Boolean).reverse().join(',');
}

const normalizeDn = (dn: string) => dn.split(',').map((part) => part.trim()).filter(Boolean).join(',');

/** Entries of the certificate's subjectAltName of one kind (`DNS`, `URI`, `IP Address`, `email`). */
function altNames(cert: X509Certificate, kind: string): string[] {
  return (cert.subjectAltName ?? '').split(', ').filter((entry) => entry.startsWith(`${kind}:`)).map((entry) => entry.slice(kind.length + 1));
}

function subjectMatches(cert: X509Certificate, property: string, expected: string): boolean {
  switch (property) {
    case 'tls_client_auth_subject_dn':
      return normalizeDn(subjectDn(cert)) === normalizeDn(expected);
    case 'tls_client_auth_san_dns':
      return altNames(cert, 'DNS').some((name) => name.toLowerCase() === expected.toLowerCase());
    case 'tls_client_auth_san_uri':
      return altNames(cert, 'URI').includes(expected);
    case 'tls_client_auth_san_ip':
      return isIP(expected) !== 0 && altNames(cert, 'IP Address').includes(expected);
    case 'tls_client_auth_san_email':
      return altNames(cert, 'email').includes(expected);
    default:
      return false;
  }
}

function mtlsFeature(settings: HighSecurityOptions['mtls']): Features['mTLS'] {
  if (!settings) return { enabled: false };
  return {
    enabled: true,
    certificateBoundAccessTokens: true,
    tlsClientAuth: true,
    selfSignedTlsClientAuth: true,
    getCertificate: (ctx) => certificateFrom(ctx, settings.certificateHeader),
    // tls_client_auth: the proxy verified the chain against its CA (nginx $ssl_client_verify).
    certificateAuthorized: (ctx) => ctx.get(settings.verifiedHeader) === 'SUCCESS',
    certificateSubjectMatches(ctx, property, expected) {
      const cert = certificateFrom(ctx, settings.certificateHeader);
      return cert !== undefined && subjectMatches(cert, property, expected);
    },
  };
}

export function highSecurityConfiguration(options: HighSecurityOptions): HighSecurityConfiguration {
  const pairwiseSecret = options.pairwiseSecret;
  return {
    clientAuthMethods: [...BASE_AUTH_METHODS, ...(options.mtls ? MTLS_AUTH_METHODS : [])] as never,
    enabledJWA: {
      requestObjectSigningAlgValues: options.requestObjectSigningAlgs as never,
      clientAuthSigningAlgValues: ['HS256', ...ASYMMETRIC] as never,
      idTokenSigningAlgValues: ASYMMETRIC as never,
      userinfoSigningAlgValues: ASYMMETRIC as never,
      introspectionSigningAlgValues: ASYMMETRIC as never,
      authorizationSigningAlgValues: ASYMMETRIC as never,
      // Key agreement to the client's registered public key only: no shared-secret (A*KW, dir) variants.
      idTokenEncryptionAlgValues: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'] as never,
      userinfoEncryptionAlgValues: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'] as never,
      introspectionEncryptionAlgValues: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'] as never,
      authorizationEncryptionAlgValues: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'] as never,
      requestObjectEncryptionAlgValues: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'] as never,
      dPoPSigningAlgValues: ['ES256', 'EdDSA', 'PS256'] as never,
    },
    subjectTypes: pairwiseSecret ? ['public', 'pairwise'] : ['public'],
    // OIDC Core §8.1: the same user gets a different, stable sub at each sector (host or sector_identifier_uri).
    async pairwiseIdentifier(_ctx, accountId, client) {
      if (!pairwiseSecret) throw new Error('pairwise subjects are not enabled');
      return createHmac('sha256', pairwiseSecret).update(`${client.sectorIdentifier ?? ''}\0${accountId}`).digest('base64url');
    },
    fetch: options.fetch as never,
    features: {
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: options.parRequired, allowUnregisteredRedirectUris: false },
      dPoP: {
        enabled: true,
        // A 32-byte key for oidc-provider's stateless nonces, the same on every process.
        ...(options.dpopNonceSecret ? { nonceSecret: createHash('sha256').update(options.dpopNonceSecret).digest(), requireNonce: () => true } : {}),
        allowReplay: false,
      },
      requestObjects: { enabled: true, requireSignedRequestObject: false },
      jwtResponseModes: { enabled: true },
      mTLS: mtlsFeature(options.mtls),
      fapi: { enabled: true, profile: (_ctx, client) => fapiProfileOf(client) as never },
      encryption: { enabled: true },
      jwtUserinfo: { enabled: true },
      jwtIntrospection: { enabled: true },
    },
  };
}

/** A code TTL that holds FAPI clients to FAPI_CODE_TTL_SECONDS. */
export function codeTtl(base: number): (ctx: KoaContextWithOIDC, code: unknown, client: { metadata(): Record<string, unknown> }) => number {
  return (_ctx, _code, client) => (fapiProfileOf(client) ? Math.min(base, FAPI_CODE_TTL_SECONDS) : base);
}

/**
 * One client, one method (RFC 6749 §2.3.1 lets a server insist): oidc-provider accepts a shared
 * secret by Basic header or in the body for either registered method; this refuses a
 * client_secret_basic client's secret in the body and a client_secret_post client's in the header.
 */
export function holdSecretsToTheirMethod(provider: Provider): void {
  const prototype = provider.Client.prototype as unknown as { clientAuthMethod: string; compareClientSecret(secret: string): Promise<boolean> | boolean };
  const compare = prototype.compareClientSecret;
  prototype.compareClientSecret = function compareClientSecret(secret: string) {
    const ctx = (Provider as unknown as { ctx?: KoaContextWithOIDC }).ctx;
    const byHeader = ctx?.headers.authorization !== undefined;
    if (ctx && (this.clientAuthMethod === 'client_secret_basic') !== byHeader) {
      throw new errors.InvalidClientAuth(`this client authenticates with ${this.clientAuthMethod} only`);
    }
    return compare.call(this, secret);
  };
}
