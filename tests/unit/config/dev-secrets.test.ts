/** Development secrets kept in DATA_DIR: generated once, reused, and a damaged file is named instead of used. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withDevelopmentSecrets } from '../../../config/dev-secrets.js';
import { loadConfig } from '../../../config/loader.js';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dev-secrets-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('development secrets', () => {
  it('are generated once and reused', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    const first = withDevelopmentSecrets(config);
    const second = withDevelopmentSecrets(config);
    expect(first.generated).toBe(true);
    expect(second.generated).toBe(false);
    expect(second.config.cookieKeys).toEqual(first.config.cookieKeys);
    expect(second.config.keyEncryptionKey).toBe(first.config.keyEncryptionKey);
  });

  it('refuse a damaged file, naming it', () => {
    const dir = dataDir();
    writeFileSync(join(dir, 'dev-secrets.json'), JSON.stringify({ cookieKeys: ['short'] }));
    expect(() => withDevelopmentSecrets(loadConfig({ DATA_DIR: dir }))).toThrow(`${join(dir, 'dev-secrets.json')} is not a development secrets file`);
  });
});
