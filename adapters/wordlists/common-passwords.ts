/**
 * The blocklist of common and breached passwords shipped in wordlists/common-passwords.txt (one
 * per line, most frequent first; source and licence in wordlists/README.md). Read once into a
 * Set: about 49,000 entries, a few MB of memory, O(1) lookups.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wordlistsDir } from '../../config/paths.js';
import type { PasswordBlocklist } from '../../server/modules/users/index.js';

export function loadPasswordBlocklist(file = join(wordlistsDir, 'common-passwords.txt')): PasswordBlocklist & { size: number } {
  const entries = new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return { has: (password) => entries.has(password), size: entries.size };
}
