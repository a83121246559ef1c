/**
 * One process per embedded database directory. PGlite has no locking of its own: a second
 * process opening the same directory (the CLI beside a running server) corrupts it. The owner
 * holds `<directory>.lock`, created exclusively and holding its pid; a lock whose pid is gone
 * (a crashed server) is stale and taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

export class DirectoryLockedError extends Error {
  override readonly name = 'DirectoryLockedError';
  constructor(readonly directory: string, readonly pid: number) {
    super(
      `the embedded database in ${directory} is in use by another process (pid ${pid}), probably the running server: ` +
        'stop it first, or run the server and this command against Postgres (DATABASE_URL)',
    );
  }
}

// Directories this process holds: opening one twice in one process would corrupt it just the same.
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * @returns release(), which removes the lock.
 * @throws DirectoryLockedError when a live process (this one included) holds the directory.
 */
export function lockDirectory(directory: string): () => void {
  const lockFile = `${directory}.lock`;
  if (held.has(lockFile)) throw new DirectoryLockedError(directory, process.pid);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      held.add(lockFile);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(lockFile);
        if (ownerOf(lockFile) === process.pid) rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = ownerOf(lockFile);
      // A pid of ours not in `held` is a leftover of an earlier process that had our pid.
      if (pid !== undefined && pid !== process.pid && alive(pid)) throw new DirectoryLockedError(directory, pid);
      rmSync(lockFile, { force: true });
    }
  }
  throw new DirectoryLockedError(directory, ownerOf(lockFile) ?? 0);
}
