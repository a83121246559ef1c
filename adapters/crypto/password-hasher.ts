/**
 * argon2id password hashing (OWASP Password Storage Cheat Sheet parameters by default). The
 * parameters are configuration; `needsRehash` tells callers when a stored hash was made with
 * weaker ones so it can be upgraded at the next successful login.
 */
import argon2 from 'argon2';

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

export function createArgon2Hasher(params: Argon2Parameters): PasswordHasher {
  const options = { type: argon2.argon2id as 2, ...params };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => argon2.hash(password, options),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        // A malformed stored hash must read as "wrong password", never as a server error.
        return false;
      }
    },
    needsRehash: (hash) => argon2.needsRehash(hash, options),
    async verifyAgainstDummy(password) {
      dummy ??= argon2.hash('dummy-password-for-timing-equalisation', options);
      await argon2.verify(await dummy, password);
      return false;
    },
  };
}
