/**
 * Development convenience: when COOKIE_KEYS or KEY_ENCRYPTION_KEY are unset outside production,
 * generate them once and keep them in DATA_DIR (mode 0600) so sessions and encrypted keys survive
 * restarts. Production never reaches this: the loader refuses missing secrets there.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './loader.js';

interface DevSecrets {
  cookieKeys: string[];
  keyEncryptionKey: string;
}

export function withDevelopmentSecrets(config: Config): { config: Config; generated: boolean } {
  if (config.cookieKeys && config.keyEncryptionKey) return { config, generated: false };
  if (config.env === 'production') throw new Error('development secrets are never used in production');
  const file = join(config.dataDir, 'dev-secrets.json');
  let secrets: DevSecrets;
  let generated = false;
  if (existsSync(file)) {
    secrets = JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
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
