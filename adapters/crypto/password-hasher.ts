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
import { availableParallelism } from 'node:os';
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

/**
 * At most `limit` of `task` at once, the rest queued in order. Each argon2 computation holds its
 * memory cost (19 MiB by default) for its whole run, on a thread-pool thread: more at once than
 * there are cores finishes none sooner, only multiplies the memory held and takes every pool
 * thread from the work that shares the pool (JWT signing, file reads).
 */
function limited(limit: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter (running stays counted for it).
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/** @param maxConcurrent password computations at once (default: the cores available to the process). */
export function createArgon2Hasher(params: Argon2Parameters, maxConcurrent = availableParallelism()): PasswordHasher {
  const options = { type: argon2.argon2id as 2, ...params };
  const slot = limited(Math.max(1, maxConcurrent));
  let dummy: Promise<string> | undefined;
  const verifyDummy = async (password: string): Promise<false> => {
    dummy ??= slot(() => argon2.hash('dummy-password-for-timing-equalisation', options));
    const stored = await dummy;
    await slot(() => inSpan('argon2.verify', () => argon2.verify(stored, password)));
    return false;
  };
  return {
    hash: (password) => slot(() => inSpan('argon2.hash', () => argon2.hash(password, options))),
    async verify(hash, password) {
      const format = passwordHashFormat(hash);
      if (format !== 'argon2id' && format !== 'argon2i' && format !== 'bcrypt' && format !== 'scrypt') return verifyDummy(password).catch(() => false);
      return slot(() => verifyKnown(format, hash, password));
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

/** A malformed stored hash reads as "wrong password", never as a server error. */
async function verifyKnown(format: 'argon2id' | 'argon2i' | 'bcrypt' | 'scrypt', hash: string, password: string): Promise<boolean> {
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
    }
  } catch {
    return false;
  }
}
