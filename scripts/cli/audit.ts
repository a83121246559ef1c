/** Audit trail commands: `audit verify`. */
import { verificationMessage, verifyAndRecord } from '../../server/modules/compliance/index.js';
import { systemClock } from '../../server/shared/clock.js';
import { auditChain } from '../../server/wiring/stores.js';
import type { Command } from './command.js';
import { fullConfig, withDatabase } from './context.js';

export const auditCommands: Command[] = [
  {
    name: 'audit verify',
    summary: 'check the audit hash chain from its latest signed checkpoint',
    details:
      'Prints OK with the number of records verified, or names the first broken record (sequence and why) and exits 1; either way the outcome is appended to the trail (audit.chain.verified, by system via cli), which GET /stats reports. Needs KEY_ENCRYPTION_KEY (checkpoint signatures).',
    async run() {
      const config = fullConfig();
      return withDatabase(async (knex) => {
        const { result } = await verifyAndRecord({ ...auditChain(knex, config.keyEncryptionKey!), clock: systemClock }, { actor: { type: 'system' } }, 'cli');
        if (!result.ok) {
          console.error(verificationMessage(result));
          return 1;
        }
        console.log(verificationMessage(result));
        return 0;
      });
    },
  },
];
