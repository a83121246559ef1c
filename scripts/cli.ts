/**
 * Operator commands. `npm run cli -- <command>` or `npx oidc-server <command>`.
 * Exit codes: 0 success, 1 failure, 2 usage error.
 */
import type { Knex } from 'knex';
import { ConfigError, loadConfig, loadDatabaseSettings, type Config, type DatabaseSettings } from '../config/loader.js';
import { settings } from '../config/schema.js';
import { withDevelopmentSecrets } from '../config/dev-secrets.js';
import { createSecretSealer } from '../adapters/crypto/envelope.js';
import { joseKeyGenerator } from '../adapters/crypto/key-generator.js';
import { createSigningKeyRepository } from '../adapters/db/signing-keys-repository.js';
import { migrateToLatest } from '../adapters/db/migrate.js';
import { databaseFor } from '../adapters/db/knex.js';
import { purgeExpired } from '../adapters/oidc/sql-store.js';
import { ensureSigningKeys, rotateSigningKeys } from '../server/modules/keys/index.js';
import { systemClock } from '../server/shared/clock.js';
import { runTemplatesPreview } from './templates-preview.js';

const USAGE = `Usage: oidc-server <command>

Commands:
  migrate          apply pending database migrations
  keys rotate      add new signing keys; the previous ones keep verifying for KEY_ROTATION_OVERLAP seconds
  purge            delete expired provider records now
  templates preview <template> [--locale de] [--channel email|sms] [--data key=value ...]
                   print a notification template rendered as it would be sent
  help             show this text

Configuration comes from the environment (see .env.example).`;

interface Command {
  /** `database`: only what reaching the database takes; `full`: the whole server configuration. */
  needs: 'database' | 'full';
  run(config: Config | DatabaseSettings): Promise<void>;
}

/** Rows per purge statement when run by hand; the same bound as the server's default. */
const PURGE_BATCH = Number(settings.PURGE_BATCH_SIZE.default);

async function withDatabase<T>(config: DatabaseSettings, work: (knex: Knex) => Promise<T>): Promise<T> {
  const database = databaseFor(config);
  try {
    return await work(database.knex);
  } finally {
    await database.close();
  }
}

const commands: Record<string, Command> = {
  migrate: {
    needs: 'database',
    run: (config) =>
      withDatabase(config, async (knex) => {
        const applied = await migrateToLatest(knex);
        console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.');
      }),
  },
  'keys rotate': {
    needs: 'full',
    run: (settings) =>
      withDatabase(settings, async (knex) => {
        const config = settings as Config;
        await migrateToLatest(knex);
        const deps = {
          keys: createSigningKeyRepository(knex, createSecretSealer(config.keyEncryptionKey!)),
          generator: joseKeyGenerator,
          clock: systemClock,
        };
        const initial = await ensureSigningKeys(deps);
        if (initial.length) {
          // A fresh database had no keys: creating them is the rotation; retiring them at once would waste them.
          console.log(`No signing keys existed; created: ${initial.join(', ')}`);
          return;
        }
        const result = await rotateSigningKeys(deps, config.keyRotationOverlap);
        console.log(`New signing keys: ${result.created.join(', ')}`);
        console.log(`Retired keys (verifying until ${result.verifyUntil.toISOString()}): ${result.retired.join(', ') || 'none'}`);
        console.log(`Running providers switch within KEY_REFRESH_INTERVAL (${config.keyRefreshInterval}s).`);
      }),
  },
  purge: {
    needs: 'database',
    run: (config) =>
      withDatabase(config, async (knex) => {
        console.log(`Deleted ${await purgeExpired(knex, PURGE_BATCH, 1000)} expired record(s).`);
      }),
  },
  'templates preview': {
    // Needs no database; 'database' settings are the least this command table can load.
    needs: 'database',
    run: async () => runTemplatesPreview(process.argv.slice(2).slice(process.argv.slice(2).indexOf('preview') + 1)),
  },
};

export async function runCli(argv: string[]): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-'));
  if (words.length === 0 || words[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return words.length === 0 ? 2 : 0;
  }
  // Own properties only: `constructor` or `toString` must be unknown commands, not Object's methods.
  const name = [words.slice(0, 2).join(' '), words[0]].find((n) => n && Object.hasOwn(commands, n));
  if (!name) {
    console.error(`Unknown command: ${words.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  try {
    const command = commands[name]!;
    if (command.needs === 'database') {
      await command.run(loadDatabaseSettings());
    } else {
      const loaded = loadConfig();
      await command.run(loaded.env === 'production' ? loaded : withDevelopmentSecrets(loaded).config);
    }
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

runCli(process.argv.slice(2)).then((code) => process.exit(code));
