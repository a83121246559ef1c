/**
 * Development convenience: when COOKIE_KEYS or KEY_ENCRYPTION_KEY are unset outside production,
 * generate them once and keep them in DATA_DIR (mode 0600) so sessions and encrypted keys survive
 * restarts. Production never reaches this: the loader refuses missing secrets there.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from './config.js';

const devSecrets = z.object({ cookieKeys: z.array(z.string().min(32)).min(1), keyEncryptionKey: z.string().min(1) });
type DevSecrets = z.infer<typeof devSecrets>;

export function withDevelopmentSecrets(config: Config): { config: Config; generated: boolean } {
  if (config.cookieKeys && config.keyEncryptionKey) return { config, generated: false };
  if (config.env === 'production') throw new Error('development secrets are never used in production');
  const file = join(config.dataDir, 'dev-secrets.json');
  let secrets: DevSecrets;
  let generated = false;
  if (existsSync(file)) {
    // A damaged file fails the start here, naming it, rather than as a bad cookie key later.
    const stored = devSecrets.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!stored.success) throw new Error(`${file} is not a development secrets file: delete it to generate new secrets`);
    secrets = stored.data;
  } else {
    secrets = {
      cookieKeys: [randomBytes(32).toString('base64url')],
      keyEncryptionKey: randomBytes(32).toString('base64url'),
    };
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    generated = true;
  }
  return {
    config: {
      ...config,
      cookieKeys: config.cookieKeys ?? secrets.cookieKeys,
      keyEncryptionKey: config.keyEncryptionKey ?? secrets.keyEncryptionKey,
    },
    generated,
  };
}
