/** The Random port over node:crypto's CSPRNG. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Random } from '../../server/shared/random.js';

export const cryptoRandom: Random = { bytes: (length) => randomBytes(length), uuid: () => randomUUID() };
