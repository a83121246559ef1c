/**
 * Operator commands. `npm run cli -- <command>` or `npx oidc-server <command>`.
 * Exit codes: 0 success, 1 failure, 2 usage error.
 */
import { ConfigError, loadConfig, type Config } from '../config/loader.js';
import { withDevelopmentSecrets } from '../config/dev-secrets.js';
import { createSecretSealer } from '../adapters/crypto/envelope.js';
import { joseKeyGenerator } from '../adapters/crypto/key-generator.js';
import { createSigningKeyRepository } from '../adapters/db/signing-keys-repository.js';
import { migrateToLatest } from '../adapters/db/migrate.js';
import { databaseFor } from '../adapters/db/knex.js';
import { purgeExpired } from '../adapters/oidc/sql-store.js';
import { ensureSigningKeys, rotateSigningKeys } from '../server/modules/keys/index.js';
import { systemClock } from '../server/shared/clock.js';

const USAGE = `Usage: oidc-server <command>

Commands:
  migrate          apply pending database migrations
  keys rotate      add new signing keys; the previous ones keep verifying for KEY_ROTATION_OVERLAP seconds
  purge            delete expired provider records now
  help             show this text

Configuration comes from the environment (see .env.example).`;

type Command = (config: Config) => Promise<void>;

const commands: Record<string, Command> = {
  async migrate(config) {
    const database = databaseFor(config);
    try {
      const applied = await migrateToLatest(database.knex);
      console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'Database is up to date.');
    } finally {
      await database.close();
    }
  },
  async 'keys rotate'(config) {
    const database = databaseFor(config);
    try {
      await migrateToLatest(database.knex);
      const deps = {
        keys: createSigningKeyRepository(database.knex, createSecretSealer(config.keyEncryptionKey!)),
        generator: joseKeyGenerator,
        clock: systemClock,
      };
      await ensureSigningKeys(deps);
      const result = await rotateSigningKeys(deps, config.keyRotationOverlap);
      console.log(`New signing keys: ${result.created.join(', ')}`);
      console.log(`Retired keys (verifying until ${result.verifyUntil.toISOString()}): ${result.retired.join(', ') || 'none'}`);
      console.log(`Running providers switch within KEY_REFRESH_INTERVAL (${config.keyRefreshInterval}s).`);
    } finally {
      await database.close();
    }
  },
  async purge(config) {
    const database = databaseFor(config);
    try {
      console.log(`Deleted ${await purgeExpired(database.knex, config.purge.batchSize, 1000)} expired record(s).`);
    } finally {
      await database.close();
    }
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
    const loaded = loadConfig();
    const config = loaded.env === 'production' ? loaded : withDevelopmentSecrets(loaded).config;
    await commands[name]!(config);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

runCli(process.argv.slice(2)).then((code) => process.exit(code));
