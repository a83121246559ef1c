/**
 * Which stored password hash formats we accept, recognised by shape alone (pure: no crypto).
 * Accounts imported from other systems keep their hashes until their next successful sign-in,
 * when they are rehashed to argon2id with the current parameters.
 *
 * - argon2id / argon2i: the PHC string the reference implementation writes,
 *   `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`.
 * - bcrypt: `$2a$`, `$2b$` or `$2y$`, a two-digit cost 4-31, 53 characters of bcrypt base64.
 * - scrypt, in the PHC style Passlib and others use: `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>`,
 *   salt and hash in standard base64 without padding (PHC "B64"); N = 2^ln.
 */

export type PasswordHashFormat = 'argon2id' | 'argon2i' | 'bcrypt' | 'scrypt';

export interface ScryptParameters {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

const B64 = '[A-Za-z0-9+/]+';
const ARGON2 = new RegExp(`^\\$(argon2id|argon2i)\\$v=(16|19)\\$m=(\\d{1,7}),t=(\\d{1,4}),p=(\\d{1,3})\\$${B64}\\$${B64}$`);
const BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;
const SCRYPT = new RegExp(`^\\$scrypt\\$ln=(\\d{1,2}),r=(\\d{1,3}),p=(\\d{1,3})\\$(${B64})\\$(${B64})$`);

/**
 * Upper bounds on imported scrypt parameters: verification runs at sign-in, so a hostile import
 * must not make one login cost seconds or gigabytes. ln 20 with r 8 is 1 GiB; common exports use
 * ln 14-17.
 */
export const SCRYPT_LIMITS = { ln: 20, r: 32, p: 16, memoryBytes: 1024 * 1024 * 1024 } as const;

/** The scrypt memory need, 128·N·r bytes, plus slack for Node's own bookkeeping. */
export const scryptMemory = (params: Pick<ScryptParameters, 'ln' | 'r'>): number => 128 * 2 ** params.ln * params.r + 1024 * 1024;

/** @returns the scrypt parameters, or undefined when `hash` is not a well-formed, bounded scrypt string. */
export function parseScrypt(hash: string): ScryptParameters | undefined {
  const match = SCRYPT.exec(hash);
  if (!match) return undefined;
  const [ln, r, p] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  if (ln < 1 || ln > SCRYPT_LIMITS.ln || r < 1 || r > SCRYPT_LIMITS.r || p < 1 || p > SCRYPT_LIMITS.p) return undefined;
  if (scryptMemory({ ln, r }) > SCRYPT_LIMITS.memoryBytes + 1024 * 1024) return undefined;
  const salt = Buffer.from(match[4]!, 'base64');
  const digest = Buffer.from(match[5]!, 'base64');
  // Shorter digests would make guessing cheap; longer ones are pointless and cost memory.
  if (salt.length < 8 || digest.length < 16 || digest.length > 128) return undefined;
  return { ln, r, p, salt, hash: digest };
}

/** @returns the format of a stored hash, or undefined when it is none we can verify. */
export function passwordHashFormat(hash: string): PasswordHashFormat | undefined {
  const argon2 = ARGON2.exec(hash);
  if (argon2) return argon2[1] as 'argon2id' | 'argon2i';
  if (BCRYPT.test(hash)) return 'bcrypt';
  if (parseScrypt(hash)) return 'scrypt';
  return undefined;
}

/** For messages: what an importer may give. */
export const PASSWORD_HASH_FORMATS_HELP = 'argon2id or argon2i PHC string, bcrypt ($2a$, $2b$, $2y$), or $scrypt$ln=..,r=..,p=..$<salt>$<hash>';
