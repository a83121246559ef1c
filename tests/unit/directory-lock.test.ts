/** The embedded database directory lock: exclusive, with the owner's pid; stale locks of dead processes are taken over. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryLockedError, lockDirectory } from '../../adapters/db/directory-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'oidc-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lockDirectory', () => {
  it('writes the pid, refuses a second holder in this process, and removes the lock on release', () => {
    const target = join(dir, 'a');
    const release = lockDirectory(target);
    expect(readFileSync(`${target}.lock`, 'utf8').trim()).toBe(String(process.pid));
    expect(() => lockDirectory(target)).toThrow(DirectoryLockedError);
    release();
    expect(existsSync(`${target}.lock`)).toBe(false);
    lockDirectory(target)();
  });

  it('refuses a directory whose lock names a live process, saying what to do', () => {
    const target = join(dir, 'b');
    // The test runner's parent is alive for as long as this test runs.
    writeFileSync(`${target}.lock`, `${process.ppid}\n`);
    expect(() => lockDirectory(target)).toThrow(/in use by another process \(pid \d+\).*stop it first.*DATABASE_URL/);
  });

  it('takes over a stale lock whose process is gone', () => {
    const target = join(dir, 'c');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(`${target}.lock`, `${gone}\n`);
    const release = lockDirectory(target);
    expect(readFileSync(`${target}.lock`, 'utf8').trim()).toBe(String(process.pid));
    release();
  });
});
