/**
 * TOTP use cases: enrolment (begin → confirm, domain/totp-enrolment.ts), verification at sign-in
 * (single use per time step, domain/totp-factor.ts) and removal. The secret is sealed at rest,
 * bound to the user id, and leaves this module only once: in the enrolment start, for the QR code.
 */
import { beginEnrolment, confirmEnrolment, isExpired, type EnrolmentError, type EnrolmentState } from '../domain/totp-enrolment.js';
import { TOTP_DRIFT_STEPS, totpFactor, type TotpFailure } from '../domain/totp-factor.js';
import type { AuditTrail } from '../../compliance/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { MfaCredentialStore, QrCodeRenderer, SecretBox, TotpEngine } from '../ports.js';
import { recordFor, type AuditContext } from './mfa-audit.js';

export interface TotpDeps {
  credentials: MfaCredentialStore;
  totp: TotpEngine;
  qr: QrCodeRenderer;
  box: SecretBox;
  audit: AuditTrail;
  clock: Clock;
  /** Shown in authenticator apps next to the account name. */
  issuerName: string;
}

export interface TotpEnrolmentStart {
  /** Base32, for typing into an authenticator app by hand. */
  secret: string;
  otpauthUri: string;
  /** data:image/svg+xml URI of the QR code, for an <img src>. */
  qrCodeDataUri: string;
}

export type TotpCheck = { ok: true } | { ok: false; reason: TotpFailure };

const context = (userId: string) => `totp:${userId}`;

async function stateOf(deps: Pick<TotpDeps, 'credentials'>, userId: string): Promise<EnrolmentState> {
  return (await deps.credentials.findTotp(userId)) ?? { status: 'none' };
}

/**
 * Starts (or restarts) TOTP enrolment with a fresh secret.
 * @param accountName the label in the authenticator app (username or email).
 * @throws AppError conflict when TOTP is already active (remove it first).
 */
export async function beginTotpEnrolment(deps: TotpDeps, userId: string, accountName: string): Promise<TotpEnrolmentStart | { error: 'already_enrolled' }> {
  const secret = deps.totp.generateSecret();
  const step = beginEnrolment(await stateOf(deps, userId), deps.box.seal(secret, context(userId)), deps.clock.now().getTime());
  if (!step.ok || step.state.status !== 'pending') return { error: 'already_enrolled' };
  await deps.credentials.saveTotp(userId, step.state);
  const otpauthUri = deps.totp.keyUri(secret, accountName, deps.issuerName);
  return { secret, otpauthUri, qrCodeDataUri: await deps.qr.dataUri(otpauthUri) };
}

/** The enrolment in progress (same secret and QR code), to show the page again; undefined when none is pending or it expired. */
export async function currentTotpEnrolment(deps: TotpDeps, userId: string, accountName: string): Promise<TotpEnrolmentStart | undefined> {
  const state = await stateOf(deps, userId);
  if (state.status !== 'pending' || isExpired(state, deps.clock.now().getTime())) return undefined;
  const secret = deps.box.open(state.sealedSecret, context(userId));
  const otpauthUri = deps.totp.keyUri(secret, accountName, deps.issuerName);
  return { secret, otpauthUri, qrCodeDataUri: await deps.qr.dataUri(otpauthUri) };
}

/** Confirms a pending enrolment with the first code from the app. */
export async function confirmTotpEnrolment(
  deps: TotpDeps,
  userId: string,
  code: string,
  facts?: AuditContext,
): Promise<{ ok: true } | { ok: false; error: EnrolmentError }> {
  const state = await stateOf(deps, userId);
  const now = deps.clock.now().getTime();
  const matched = state.status === 'pending'
    ? await deps.totp.matchStep(deps.box.open(state.sealedSecret, context(userId)), code, now, TOTP_DRIFT_STEPS)
    : undefined;
  const step = confirmEnrolment(state, matched, now);
  if (step.state.status === 'none') await deps.credentials.deleteTotp(userId);
  else if (step.state !== state) await deps.credentials.saveTotp(userId, step.state);
  const record = recordFor(deps.audit);
  if (!step.ok) {
    await record('auth.mfa.failure', 'failure', userId, facts, { factor: 'totp', stage: 'enrolment', reason: step.error });
    return { ok: false, error: step.error };
  }
  await record('auth.mfa.enrolled', 'success', userId, facts, { factor: 'totp' });
  return { ok: true };
}

/** Checks a code at sign-in; the step it matched can never be used again. */
export async function verifyTotp(deps: Pick<TotpDeps, 'credentials' | 'totp' | 'box' | 'clock'>, userId: string, code: string): Promise<TotpCheck> {
  const record = await deps.credentials.findTotp(userId);
  if (!record) return { ok: false, reason: 'not_active' };
  const matchedStep = record.status === 'active'
    ? await deps.totp.matchStep(deps.box.open(record.sealedSecret, context(userId)), code, deps.clock.now().getTime(), TOTP_DRIFT_STEPS)
    : undefined;
  const result = totpFactor(record).verify({ matchedStep });
  if (!result.ok) return { ok: false, reason: result.reason };
  // The domain said yes against what we read; the store says yes only if no one accepted this step meanwhile.
  return (await deps.credentials.acceptTotpStep(userId, result.next.lastStep!)) ? { ok: true } : { ok: false, reason: 'code_reused' };
}

export async function removeTotp(deps: Pick<TotpDeps, 'credentials' | 'audit'>, userId: string, facts?: AuditContext): Promise<boolean> {
  const removed = await deps.credentials.deleteTotp(userId);
  if (removed) await recordFor(deps.audit)('auth.mfa.removed', 'success', userId, facts, { factor: 'totp' });
  return removed;
}
