/**
 * Which stores this test run means to test: the one place that decides it. CI legs say so
 * explicitly with TEST_STORES (`postgres,redis`, `postgres`, `redis` or `embedded`); a local run
 * without it tests what DATABASE_URL / REDIS_URL give. A store the run names must be reachable
 * (global-setup.ts checks before any test starts); a suite needing a store the run does not name
 * is skipped visibly, with the reason in its name, never silently.
 */
export type NamedStore = 'postgres' | 'redis';

export interface RunStores {
  postgres: boolean;
  redis: boolean;
  /** The URLs the run uses; undefined for a store it does not name, even when set in the environment. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** Where the choice came from, for messages. */
  source: 'TEST_STORES' | 'DATABASE_URL/REDIS_URL';
}

type Env = Record<string, string | undefined>;

const KNOWN = ['postgres', 'redis', 'embedded'] as const;
const isKnown = (word: string): word is (typeof KNOWN)[number] => (KNOWN as readonly string[]).includes(word);

/**
 * Reads TEST_STORES (and the URLs it needs) from `env`.
 * @throws Error naming the problem: an unknown word, `embedded` mixed with a service, a named
 *   service without its URL, or CI=true without a statement of the stores.
 */
export function storesOfRun(env: Env): RunStores {
  const declared = env.TEST_STORES?.trim();
  if (!declared) {
    // CI must say what it tests; only the preamble's "both URLs given" form is unambiguous enough.
    if (env.CI === 'true' && !(env.DATABASE_URL && env.REDIS_URL)) {
      throw new Error('CI=true: set TEST_STORES (postgres,redis | postgres | redis | embedded) so a missing service fails the run instead of skipping its tests');
    }
    return { postgres: Boolean(env.DATABASE_URL), redis: Boolean(env.REDIS_URL), databaseUrl: env.DATABASE_URL || undefined, redisUrl: env.REDIS_URL || undefined, source: 'DATABASE_URL/REDIS_URL' };
  }
  const words = declared.split(',').map((word) => word.trim().toLowerCase());
  const unknown = words.filter((word) => !isKnown(word));
  if (unknown.length) throw new Error(`TEST_STORES: unknown store ${unknown.map((w) => JSON.stringify(w)).join(', ')} (known: ${KNOWN.join(', ')})`);
  if (words.includes('embedded') && words.length > 1) throw new Error('TEST_STORES: "embedded" means no Postgres and no Redis; it cannot be combined with them');
  const postgres = words.includes('postgres');
  const redis = words.includes('redis');
  const missing = [postgres && !env.DATABASE_URL ? 'postgres needs DATABASE_URL' : '', redis && !env.REDIS_URL ? 'redis needs REDIS_URL' : ''].filter(Boolean);
  if (missing.length) throw new Error(`TEST_STORES=${declared}: ${missing.join('; ')}`);
  return { postgres, redis, databaseUrl: postgres ? env.DATABASE_URL : undefined, redisUrl: redis ? env.REDIS_URL : undefined, source: 'TEST_STORES' };
}

/** A suffix for the name of a suite that needs `stores`: empty when it runs, the reason when skipped. */
export function skipReason(run: RunStores, stores: readonly NamedStore[]): string {
  const absent = stores.filter((store) => !run[store]);
  return absent.length ? ` (SKIPPED: ${absent.join(' and ')} not in this run's stores, ${run.source})` : '';
}
