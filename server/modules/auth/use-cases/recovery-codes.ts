/**
 * Recovery codes: a new set replaces the old one (all old codes stop working) and is returned
 * once, in clear, to be shown once; only keyed hashes are stored. Using a code consumes it in one
 * conditional update.
 */
import { formatRecoveryCode, looksLikeRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from '../domain/recovery-codes.js';
import type { AuditTrail } from '../../compliance/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { CodeHasher, MfaCredentialStore, RandomBytes } from '../ports.js';
import { recordFor, type AuditContext } from './mfa-audit.js';

export interface RecoveryCodeDeps {
  credentials: MfaCredentialStore;
  hasher: CodeHasher;
  random: RandomBytes;
  audit: AuditTrail;
  clock: Clock;
}

/** @returns the new codes, formatted `XXXXX-XXXXX`: show them once, they cannot be read back. */
export async function generateRecoveryCodes(deps: RecoveryCodeDeps, userId: string, facts?: AuditContext): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => formatRecoveryCode(deps.random(10)));
  const hashes = codes.map((code) => deps.hasher.hash('recovery-code', normalizeRecoveryCode(code)));
  await deps.credentials.saveRecoveryCodes(userId, { hashes, generatedAt: deps.clock.now().getTime() });
  await recordFor(deps.audit)('auth.recovery_codes.generated', 'success', userId, facts, { count: codes.length });
  return codes;
}

export async function useRecoveryCode(deps: RecoveryCodeDeps, userId: string, input: string, facts?: AuditContext): Promise<boolean> {
  const used = looksLikeRecoveryCode(input)
    && (await deps.credentials.consumeRecoveryCode(userId, deps.hasher.hash('recovery-code', normalizeRecoveryCode(input))));
  await recordFor(deps.audit)(used ? 'auth.recovery_code.used' : 'auth.mfa.failure', used ? 'success' : 'failure', userId, facts, { factor: 'recovery_code' });
  return used;
}
