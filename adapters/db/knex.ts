/**
 * Opens the database: Postgres when a URL is given, otherwise embedded PGlite (Postgres in
 * WebAssembly) in a directory, or in memory for tests. Both speak the same SQL and run the same
 * migrations, so there is one code path for queries.
 */
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
      connection: target.directory ? { filename: target.directory } : {},
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
