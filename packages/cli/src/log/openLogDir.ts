/**
 * Opening a log directory someone else wrote, for reading. `openFileLog`
 * creates a missing directory and starts a first segment in an empty one, so
 * the directory is checked first: pointing the command at the wrong path must
 * fail, not leave an empty log behind.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { InvalidError, NotFoundError } from '@keelson/core';
import { type FileLog, openFileLog } from '@keelson/eventlog';
import { type CliIo, writeLine } from '../io';

/** How a file log names its files: the manifest, and `<generation>-<first revision>.seg` segments. */
const LOG_FILE = /^(CURRENT|\d{8}-\d{16}\.seg)$/;

/** Fails unless `dir` is a directory holding a file log; resolves to its real path. */
export async function checkLogDir(dir: string): Promise<string> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new NotFoundError(`log directory ${dir} does not exist; pass the directory a file log was written to`);
  }
  if (!info.isDirectory()) {
    throw new InvalidError(`${dir} is not a directory; pass the directory a file log was written to`);
  }
  const names = await readdir(dir);
  if (!names.some((name) => LOG_FILE.test(name))) {
    throw new InvalidError(`${dir} holds no event log (no CURRENT or *.seg files); pass a file log's directory`);
  }
  return realpath(dir);
}

/**
 * Opens the file log in `dir`, runs `use` on it and closes it. The log is
 * only read; opening it takes its lock (so a running writer refuses it) and
 * cuts a torn tail, as every open does, which is reported on stderr.
 */
export async function withLog<R>(dir: string, io: CliIo, use: (log: FileLog) => Promise<R>): Promise<R> {
  await checkLogDir(dir);
  const log = await openFileLog(dir, { fsync: 'never' });
  try {
    if (log.recovery) {
      const { segment, offset, droppedBytes, reason } = log.recovery;
      writeLine(
        io.stderr,
        `keelson: warning: cut a torn tail of ${droppedBytes} bytes (${reason}) from ${segment} at byte ${offset}`,
      );
    }
    return await use(log);
  } finally {
    await log.close();
  }
}
