/** High-security settings: defaults, DPoP nonces need their secret, a certificate header needs TRUST_PROXY, no `none` request objects. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loader.js';

const base = { NODE_ENV: 'test', ISSUER: 'https://id.example.com' };
const SECRET = 'a-secret-of-at-least-32-characters-0123456789';

describe('high-security configuration', () => {
  it('defaults: PAR optional, no DPoP nonces, asymmetric request objects, no mTLS, public subjects', () => {
    expect(loadConfig(base).highSecurity).toEqual({
      parRequired: false,
      dpopNonceSecret: undefined,
      requestObjectSigningAlgs: ['PS256', 'ES256', 'EdDSA'],
      mtls: undefined,
      pairwiseSecret: undefined,
    });
  });
  it('DPOP_NONCES needs DPOP_NONCE_SECRET', () => {
    expect(() => loadConfig({ ...base, DPOP_NONCES: 'true' })).toThrow(/DPOP_NONCE_SECRET is required when DPOP_NONCES is true/);
    expect(loadConfig({ ...base, DPOP_NONCES: 'true', DPOP_NONCE_SECRET: SECRET }).highSecurity.dpopNonceSecret).toBe(SECRET);
  });
  it('MTLS_CERTIFICATE_HEADER is believed only behind a trusted proxy', () => {
    expect(() => loadConfig({ ...base, MTLS_CERTIFICATE_HEADER: 'X-Client-Cert' })).toThrow(/MTLS_CERTIFICATE_HEADER needs TRUST_PROXY=true/);
    expect(loadConfig({ ...base, TRUST_PROXY: 'true', MTLS_CERTIFICATE_HEADER: 'X-Client-Cert' }).highSecurity.mtls).toEqual({ certificateHeader: 'x-client-cert', verifiedHeader: 'x-ssl-client-verify' });
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'true', MTLS_CERTIFICATE_HEADER: 'bad header' })).toThrow(/MTLS_CERTIFICATE_HEADER must be an HTTP header name/);
  });
  it('REQUEST_OBJECT_SIGNING_ALGS refuses none and HS256', () => {
    for (const value of ['none', 'ES256,none', 'HS256']) expect(() => loadConfig({ ...base, REQUEST_OBJECT_SIGNING_ALGS: value })).toThrow(/REQUEST_OBJECT_SIGNING_ALGS/);
    expect(loadConfig({ ...base, REQUEST_OBJECT_SIGNING_ALGS: 'ES256' }).highSecurity.requestObjectSigningAlgs).toEqual(['ES256']);
  });
  it('PAIRWISE_SECRET must be long', () => {
    expect(() => loadConfig({ ...base, PAIRWISE_SECRET: 'short' })).toThrow(/PAIRWISE_SECRET must be at least 32 characters/);
  });
});
