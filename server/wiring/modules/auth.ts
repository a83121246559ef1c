/**
 * Sign-in: password checks, the login throttle and lockout, second factors and enrolment, and
 * upstream identity providers (federation). The pages in interactions/ receive these.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../../config/loader.js';
import { otplibTotpEngine } from '../../../adapters/totp/otplib-engine.js';
import { svgQrCodes } from '../../../adapters/totp/qr-code.js';
import { createOpenIdUpstream } from '../../../adapters/upstream-oidc/openid-client.js';
import { simpleWebAuthn } from '../../../adapters/webauthn/simplewebauthn.js';
import { loadPasswordBlocklist } from '../../../adapters/wordlists/common-passwords.js';
import { authenticatePassword, createMfaService, createPasskeys, createSignInFlow, lockout, loginThrottle, type LockoutSchedules } from '../../modules/auth/index.js';
import type { AuditTrail } from '../../modules/compliance/index.js';
import { createFederation, createLinkedIdentities } from '../../modules/federation/index.js';
import type { Notifier } from '../../modules/notifications/index.js';
import { changePassword, type PasswordPolicy } from '../../modules/users/index.js';
import { systemClock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import type { Stores } from '../stores.js';

export function buildAuth(deps: {
  config: Config;
  stores: Pick<Stores, 'users' | 'credentials' | 'hasher' | 'mfa' | 'sealer' | 'federation' | 'signInFlows' | 'limiter' | 'backoff' | 'passkeys'>;
  audit: AuditTrail;
  notifier: Notifier;
  lockoutSchedules?: LockoutSchedules | undefined;
}) {
  const { config, stores, audit } = deps;
  const { users, credentials, hasher } = stores;
  const { loginFailures } = config;
  // NIST SP 800-63B policy with the shipped blocklist, for every password a person chooses.
  const passwordPolicy: PasswordPolicy = { minLength: config.selfService.passwordMinLength, blocklist: loadPasswordBlocklist() };
  const passkeys = config.passkeys.enabled
    ? createPasskeys({
        passkeys: stores.passkeys.credentials,
        challenges: stores.passkeys.challenges,
        webauthn: simpleWebAuthn,
        rp: { id: config.passkeys.rpId, name: config.brandName, origins: config.passkeys.origins },
        aaguidAllowList: config.passkeys.aaguidAllowList,
        signInMethods: async (userId) => {
          const [password, identities] = await Promise.all([credentials.findPassword(userId), stores.federation.identities.listForUser(userId)]);
          return { hasPassword: !!password, linkedIdentities: identities.length };
        },
        random: (length) => randomBytes(length),
        newId,
        clock: systemClock,
        audit,
      })
    : undefined;
  const mfa = createMfaService({
    enabled: config.mfa.enabled,
    passkeys: passkeys ? stores.passkeys.credentials : undefined,
    smsEnabled: config.features.smsCodes,
    credentials: stores.mfa.credentials,
    sms: stores.mfa.sms,
    devices: stores.mfa.devices,
    users,
    totp: otplibTotpEngine,
    qr: svgQrCodes,
    box: stores.sealer,
    hasher: stores.mfa.codes,
    random: (length) => randomBytes(length),
    notifier: deps.notifier,
    audit,
    clock: systemClock,
    newId,
    issuerName: config.mfa.totpIssuer,
    trustedDeviceTtlMs: config.mfa.trustedDeviceTtlSeconds * 1000,
    resendIntervalMs: config.mfa.smsResendIntervalSeconds * 1000,
  });
  // LOGIN_FAILURE_IP_FACTOR accounts' worth per address: a shared office NAT still signs in; a spray across accounts does not.
  const perIpPoints = loginFailures.points * loginFailures.perIpFactor;
  const federation = config.federation.providers.length
    ? createFederation({
        providers: config.federation.providers.map(({ id, name, brand }) => ({ id, name, brand })),
        upstream: createOpenIdUpstream({ providers: config.federation.providers, redirectUri: `${config.issuer}/federation/callback`, allowHttpIssuers: config.federation.allowHttpIssuers }),
        identities: stores.federation.identities,
        requests: stores.federation.requests,
        users,
        credentials,
        hasher,
        audit,
        clock: systemClock,
        policy: config.federation,
        requestTtlSeconds: config.ttl.interaction,
        // As generous as the password form's per-IP budget.
        startsPerIp: stores.limiter('federation-start', perIpPoints, loginFailures.windowSeconds),
      })
    : undefined;
  const authenticate = (login: string, password: string) => authenticatePassword({ users, credentials, hasher }, login, password);
  const username = async (accountId: string) => (await users.findById(accountId))?.username;
  // A failure series is remembered for LOCKOUT_WINDOW after its first failure.
  const signInLockout = lockout({ store: stores.backoff(loginFailures.lockoutWindowSeconds), audit }, deps.lockoutSchedules);
  return {
    passwordPolicy,
    mfa,
    authenticate,
    username,
    /** The sign-in flow the interaction pages call; its pending state lives in sign_in_flows for at most INTERACTION_TTL. */
    signIn: createSignInFlow({
      flows: stores.signInFlows,
      authenticate,
      changePassword: (userId, password) => changePassword({ users, credentials, hasher, policy: passwordPolicy }, userId, password),
      username,
      throttle: loginThrottle({
        perAccountAndIp: stores.limiter('login-account', loginFailures.points, loginFailures.windowSeconds),
        perIp: stores.limiter('login-ip', perIpPoints, loginFailures.windowSeconds),
      }),
      lockout: signInLockout,
      mfa,
      audit,
      clock: systemClock,
      ttlMs: config.ttl.interaction * 1000,
      passkeys,
      isActive: async (userId) => (await users.findById(userId))?.disabled === false,
    }),
    /** Absent when PASSKEYS_ENABLED=false. */
    passkeys,
    /** Whether the user answered "not now" to the passkey offer after a password sign-in (asked once). */
    passkeyOffer: { declined: (userId: string) => stores.passkeys.credentials.offerDeclined(userId), decline: (userId: string) => stores.passkeys.credentials.declineOffer(userId, Date.now()) },
    lockout: signInLockout,
    /** Absent when no upstream provider is configured. */
    federation,
    /** Upstream identities linked to users; listed and unlinked on /account even without federation. */
    linkedIdentities: createLinkedIdentities({ identities: stores.federation.identities, credentials, audit }),
  } as const;
}

export type Auth = ReturnType<typeof buildAuth>;
