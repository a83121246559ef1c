/** What the self-service pages need, wired by server/wiring/http.ts. */
import type { Renderer } from '../server/shared/rendering.js';
import type { MfaService, Passkeys } from '../server/modules/auth/index.js';
import type { SelfServiceServices } from '../server/modules/self-service/index.js';
import type { AccountSessionGateway, InteractionGateway } from '../interactions/gateway.js';
import type { Federation, LinkedIdentities } from '../server/modules/federation/index.js';

export interface SelfServiceOptions {
  /** SIGNUP_ENABLED */
  registration: boolean;
  /** PASSWORD_RECOVERY_ENABLED: /account/recover and /account/reset exist. */
  passwordRecovery: boolean;
  /** EMAIL_VERIFICATION_ENABLED: the email can be verified and changed on /account. */
  emailVerification: boolean;
  /** PHONE_VERIFICATION_ENABLED: a phone number can be added (sign-up, /account) and verified. */
  phoneVerification: boolean;
  passwordMinLength: number;
  /** ACCOUNT_REAUTH_WINDOW (s) */
  reauthWindowSeconds: number;
  /** The built-in first-party client the account pages sign in with. */
  accountClientId: string;
  issuer: string;
}

/** Sign-in providers on /account (account/account-federation.ts). */
export interface AccountFederationDeps {
  /** Absent when no upstream is configured: linked identities can still be listed and unlinked. */
  federation: Federation | undefined;
  linked: LinkedIdentities;
}

export interface SelfServiceDeps {
  renderer: Renderer;
  gateway: InteractionGateway;
  sessions: AccountSessionGateway;
  services: SelfServiceServices;
  options: SelfServiceOptions;
  /** Two-step verification on /account (absent or disabled: the section is hidden). */
  mfa?: MfaService;
  /** Sign-in providers on /account (absent: the section is hidden). */
  federation?: AccountFederationDeps;
  /** Passkeys on /account/passkeys (absent: PASSKEYS_ENABLED=false). */
  passkeys?: Passkeys;
}
