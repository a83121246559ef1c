/** Rules between settings that hold in every environment. */
import { problem, type Problem } from '../problems.js';
import type { Env } from '../schema.js';

type Rule = (env: Env) => Problem | undefined;

const rules: Rule[] = [
  (env) => {
    const longestSigned = Math.max(env.ACCESS_TOKEN_TTL, env.CLIENT_CREDENTIALS_TTL, env.ID_TOKEN_TTL);
    return env.KEY_ROTATION_OVERLAP <= longestSigned
      ? problem(
          ['KEY_ROTATION_OVERLAP', 'ACCESS_TOKEN_TTL', 'CLIENT_CREDENTIALS_TTL', 'ID_TOKEN_TTL'],
          `KEY_ROTATION_OVERLAP (${env.KEY_ROTATION_OVERLAP}s) must exceed the longest signed token lifetime (${longestSigned}s), or tokens signed with a retired key stop verifying early`,
        )
      : undefined;
  },
  (env) =>
    env.KEY_ROTATION_OVERLAP <= env.ADMIN_API_TOKEN_TTL
      ? problem(['KEY_ROTATION_OVERLAP', 'ADMIN_API_TOKEN_TTL'], `KEY_ROTATION_OVERLAP (${env.KEY_ROTATION_OVERLAP}s) must exceed ADMIN_API_TOKEN_TTL (${env.ADMIN_API_TOKEN_TTL}s)`)
      : undefined,
  (env) =>
    env.CLIENT_REGISTRATION_ENABLED && !env.CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS
      ? problem(
          ['CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS', 'CLIENT_REGISTRATION_ENABLED'],
          'CLIENT_REGISTRATION_INITIAL_ACCESS_TOKENS is required when CLIENT_REGISTRATION_ENABLED is true: open registration is not offered',
        )
      : undefined,
  (env) =>
    env.ROLES_CLAIM === env.PERMISSIONS_CLAIM
      ? problem(['ROLES_CLAIM', 'PERMISSIONS_CLAIM'], `ROLES_CLAIM and PERMISSIONS_CLAIM must differ (both are ${JSON.stringify(env.ROLES_CLAIM)})`)
      : undefined,
  (env) =>
    env.OUTBOX_RETRY_CAP < env.OUTBOX_RETRY_BASE
      ? problem(['OUTBOX_RETRY_CAP', 'OUTBOX_RETRY_BASE'], 'OUTBOX_RETRY_CAP must not be shorter than OUTBOX_RETRY_BASE')
      : undefined,
  // Node's HTTP server refuses to start otherwise (ERR_OUT_OF_RANGE).
  (env) =>
    env.HTTP_HEADERS_TIMEOUT > env.HTTP_REQUEST_TIMEOUT
      ? problem(
          ['HTTP_HEADERS_TIMEOUT', 'HTTP_REQUEST_TIMEOUT'],
          `HTTP_HEADERS_TIMEOUT (${env.HTTP_HEADERS_TIMEOUT}s) must not exceed HTTP_REQUEST_TIMEOUT (${env.HTTP_REQUEST_TIMEOUT}s)`,
        )
      : undefined,
  // Without the name, the Sentinels cannot say which primary to connect to.
  (env) =>
    env.REDIS_SENTINELS?.length && !env.REDIS_SENTINEL_NAME
      ? problem(['REDIS_SENTINEL_NAME', 'REDIS_SENTINELS'], 'REDIS_SENTINEL_NAME is required when REDIS_SENTINELS is set: the name of the primary the Sentinels monitor')
      : undefined,
  // WebAuthn binds passkeys to the RP ID; a browser refuses one the page's host is not within.
  (env) => {
    if (!env.WEBAUTHN_RP_ID) return undefined;
    const host = URL.parse(env.ISSUER ?? `http://localhost:${env.PORT}`)?.hostname ?? '';
    return host === env.WEBAUTHN_RP_ID || host.endsWith(`.${env.WEBAUTHN_RP_ID}`)
      ? undefined
      : problem(['WEBAUTHN_RP_ID', 'ISSUER'], `WEBAUTHN_RP_ID (${env.WEBAUTHN_RP_ID}) must be the host of ISSUER (${host}) or a suffix of it`);
  },
];

export function crossFieldProblems(env: Env): Problem[] {
  return rules.map((rule) => rule(env)).filter((found) => found !== undefined);
}
