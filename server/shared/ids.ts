/** Identifiers: random, URL-safe, and never derived from guessable data. */
import { randomBytes, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();

/** 256 bits of entropy, base64url: for secrets and one-time passwords. */
export const newSecret = (bytes = 32): string => randomBytes(bytes).toString('base64url');
