import { type FileHandle, mkdir, open, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '@keelson/clock';
import type { Observable } from 'rxjs';
import { EntryIndex } from '../EntryIndex';
import { checkEntry, DEFAULT_MAX_ENTRY_BYTES, sealEntry } from '../entry';
import { CorruptLogError, InvalidError, LogClosedError } from '../errors';
import type { AppendOptions, EventLog, LogEntry, NewLogEntry, ReadOptions, Revision } from '../types';
import { acquireLock } from './lock';
import { decodeSegment, encodeRecord, parseSegmentName, SEGMENT_HEADER, segmentName, type TornTail } from './segment';

/**
 * When appends reach the disk:
 * - `always`: each append is written and fsynced on its own before it resolves.
 * - `batch`: group commit; appends that arrive while a write is in flight share
 *   the next write and one fsync. Like `always`, nothing acknowledged is lost.
 * - `never`: written to the OS, never fsynced: fast, but a power loss can lose
 *   acknowledged appends (a killed process does not).
 */
export type FsyncMode = 'always' | 'batch' | 'never';

/** Options for {@link openFileLog}. */
export interface FileLogOptions {
  /** Default `batch`. */
  fsync?: FsyncMode;
  /** Largest encoded entry accepted, in bytes (default 2 MiB). */
  maxEntryBytes?: number;
  /** A segment file is closed and a new one started past this size (default 64 MiB). */
  segmentBytes?: number;
  /** I/O is tracked on this clock, so a `VirtualClock` waits for it (default `systemClock`). */
  clock?: Clock;
}

/** What recovery cut off a torn tail when the log was opened. */
export interface RecoveryReport extends TornTail {
  segment: string;
}

/** A log on disk: the {@link EventLog} contract plus what recovery did. */
export interface FileLog<T = unknown> extends EventLog<T> {
  readonly dir: string;
  /** Set when opening cut a torn tail (a write the crash interrupted, never acknowledged). */
  readonly recovery: RecoveryReport | undefined;
}

const MANIFEST = 'CURRENT';
const FSYNC_MODES: readonly FsyncMode[] = ['always', 'batch', 'never'];

interface Manifest {
  generation: number;
  compactedBefore: number;
}

interface PendingAppend<T> {
  entry: LogEntry<T>;
  bytes: Buffer;
  resolve: (entry: LogEntry<T>) => void;
  reject: (error: unknown) => void;
}

interface ActiveSegment {
  handle: FileHandle;
  size: number;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

function checkOptions(options: FileLogOptions): void {
  if (options.fsync !== undefined && !FSYNC_MODES.includes(options.fsync)) {
    throw new InvalidError(`options.fsync must be one of ${FSYNC_MODES.join(', ')}, got ${String(options.fsync)}`);
  }
  for (const field of ['maxEntryBytes', 'segmentBytes'] as const) {
    const value = options[field];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1024)) {
      throw new InvalidError(`options.${field} must be an integer of at least 1024 bytes, got ${String(value)}`);
    }
  }
}

class FileEventLog<T> implements FileLog<T> {
  private readonly index = new EntryIndex<T>();
  private readonly fsync: FsyncMode;
  private readonly maxEntryBytes: number;
  private readonly segmentBytes: number;
  private readonly clock: Clock;
  private pending: PendingAppend<T>[] = [];
  private flushScheduled = false;
  /** Writes, compaction and close run one at a time on this chain. */
  private io: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private generation = 0;
  private segments: string[] = [];
  private active: ActiveSegment | undefined;
  recovery: RecoveryReport | undefined;

  constructor(
    readonly dir: string,
    options: FileLogOptions,
    private readonly releaseLock: () => Promise<void>,
  ) {
    this.fsync = options.fsync ?? 'batch';
    this.maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
    this.segmentBytes = options.segmentBytes ?? 64 * 1024 * 1024;
    this.clock = options.clock ?? systemClock;
  }

