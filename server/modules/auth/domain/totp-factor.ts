/**
 * TOTP (RFC 6238) as a factor. The adapter computes which time step a code matches within the
 * drift window; this object decides whether that step may be accepted: a code is single-use,
 * so a step at or before the last accepted one is refused (STYLE.md 16, RFC 6238 §5.2). The
 * storage writes the new last step only if it is still greater than the stored one, so two
 * concurrent uses of one code cannot both succeed.
 */
import type { Factor, FactorSummary } from './factor.js';

/** ±1 step of 30 s: RFC 6238 §5.2's recommended allowance for clock drift and typing time. */
export const TOTP_DRIFT_STEPS = 1;
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;

export interface TotpRecord {
  status: 'pending' | 'active';
  /** Sealed at rest; opened only by the adapter that computes codes. */
  sealedSecret: string;
  /** Last accepted time step (single use), null before the first accepted code. */
  lastStep: number | null;
  /** Epoch ms. */
  createdAt: number;
  activatedAt: number | null;
  /** Failed confirmation attempts while pending. */
  attempts: number;
}

/** The step the adapter found the code to match (undefined: no step in the window matched). */
export interface TotpProof {
  matchedStep: number | undefined;
}

export type TotpFailure = 'invalid_code' | 'code_reused' | 'not_active';

export function totpFactor(record: TotpRecord): Factor<TotpRecord, TotpProof, TotpFailure> {
  return {
    type: 'totp',
    amr: 'otp',
    verify({ matchedStep }) {
      if (record.status !== 'active') return { ok: false, reason: 'not_active' };
      if (matchedStep === undefined) return { ok: false, reason: 'invalid_code' };
      if (record.lastStep !== null && matchedStep <= record.lastStep) return { ok: false, reason: 'code_reused' };
      return { ok: true, next: { ...record, lastStep: matchedStep } };
    },
    serialize: () => ({ ...record }),
    sanitize: (): FactorSummary => ({
      type: 'totp',
      since: record.activatedAt === null ? null : new Date(record.activatedAt).toISOString(),
      detail: null,
    }),
  };
}
