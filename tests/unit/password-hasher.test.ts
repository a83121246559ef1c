/**
 * adapters/crypto/password-hasher.ts: every accepted format verifies the right password and
 * refuses a wrong one, asks to be rehashed unless it is argon2id with the current parameters,
 * and an unknown or malformed hash is a failed check, never a throw. Vectors are generated here
 * with the reference libraries (argon2, bcryptjs, node:crypto scrypt), plus one published bcrypt
 * vector (Openwall's crypt_blowfish test suite).
 */
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';
import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createArgon2Hasher } from '../../adapters/crypto/password-hasher.js';
import { passwordHashFormat } from '../../server/modules/users/index.js';

// Small parameters keep the suite fast; the production defaults are in config/schema.ts.
const PARAMS = { memoryCost: 1024, timeCost: 2, parallelism: 1 };
const hasher = createArgon2Hasher(PARAMS);
const PASSWORD = 'correct horse battery staple';
const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

function scryptHash(password: string, ln = 10, r = 8, p = 1, salt = randomBytes(16)) {
  const key = scryptSync(password, salt, 32, { N: 2 ** ln, r, p });
  return `$scrypt$ln=${ln},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
}

describe('verify, by format', () => {
  const vectors: Array<[string, () => Promise<string>]> = [
    ['argon2id (current parameters)', () => hasher.hash(PASSWORD)],
    ['argon2id (other parameters)', () => argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 2048, timeCost: 3, parallelism: 1 })],
    ['argon2i', () => argon2.hash(PASSWORD, { type: argon2.argon2i, ...PARAMS })],
    ['bcrypt $2b$', async () => bcrypt.hashSync(PASSWORD, 4)],
    ['bcrypt $2a$', async () => bcrypt.hashSync(PASSWORD, 4).replace(/^\$2b\$/, '$2a$')],
    ['bcrypt $2y$', async () => bcrypt.hashSync(PASSWORD, 4).replace(/^\$2b\$/, '$2y$')],
    ['scrypt', async () => scryptHash(PASSWORD)],
    ['scrypt (r=4, p=2)', async () => scryptHash(PASSWORD, 11, 4, 2)],
  ];

  it.each(vectors)('%s: right password true, wrong password false', async (_name, make) => {
    const hash = await make();
    expect(passwordHashFormat(hash)).toBeDefined();
    expect(await hasher.verify(hash, PASSWORD)).toBe(true);
    expect(await hasher.verify(hash, `${PASSWORD}!`)).toBe(false);
    expect(await hasher.verify(hash, '')).toBe(false);
  });

  it('a published bcrypt vector verifies (crypt_blowfish "U*U")', async () => {
    const hash = '$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';
    expect(passwordHashFormat(hash)).toBe('bcrypt');
    expect(await hasher.verify(hash, 'U*U')).toBe(true);
    expect(await hasher.verify(hash, 'U*V')).toBe(false);
  });

  it('scrypt digests of other lengths verify too', async () => {
    const salt = randomBytes(16);
    const key = scryptSync(PASSWORD, salt, 64, { N: 1024, r: 8, p: 1 });
    expect(await hasher.verify(`$scrypt$ln=10,r=8,p=1$${b64(salt)}$${b64(key)}`, PASSWORD)).toBe(true);
  });
});

describe('needsRehash', () => {
  it('is false only for argon2id with the current parameters', async () => {
    expect(hasher.needsRehash(await hasher.hash(PASSWORD))).toBe(false);
    expect(hasher.needsRehash(await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 2048, timeCost: 2, parallelism: 1 }))).toBe(true);
    // Same parameters, weaker variant: still upgraded.
    expect(hasher.needsRehash(await argon2.hash(PASSWORD, { type: argon2.argon2i, ...PARAMS }))).toBe(true);
    expect(hasher.needsRehash(bcrypt.hashSync(PASSWORD, 4))).toBe(true);
    expect(hasher.needsRehash(scryptHash(PASSWORD))).toBe(true);
    expect(hasher.needsRehash('garbage')).toBe(true);
  });

  it('new hashes are argon2id with the configured parameters', async () => {
    expect(await hasher.hash(PASSWORD)).toMatch(/^\$argon2id\$v=19\$m=1024,t=2,p=1\$/);
  });
});

describe('unknown and malformed hashes', () => {
  const bad = [
    '',
    'plaintext-password',
    PASSWORD,
    '$argon2d$v=19$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA',
    '$argon2id$v=19$m=1024,t=2,p=1$!!!$???',
    '$2x$04$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW',
    '$2b$04$tooshort',
    '$scrypt$ln=10,r=8,p=1$c2FsdA$aGFzaA',
    // Parameters beyond the limits would make one sign-in cost gigabytes.
    `$scrypt$ln=30,r=8,p=1$${b64(randomBytes(16))}$${b64(randomBytes(32))}`,
    `$scrypt$ln=0,r=8,p=1$${b64(randomBytes(16))}$${b64(randomBytes(32))}`,
    '$pbkdf2-sha256$29000$N2ZMSUl.$hash',
    '{SSHA}abcdef',
  ];

  it.each(bad)('%j: no format, verify false without throwing', async (hash) => {
    expect(passwordHashFormat(hash)).toBeUndefined();
    await expect(hasher.verify(hash, PASSWORD)).resolves.toBe(false);
  });

  it('an argon2 string whose digest does not decode reads as a wrong password', async () => {
    const hash = (await hasher.hash(PASSWORD)).replace(/\$[^$]+$/, '$AAAA');
    await expect(hasher.verify(hash, PASSWORD)).resolves.toBe(false);
  });
});