  /** Reads the manifest and every segment, cuts a torn tail, and opens the last segment for appends. */
  async load(): Promise<void> {
    const manifest = await this.readManifest();
    this.generation = manifest.generation;
    const names: string[] = [];
    for (const name of await readdir(this.dir)) {
      const parsed = parseSegmentName(name);
      const leftover = (parsed !== undefined && parsed.generation !== this.generation) || name.endsWith('.seg.tmp');
      if (leftover) await unlink(join(this.dir, name));
      else if (parsed) names.push(name);
    }
    names.sort();
    const entries: LogEntry<T>[] = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const path = join(this.dir, name);
      const isLast = i === names.length - 1;
      const decoded = decodeSegment(path, await readFile(path), isLast, entries.at(-1)?.revision ?? 0);
      for (const entry of decoded.entries) entries.push(entry as LogEntry<T>);
      if (decoded.torn) {
        this.recovery = { segment: path, ...decoded.torn };
        await this.cutTornTail(path, decoded.torn.offset);
      }
    }
    this.index.load(entries, manifest.compactedBefore);
    this.segments = names;
    const last = names.at(-1);
    if (last === undefined) {
      this.active = await this.createSegment(this.generation, this.index.head + 1);
    } else {
      const handle = await open(join(this.dir, last), 'r+');
      this.active = { handle, size: (await handle.stat()).size };
    }
  }

  private async readManifest(): Promise<Manifest> {
    const path = join(this.dir, MANIFEST);
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

  private async cutTornTail(path: string, offset: number): Promise<void> {
    const handle = await open(path, 'r+');
    try {
      if (offset < SEGMENT_HEADER.length) {
        // Crashed while creating the segment: give it its header back.
        await handle.truncate(0);
        await writeAll(handle, SEGMENT_HEADER, 0);
      } else {
        await handle.truncate(offset);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  private async createSegment(generation: number, firstRevision: number): Promise<ActiveSegment> {
    const name = segmentName(generation, firstRevision);
    const handle = await open(join(this.dir, name), 'w+');
    await writeAll(handle, SEGMENT_HEADER, 0);
    await handle.sync();
    await syncDir(this.dir);
    if (generation === this.generation) this.segments.push(name);
    return { handle, size: SEGMENT_HEADER.length };
  }

  private usable(): void {
    this.index.assertOpen();
    if (this.closing) throw new LogClosedError(`the log at ${this.dir} is closing; open it again to append`);
  }

  private exclusive<R>(task: () => Promise<R>): Promise<R> {
    const run = this.io.then(task);
    this.io = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  append(entry: NewLogEntry<T>, options?: AppendOptions): Promise<LogEntry<T>> {
    try {
      this.usable();
      const dataJson = checkEntry(entry, this.maxEntryBytes, true);
      const sealed = sealEntry(entry, this.index.assign(entry, options));
      const bytes = encodeRecord(sealed, dataJson);
      const done = new Promise<LogEntry<T>>((resolve, reject) => {
        this.pending.push({ entry: sealed, bytes, resolve, reject });
      });
      this.scheduleFlush();
      return this.clock.track(done);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    void this.exclusive(() => this.flush());
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.fsync === 'always' ? this.pending.splice(0, 1) : this.pending.splice(0);
      try {
        await this.writeBatch(batch);
      } catch (error) {
        await this.fail(error, batch);
        return;
      }
      for (const item of batch) {
        this.index.commit(item.entry);
        item.resolve(item.entry);
      }
    }
    this.flushScheduled = false;
  }

  private async writeBatch(batch: PendingAppend<T>[]): Promise<void> {
    const bytes = batch.length === 1 ? (batch[0] as PendingAppend<T>).bytes : Buffer.concat(batch.map((p) => p.bytes));
    let active = this.active as ActiveSegment;
    if (active.size > SEGMENT_HEADER.length && active.size + bytes.length > this.segmentBytes) {
      await active.handle.datasync();
      await active.handle.close();
      active = await this.createSegment(this.generation, (batch[0] as PendingAppend<T>).entry.revision);
      this.active = active;
    }
    await writeAll(active.handle, bytes, active.size);
    active.size += bytes.length;
    if (this.fsync !== 'never') await active.handle.datasync();
  }

  /** A failed write leaves the file in doubt: refuse everything until the log is reopened (and recovered). */
  private async fail(cause: unknown, batch: PendingAppend<T>[]): Promise<void> {
    const error = new LogClosedError(
      `the log at ${this.dir} failed to write (${(cause as Error)?.message ?? String(cause)}) and closed itself; ` +
        'open it again to recover',
      { cause },
    );
    const failed = batch.concat(this.pending.splice(0));
    this.index.close(error);
    for (const item of failed) item.reject(error);
    await this.active?.handle.close().catch(() => undefined);
    this.active = undefined;
    await this.releaseLock();
  }

  read(options?: ReadOptions): AsyncIterable<LogEntry<T>> {
    return this.index.read(options);
  }

  subscribe(from: Revision): Observable<LogEntry<T>> {
    return this.index.subscribe(from);
  }

  async head(): Promise<Revision> {
    this.usable();
    return this.index.head;
  }

  compact(before: Revision): Promise<void> {
    try {
      this.usable();
      if (!this.index.checkCompact(before)) return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.clock.track(
      this.exclusive(async () => {
        this.index.assertOpen();
        if (!this.index.checkCompact(before)) return;
        await this.rewrite(before);
      }),
    );
  }

  /**
   * Writes the survivors as a new generation of segments, then switches the
   * manifest to it in one rename: a crash at any point leaves one whole
   * generation, the old or the new.
   */
  private async rewrite(before: Revision): Promise<void> {
    const survivors = this.index.survivors(before);
    const generation = this.generation + 1;
    const written: string[] = [];
    let segment: ActiveSegment | undefined;
    try {
      let chunk: Buffer[] = [];
      let chunkBytes = 0;
      const flushChunk = async (target: ActiveSegment) => {
        if (chunkBytes === 0) return;
        const bytes = Buffer.concat(chunk, chunkBytes);
        await writeAll(target.handle, bytes, target.size);
        target.size += bytes.length;
        chunk = [];
        chunkBytes = 0;
      };
      const startSegment = async (firstRevision: number) => {
        if (segment) {
          await flushChunk(segment);
          await segment.handle.datasync();
          await segment.handle.close();
        }
        written.push(segmentName(generation, firstRevision));
        segment = await this.createSegment(generation, firstRevision);
        return segment;
      };
      let current = await startSegment(survivors[0]?.revision ?? this.index.head + 1);
      for (const entry of survivors) {
        const record = encodeRecord(entry, JSON.stringify(entry.data));
        const size = current.size + chunkBytes;
        if (size > SEGMENT_HEADER.length && size + record.length > this.segmentBytes) {
          current = await startSegment(entry.revision);
        }
        chunk.push(record);
        chunkBytes += record.length;
        if (chunkBytes >= 1 << 20) await flushChunk(current);
      }
      await flushChunk(current);
      await current.handle.datasync();
      await syncDir(this.dir);
      const manifestPath = join(this.dir, MANIFEST);
      const manifest: Manifest = { generation, compactedBefore: before };
      await writeFile(`${manifestPath}.tmp`, JSON.stringify(manifest), { flush: true });
      await rename(`${manifestPath}.tmp`, manifestPath);
      await syncDir(this.dir);
    } catch (error) {
      // The manifest still names the old generation: drop the partial new one and carry on with the old.
      await segment?.handle.close().catch(() => undefined);
      for (const name of written) await unlink(join(this.dir, name)).catch(() => undefined);
      throw error;
    }

    // The new generation is now the log; the old files are garbage.
    const oldActive = this.active;
    const oldSegments = this.segments;
    this.active = segment;
    this.segments = written;
    this.generation = generation;
    this.index.applyCompaction(before, survivors);
    await oldActive?.handle.close().catch(() => undefined);
    for (const name of oldSegments) await unlink(join(this.dir, name)).catch(() => undefined);
  }

  close(): Promise<void> {
    this.closing ??= this.clock.track(
      this.exclusive(async () => {
        if (this.index.closed) return;
        this.index.close();
        const active = this.active;
        this.active = undefined;
        if (active) {
          if (this.fsync !== 'never') await active.handle.datasync();
          await active.handle.close();
        }
        await this.releaseLock();
      }),
    );
    return this.closing;
  }
}

/**
 * Opens (or creates) a log in `dir`: segment files of length-prefixed,
 * CRC-32-checked records. Opening recovers from a crash by cutting a torn
 * tail (see {@link FileLog.recovery}); damage before the tail is a
 * `CorruptLogError`. One writer at a time: a second open fails with
 * `LogLockedError` until the first is closed (or its process is gone).
 *
 * @example
 * ```ts
 * const log = await openFileLog('./data/log', { fsync: 'batch' });
 * await log.append({ key: 'pods/a', type: 'Pod', time: Date.now(), data: { phase: 'Pending' } });
 * await log.close();
 * ```
 */
export async function openFileLog<T = unknown>(dir: string, options: FileLogOptions = {}): Promise<FileLog<T>> {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new InvalidError('openFileLog: dir must be a non-empty path to a directory');
  }
  checkOptions(options);
  await mkdir(dir, { recursive: true });
  const release = await acquireLock(dir);
  const log = new FileEventLog<T>(dir, options, release);
  try {
    await log.load();
  } catch (error) {
    await release();
    throw error;
  }
  return log;
}
