/**
 * Password hashing: argon2id (OWASP Password Storage Cheat Sheet parameters by default) for every
 * new hash. Verification also accepts the formats accounts are imported with (argon2i, bcrypt,
 * scrypt; see users/domain/password-hash-format.ts), and `needsRehash` is true for any of them
 * and for argon2id made with other parameters, so sign-in upgrades the hash after a success.
 * An unrecognised or malformed stored hash verifies as false after the same work as a real
 * check: a wrong password, never a server error, never a timing tell.
 */
import argon2 from 'argon2';
import { inSpan } from '../../server/shared/tracing.js';
import bcrypt from 'bcryptjs';
import { scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { parseScrypt, passwordHashFormat, scryptMemory } from '../../server/modules/users/index.js';

export interface Argon2Parameters {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  needsRehash(hash: string): boolean;
  /** Spends the same time as a real verification; used when the account does not exist. */
  verifyAgainstDummy(password: string): Promise<false>;
}

function scrypt(password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));
}

async function verifyScrypt(hash: string, password: string): Promise<boolean> {
  const params = parseScrypt(hash);
  if (!params) return false;
  const derived = await scrypt(password, params.salt, params.hash.length, { N: 2 ** params.ln, r: params.r, p: params.p, maxmem: scryptMemory(params) });
  return timingSafeEqual(derived, params.hash);
}

export function createArgon2Hasher(params: Argon2Parameters): PasswordHasher {
  const options = { type: argon2.argon2id as 2, ...params };
  let dummy: Promise<string> | undefined;
  const verifyDummy = async (password: string): Promise<false> => {
    dummy ??= argon2.hash('dummy-password-for-timing-equalisation', options);
    const stored = await dummy;
    await inSpan('argon2.verify', () => argon2.verify(stored, password));
    return false;
  };
  return {
    hash: (password) => inSpan('argon2.hash', () => argon2.hash(password, options)),
    async verify(hash, password) {
      const format = passwordHashFormat(hash);
      try {
        switch (format) {
          case 'argon2id':
          case 'argon2i':
            return await inSpan('argon2.verify', () => argon2.verify(hash, password));
          // bcryptjs compares the digests without an early exit.
          case 'bcrypt':
            return await bcrypt.compare(password, hash);
          case 'scrypt':
            return await verifyScrypt(hash, password);
          default:
            return await verifyDummy(password);
        }
      } catch {
        // A malformed stored hash must read as "wrong password", never as a server error.
        return false;
      }
    },
    needsRehash(hash) {
      if (passwordHashFormat(hash) !== 'argon2id') return true;
      try {
        return argon2.needsRehash(hash, options);
      } catch {
        return true;
      }
    },
    verifyAgainstDummy: verifyDummy,
  };
}
