/**
 * High-security client settings from the parsed environment, with the rules between them: DPoP
 * nonces need their secret, and a client certificate header is believed only from a trusted proxy.
 */
import { problem, type Problem } from './problems.js';
import type { Env } from './schema.js';

export interface HighSecuritySettings {
  parRequired: boolean;
  /** Undefined: DPoP proofs need no server nonce. */
  dpopNonceSecret: string | undefined;
  requestObjectSigningAlgs: string[];
  /** Undefined: mTLS is off. Lower-case header names. */
  mtls: { certificateHeader: string; verifiedHeader: string } | undefined;
  /** Undefined: only public subject identifiers. */
  pairwiseSecret: string | undefined;
}

export function readHighSecuritySettings(env: Env): { settings: HighSecuritySettings; problems: Problem[] } {
  const problems: Problem[] = [];
  if (env.DPOP_NONCES && !env.DPOP_NONCE_SECRET) {
    problems.push(problem(['DPOP_NONCE_SECRET', 'DPOP_NONCES'], 'DPOP_NONCE_SECRET is required when DPOP_NONCES is true: every process must derive the same nonces'));
  }
  if (env.MTLS_CERTIFICATE_HEADER && !env.TRUST_PROXY) {
    problems.push(problem(['MTLS_CERTIFICATE_HEADER', 'TRUST_PROXY'], 'MTLS_CERTIFICATE_HEADER needs TRUST_PROXY=true: a client certificate header is trusted only from the TLS-terminating proxy'));
  }
  return {
    problems,
    settings: {
      parRequired: env.PAR_REQUIRED,
      dpopNonceSecret: env.DPOP_NONCES ? env.DPOP_NONCE_SECRET : undefined,
      requestObjectSigningAlgs: env.REQUEST_OBJECT_SIGNING_ALGS,
      mtls: env.MTLS_CERTIFICATE_HEADER ? { certificateHeader: env.MTLS_CERTIFICATE_HEADER, verifiedHeader: env.MTLS_VERIFIED_HEADER } : undefined,
      pairwiseSecret: env.PAIRWISE_SECRET,
    },
  };
}
