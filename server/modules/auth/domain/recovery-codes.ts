/**
 * Recovery codes: RECOVERY_CODE_COUNT single-use codes, shown once, stored only as keyed hashes.
 * Using one removes its hash; the storage removes it with one conditional update, so a code
 * used twice at the same moment works once. Codes are typed by hand, so the format avoids
 * look-alike characters and ignores case, spaces and dashes.
 */
import type { Factor, FactorSummary } from './factor.js';

export const RECOVERY_CODE_COUNT = 10;
// Crockford-style alphabet without I, L, O, U: 32 symbols, 10 of them = 50 bits per code, far
// beyond guessing within the login rate limits, and enough to hash with a fast keyed hash.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 10;

export interface RecoveryCodesRecord {
  /** Keyed hashes of the codes not used yet. */
  hashes: string[];
  /** Epoch ms. */
  generatedAt: number;
}

export type RecoveryFailure = 'invalid_code';

/**
 * Turns random bytes into a code `XXXXX-XXXXX`.
 * @param bytes at least CODE_LENGTH random bytes (each byte's low 5 bits pick a symbol).
 */
export function formatRecoveryCode(bytes: Uint8Array): string {
  if (bytes.length < CODE_LENGTH) throw new Error(`need ${CODE_LENGTH} random bytes`);
  const symbols = Array.from(bytes.subarray(0, CODE_LENGTH), (b) => ALPHABET[b & 31]).join('');
  return `${symbols.slice(0, 5)}-${symbols.slice(5)}`;
}

/** The canonical form that is hashed: upper case, no separators, look-alikes mapped (O→0, I/L→1). */
export function normalizeRecoveryCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

export function looksLikeRecoveryCode(input: string): boolean {
  const code = normalizeRecoveryCode(input);
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c));
}

export function recoveryCodesFactor(record: RecoveryCodesRecord): Factor<RecoveryCodesRecord, { hash: string }, RecoveryFailure> {
  return {
    type: 'recovery_codes',
    // RFC 8176 has no value for recovery codes; they are one-time passwords.
    amr: 'otp',
    verify({ hash }) {
      if (!record.hashes.includes(hash)) return { ok: false, reason: 'invalid_code' };
      return { ok: true, next: { ...record, hashes: record.hashes.filter((h) => h !== hash) } };
    },
    serialize: () => ({ ...record, hashes: [...record.hashes] }),
    sanitize: (): FactorSummary => ({
      type: 'recovery_codes',
      since: new Date(record.generatedAt).toISOString(),
      detail: String(record.hashes.length),
    }),
  };
}
