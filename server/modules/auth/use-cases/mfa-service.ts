/**
 * The MFA use cases bound to their dependencies: what the container builds once and hands to the
 * sign-in pages (interactions/) and the account pages (/account). Every method that changes a
 * factor takes optional request facts for the audit record.
 */
import type { FactorSummary } from '../domain/factor.js';
import type { MfaDecision } from '../domain/mfa-policy.js';
import type { TrustedDevice } from '../domain/trusted-device.js';
import type { EnrolmentError } from '../domain/totp-enrolment.js';
import type { SmsFailure } from '../domain/sms-challenge.js';
import { listFactors, mfaDecisionFor, type FactorDeps, type SignInMfaInput } from './factors.js';
import type { AuditContext } from './mfa-audit.js';
import { generateRecoveryCodes, useRecoveryCode, type RecoveryCodeDeps } from './recovery-codes.js';
import { sendSmsCode, verifySmsCode, type SmsCodeDeps, type SmsSend } from './sms-codes.js';
import { beginTotpEnrolment, confirmTotpEnrolment, currentTotpEnrolment, removeTotp, verifyTotp, type TotpCheck, type TotpDeps, type TotpEnrolmentStart } from './totp.js';
import { isTrustedDevice, listTrustedDevices, revokeAllTrustedDevices, revokeTrustedDevice, trustDevice, type TrustedDeviceDeps } from './trusted-devices.js';

export type MfaDeps = TotpDeps & RecoveryCodeDeps & SmsCodeDeps & Omit<TrustedDeviceDeps, 'ttlMs'> & FactorDeps & {
  /** The global switch (MFA_ENABLED). */
  enabled: boolean;
  trustedDeviceTtlMs: number;
};

export interface MfaService {
  readonly enabled: boolean;
  listFactors(userId: string): Promise<FactorSummary[]>;
  decide(userId: string, input: Omit<SignInMfaInput, 'enabled'>): Promise<MfaDecision>;
  /** @param accountName shown in the authenticator app (username or email). */
  beginTotpEnrolment(userId: string, accountName: string): Promise<TotpEnrolmentStart | { error: 'already_enrolled' }>;
  /** The pending enrolment's secret and QR code again (after a wrong first code); undefined if none is pending. */
  currentTotpEnrolment(userId: string, accountName: string): Promise<TotpEnrolmentStart | undefined>;
  confirmTotpEnrolment(userId: string, code: string, facts?: AuditContext): Promise<{ ok: true } | { ok: false; error: EnrolmentError }>;
  verifyTotp(userId: string, code: string): Promise<TotpCheck>;
  removeTotp(userId: string, facts?: AuditContext): Promise<boolean>;
  /** Replaces any previous set. @returns the codes in clear: show once. */
  generateRecoveryCodes(userId: string, facts?: AuditContext): Promise<string[]>;
  useRecoveryCode(userId: string, code: string, facts?: AuditContext): Promise<boolean>;
  sendSmsCode(userId: string, locale: string, facts?: AuditContext): Promise<SmsSend>;
  verifySmsCode(userId: string, challengeId: string, code: string): Promise<{ ok: true } | { ok: false; reason: SmsFailure }>;
  trustDevice(userId: string, userAgent: string | undefined, facts?: AuditContext): Promise<TrustedDevice>;
  isTrustedDevice(userId: string, deviceId: string | undefined): Promise<boolean>;
  listTrustedDevices(userId: string): Promise<TrustedDevice[]>;
  revokeTrustedDevice(userId: string, deviceId: string, facts?: AuditContext): Promise<boolean>;
  /** @returns how many devices stopped being trusted. */
  revokeAllTrustedDevices(userId: string, facts?: AuditContext): Promise<number>;
}

export function createMfaService(deps: MfaDeps): MfaService {
  const devices: TrustedDeviceDeps = { ...deps, ttlMs: deps.trustedDeviceTtlMs };
  return {
    enabled: deps.enabled,
    listFactors: (userId) => listFactors(deps, userId),
    decide: (userId, input) => mfaDecisionFor(deps, userId, { ...input, enabled: deps.enabled }),
    beginTotpEnrolment: (userId, accountName) => beginTotpEnrolment(deps, userId, accountName),
    currentTotpEnrolment: (userId, accountName) => currentTotpEnrolment(deps, userId, accountName),
    confirmTotpEnrolment: (userId, code, facts) => confirmTotpEnrolment(deps, userId, code, facts),
    verifyTotp: (userId, code) => verifyTotp(deps, userId, code),
    removeTotp: (userId, facts) => removeTotp(deps, userId, facts),
    generateRecoveryCodes: (userId, facts) => generateRecoveryCodes(deps, userId, facts),
    useRecoveryCode: (userId, code, facts) => useRecoveryCode(deps, userId, code, facts),
    // SMS codes off (MFA_SMS_ENABLED): as for an account without a verified phone.
    sendSmsCode: async (userId, locale, facts) => (deps.smsEnabled === false ? { ok: false, reason: 'no_verified_phone' } : sendSmsCode(deps, userId, locale, facts)),
    verifySmsCode: (userId, challengeId, code) => verifySmsCode(deps, userId, challengeId, code),
    trustDevice: (userId, userAgent, facts) => trustDevice(devices, userId, userAgent, facts),
    isTrustedDevice: (userId, deviceId) => isTrustedDevice(devices, userId, deviceId),
    listTrustedDevices: (userId) => listTrustedDevices(devices, userId),
    revokeTrustedDevice: (userId, deviceId, facts) => revokeTrustedDevice(devices, userId, deviceId, facts),
    revokeAllTrustedDevices: (userId, facts) => revokeAllTrustedDevices(devices, userId, facts),
  };
}
