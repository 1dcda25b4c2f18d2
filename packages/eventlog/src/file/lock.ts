import { link, open, readFile, realpath, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { LogLockedError } from '../errors';

/** Directories this process holds, so a second open in the same process is refused too. */
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * @internal Takes the directory's `LOCK` file (holding the writer's pid).
 * A lock left by a process that no longer runs (killed, crashed) is stale
 * and taken over. Resolves to the function that releases it.
 */
export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const resolved = await realpath(dir);
  if (heldHere.has(resolved)) throw new LogLockedError(dir, `this process (pid ${process.pid})`);
  const path = join(resolved, 'LOCK');
  for (let attempt = 0; attempt < 3; attempt++) {
    // Written aside and linked into place, so LOCK never exists without its pid.
    const staged = `${path}.${process.pid}.tmp`;
    const handle = await open(staged, 'w');
    try {
      await handle.writeFile(`${process.pid}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(staged, path);
      await unlink(staged);
      heldHere.add(resolved);
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        heldHere.delete(resolved);
        await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      await unlink(staged).catch(() => undefined);
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
      throw new LogLockedError(dir, `process ${holder}`);
    }
    // The holder is gone (or this process reopens after losing its handle): the lock is stale.
    await unlink(path).catch(() => undefined);
  }
  throw new LogLockedError(dir, 'another process that keeps taking the lock');
}
