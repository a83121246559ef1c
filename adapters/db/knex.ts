/**
 * Opens the database: Postgres when a URL is given, otherwise embedded PGlite (Postgres in
 * WebAssembly) in a directory, or in memory for tests. Both speak the same SQL and run the same
 * migrations, so there is one code path for queries.
 */
import { PGlite } from '@electric-sql/pglite';
import knexPkg, { type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { mkdirSync } from 'node:fs';
import { lockDirectory } from './directory-lock.js';
import { currentRequestId } from '../../server/shared/request-scope.js';

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  readonly knex: Knex;
  readonly kind: DatabaseKind;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolMax: number }
  | { kind: 'pglite'; directory: string | undefined };

/** knex prints its own warnings (with stacks) to the console; route them as one plain line instead. */
function knexLog(): Knex.Config['log'] {
  const line = (level: string) => (message: unknown) => {
    const full = message instanceof Error ? message.message : typeof message === 'string' ? message : JSON.stringify(message);
    // knex quotes the driver's error with its stack ("Acquire connection error: Error: … at …"): the first line says it all.
    const text = (full ?? '').split('\n')[0];
    const requestId = currentRequestId();
    process.stderr.write(`${JSON.stringify({ level, service: 'oidc-server', component: 'knex', ...(requestId ? { requestId } : {}), msg: text })}\n`);
  };
  return { warn: line('warn'), error: line('error'), deprecate: line('warn'), debug: () => undefined };
}

/**
 * knex resolves a DELETE (and increment/decrement) without RETURNING to the affected row count
 * on pg; through knex-pglite the same query resolves to the raw result (`{ command: 'DEL',
 * rowCount: 1, … }`), because knex-pglite names the command after knex's method (`del`,
 * `counter`), which knex's pg response handling does not recognise. Normalised here, once, so
 * every adapter's `deleted === 1` holds on both databases.
 */
export function affectedRowCount(result: unknown): unknown {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return result;
  const { command, rowCount } = result as { command?: unknown; rowCount?: unknown };
  if ((command === 'DEL' || command === 'COUNTER') && typeof rowCount === 'number') return rowCount;
  return result;
}

/**
 * Postgres settings of the embedded database, on top of PGlite's own start parameters (single
 * user, no parallel workers). shared_buffers: PGlite inherits Postgres' 128 MB, which it zeroes
 * into its WebAssembly memory at every start (about 0.7 s of CPU and 105 MiB of resident memory
 * that WebAssembly never gives back); 32 MB still holds every table of an embedded installation,
 * and the operating system's page cache serves the rest of the files. maintenance_work_mem bounds
 * what an index build in a migration may grow that memory by (64 MB by default). Durability is
 * untouched: commits are still written through before they are acknowledged.
 */
export const EMBEDDED_POSTGRES_SETTINGS = ['shared_buffers=32MB', 'maintenance_work_mem=16MB'] as const;

/** A PGlite instance that starts initialising at once (WebAssembly, then Postgres) with our settings. */
function embeddedPostgres(directory: string | undefined): PGlite {
  return new PGlite({
    ...(directory ? { dataDir: directory } : {}),
    startParams: [...PGlite.defaultStartParams, ...EMBEDDED_POSTGRES_SETTINGS.flatMap((setting) => ['-c', setting])],
  });
}

export function openDatabase(target: DatabaseTarget): Database {
  let knex: Knex;
  let release: () => void = () => {};
  if (target.kind === 'postgres') {
    knex = knexPkg.knex({
      client: 'pg',
      connection: { connectionString: target.url, application_name: 'oidc-server' },
      // min 0 lets idle replicas release connections; acquire timeout bounds a request's wait
      // for a connection when the pool is exhausted instead of queuing forever.
      pool: { min: 0, max: target.poolMax },
      acquireConnectionTimeout: 10_000,
      log: knexLog(),
    });
  } else {
    if (target.directory) {
      mkdirSync(target.directory, { recursive: true });
      // Before PGlite opens it: a second process in the directory corrupts it (directory-lock.ts).
      release = lockDirectory(target.directory);
    }
    knex = knexPkg.knex({
      client: ClientPgLite as unknown as typeof knexPkg.Client,
      dialect: 'postgres',
      // knex-pglite uses the instance given (and closes it when knex is destroyed).
      connection: { pglite: embeddedPostgres(target.directory) } as Knex.StaticConnectionConfig,
      postProcessResponse: affectedRowCount,
      log: knexLog(),
    });
  }
  return {
    knex,
    kind: target.kind,
    async close() {
      try {
        await knex.destroy();
      } finally {
        release();
      }
    },
  };
}

/** Postgres returns bigint aggregates as strings, PGlite as numbers. */
export function toCount(value: unknown): number {
  return typeof value === 'number' ? value : Number.parseInt(String(value ?? '0'), 10);
}

/** Opens the configured database: Postgres at DATABASE_URL, or PGlite in DATA_DIR/pglite. */
export function databaseFor(config: { databaseUrl: string | undefined; databasePoolMax: number; dataDir: string }): Database {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl, poolMax: config.databasePoolMax })
    : openDatabase({ kind: 'pglite', directory: `${config.dataDir}/pglite` });
}
