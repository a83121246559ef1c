/** WebAuthn challenges in Redis: each key expires with its challenge, and GETDEL takes it once. */
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { WebAuthnChallengeStore } from '../../server/modules/auth/index.js';

const stored = z.object({ challenge: z.string(), userId: z.string().optional(), expiresAt: z.number() });

export function createRedisWebAuthnChallenges(redis: Redis, keyPrefix: string): WebAuthnChallengeStore {
  const name = (key: string) => `${keyPrefix}webauthn:${key}`;
  return {
    async put(key, challenge) {
      const ttl = Math.max(1, challenge.expiresAt - Date.now());
      await redis.set(name(key), JSON.stringify(challenge), 'PX', ttl);
    },
    async take(key, nowMs) {
      const text = await redis.getdel(name(key));
      if (!text) return undefined;
      let parsed;
      try {
        parsed = stored.safeParse(JSON.parse(text));
      } catch {
        return undefined;
      }
      if (!parsed.success || parsed.data.expiresAt <= nowMs) return undefined;
      return parsed.data;
    },
  };
}
