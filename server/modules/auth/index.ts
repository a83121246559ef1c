/** The auth module's public face: the ways a person proves who they are. */
export { authenticatePassword, type AuthenticatePasswordDeps, type PasswordAuthResult } from './use-cases/authenticate-password.js';
export { loginThrottle, type LoginThrottle, type LoginThrottleDeps } from './use-cases/login-throttle.js';
// Multi-factor authentication: factors, enrolment, policy and lockout.
export { createMfaService, type MfaService, type MfaDeps } from './use-cases/mfa-service.js';
export type { TotpEnrolmentStart, TotpCheck } from './use-cases/totp.js';
export type { SmsSend } from './use-cases/sms-codes.js';
export type { AuditContext } from './use-cases/mfa-audit.js';
export { DEFAULT_LOCKOUT_SCHEDULES, lockout, type Lockout, type LockoutDeps, type LockoutSchedules } from './use-cases/lockout.js';
export type { FactorSummary, FactorType } from './domain/factor.js';
export type { TotpRecord } from './domain/totp-factor.js';
export { TOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_DRIFT_STEPS } from './domain/totp-factor.js';
export type { EnrolmentError } from './domain/totp-enrolment.js';
export type { RecoveryCodesRecord } from './domain/recovery-codes.js';
export { RECOVERY_CODE_COUNT } from './domain/recovery-codes.js';
export type { SmsChallenge, SmsFailure } from './domain/sms-challenge.js';
export { SMS_CODE_TTL_MS } from './domain/sms-challenge.js';
export type { TrustedDevice } from './domain/trusted-device.js';
export { decideMfa, sessionNeedsStepUp, CLIENT_MFA_POLICIES, type ClientMfaPolicy, type MfaDecision, type MfaReason } from './domain/mfa-policy.js';
export { ACR_MFA, ACR_PASSWORD, ACR_PHISHING_RESISTANT, ACR_VALUES, acrLevel, requestedLevel, requestsPasskey, authenticationContext, requestsMfa, type AmrValue, type AuthenticationContext } from './domain/authentication-context.js';
export type { BackoffStore, CodeHasher, MfaCredentialStore, QrCodeRenderer, RandomBytes, SecretBox, SmsChallengeStore, TotpEngine, TrustedDeviceStore } from './ports.js';
// Sign-in as a flow (domain/sign-in-flow.ts): what the interaction pages call.
export { createSignInFlow, type SignInFlow, type SignInFlowDeps, type SignInOutcome, type SignInRequest, type SignInError, type ChallengeView } from './use-cases/sign-in.js';
export type { SignInState, SignInStep } from './domain/sign-in-flow.js';
export { CHALLENGE_METHODS, type ChallengeMethod } from './domain/factor.js';
export type { SignInFlowStore } from './ports.js';
// Passkeys (WebAuthn): ceremonies, the credential records and their rules.
export { createPasskeys, CHALLENGE_TTL_MS, type Passkeys, type PasskeyDeps, type PasskeyView, type PasskeyAssertion, type AssertionRefusal, type RegistrationFailure } from './use-cases/passkeys.js';
export { acceptAssertion, mayRemovePasskey, passkeyAmr, aaguidAllowed, PASSKEY_NAME_MAX, type Passkey, type VerifiedAssertion } from './domain/passkey.js';
export { authenticatorName } from './domain/aaguids.js';
export type { PasskeyStore, WebAuthnChallengeStore, WebAuthnChallenge, WebAuthnVerifier, RelyingParty } from './ports.js';
