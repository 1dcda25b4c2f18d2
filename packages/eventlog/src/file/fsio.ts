import { type FileHandle, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptLogError } from '../errors';

/** @internal The file that names the live generation and the compaction bound. */
export const MANIFEST = 'CURRENT';

/** @internal What `CURRENT` holds. */
export interface Manifest {
  generation: number;
  compactedBefore: number;
}

/** @internal fsyncs a directory, so a file created or renamed in it survives a power loss. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** @internal Writes all of `bytes` at `position`, however many writes it takes. */
export async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** @internal Reads `CURRENT`; a log without one is at generation 0, never compacted. */
export async function readManifest(dir: string): Promise<Manifest> {
  const path = join(dir, MANIFEST);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { generation: 0, compactedBefore: 0 };
    throw error;
  }
  try {
    const manifest = JSON.parse(text) as Manifest;
    if (Number.isSafeInteger(manifest.generation) && Number.isSafeInteger(manifest.compactedBefore)) return manifest;
  } catch {
    // reported below
  }
  throw new CorruptLogError(path, 0, 'the manifest is not valid');
}

/** @internal Replaces `CURRENT` atomically (write, fsync, rename, fsync the directory). */
export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  const path = join(dir, MANIFEST);
  await writeFile(`${path}.tmp`, JSON.stringify(manifest), { flush: true });
  await rename(`${path}.tmp`, path);
  await syncDir(dir);
}
