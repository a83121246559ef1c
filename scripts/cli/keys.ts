/** Signing key commands: `keys rotate`. */
import { createSecretSealer } from '../../adapters/crypto/envelope.js';
import { migrateToLatest } from '../../adapters/db/migrate.js';
import { appendNow, keyRotationEvents } from '../../server/modules/compliance/index.js';
import { ensureSigningKeys, rotateSigningKeys } from '../../server/modules/keys/index.js';
import { systemClock } from '../../server/shared/clock.js';
import { auditChain, signingKeys } from '../../server/wiring/stores.js';
import type { Command } from './command.js';
import { fullConfig, withDatabase } from './context.js';

export const keysCommands: Command[] = [
  {
    name: 'keys rotate',
    summary: 'add new signing keys; the previous ones keep verifying for KEY_ROTATION_OVERLAP seconds',
    details: 'Running providers switch to the new keys within KEY_REFRESH_INTERVAL seconds. Needs KEY_ENCRYPTION_KEY.',
    async run() {
      const config = fullConfig();
      await withDatabase(async (knex) => {
        await migrateToLatest(knex);
        const deps = signingKeys(knex, createSecretSealer(config.keyEncryptionKey!));
        const initial = await ensureSigningKeys(deps);
        if (initial.length) {
          // A fresh database had no keys: creating them is the rotation; retiring them at once would waste them.
          console.log(`No signing keys existed; created: ${initial.join(', ')}`);
          return;
        }
        const result = await rotateSigningKeys(deps, config.keyRotationOverlap);
        await appendNow({ store: auditChain(knex, config.keyEncryptionKey!).store, clock: systemClock }, keyRotationEvents(result));
        console.log(`New signing keys: ${result.created.join(', ')}`);
        console.log(`Retired keys (verifying until ${result.verifyUntil.toISOString()}): ${result.retired.join(', ') || 'none'}`);
        console.log(`Running providers switch within KEY_REFRESH_INTERVAL (${config.keyRefreshInterval}s).`);
      });
    },
  },
];
