import { mkdir, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '@keelson/clock';
import type { Observable } from 'rxjs';
import { EntryIndex } from '../EntryIndex';
import { checkEntry, DEFAULT_MAX_ENTRY_BYTES, sealEntry } from '../entry';
import { InvalidError, LogClosedError } from '../errors';
import type { AppendOptions, LogEntry, NewLogEntry, ReadOptions, Revision } from '../types';
import { encodeBlocks, encodeRecord } from './block';
import { type ActiveSegment, rewriteGeneration } from './compaction';
import { FORMAT_VERSION, parseSegmentName, SEGMENT_HEADER_BYTES, segmentHeader, segmentName } from './format';
import { readManifest, syncDir, writeAll } from './fsio';
import { acquireLock } from './lock';
import { checkOptions, type FileLog, type FileLogOptions, type FsyncMode, type RecoveryReport } from './options';
import { readSegments } from './readSegments';

interface PendingAppend<T> {
  entry: LogEntry<T>;
  bytes: Buffer;
  resolve: (entry: LogEntry<T>) => void;
  reject: (error: unknown) => void;
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
    const manifest = await readManifest(this.dir);
    this.generation = manifest.generation;
    const names: string[] = [];
    for (const name of await readdir(this.dir)) {
      const parsed = parseSegmentName(name);
      const leftover = (parsed !== undefined && parsed.generation !== this.generation) || name.endsWith('.seg.tmp');
      if (leftover) await unlink(join(this.dir, name));
      else if (parsed) names.push(name);
    }
    names.sort();
    const read = await readSegments(names.map((name) => join(this.dir, name)));
    const last = names.at(-1);
    if (last !== undefined && read.torn) {
      this.recovery = { segment: join(this.dir, last), ...read.torn };
      await this.cutTornTail(join(this.dir, last), read.torn.offset, read.lastVersion ?? FORMAT_VERSION);
    }
    this.index.load(read.entries as LogEntry<T>[], manifest.compactedBefore);
    this.segments = names;
    if (last !== undefined && read.lastVersion !== FORMAT_VERSION && read.lastEntries === 0) {
      // An empty segment of an older format: start it again in this one.
      this.segments.pop();
      await unlink(join(this.dir, last));
    }
    if (this.segments.length === 0 || read.lastVersion !== FORMAT_VERSION) {
      // Appends go to a segment of the current format; older segments stay as they are, read-only.
      this.active = await this.createSegment(this.generation, this.index.head + 1);
    } else {
      const handle = await open(join(this.dir, last as string), 'r+');
      this.active = { handle, size: (await handle.stat()).size };
    }
  }

  private async cutTornTail(path: string, offset: number, version: number): Promise<void> {
    const handle = await open(path, 'r+');
    try {
      if (offset < SEGMENT_HEADER_BYTES) {
        // Crashed while creating the segment: give it its header back.
        await handle.truncate(0);
        await writeAll(handle, segmentHeader(version), 0);
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
    await writeAll(handle, segmentHeader(), 0);
    await handle.sync();
    await syncDir(this.dir);
    if (generation === this.generation) this.segments.push(name);
    return { handle, size: SEGMENT_HEADER_BYTES };
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
    const bytes = encodeBlocks(batch.map((p) => p.bytes));
    let active = this.active as ActiveSegment;
    if (active.size > SEGMENT_HEADER_BYTES && active.size + bytes.length > this.segmentBytes) {
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

  /** Writes the survivors as a new generation of segments, then drops the old one. */
  private async rewrite(before: Revision): Promise<void> {
    const survivors = this.index.survivors(before);
    const generation = this.generation + 1;
    const target = {
      dir: this.dir,
      segmentBytes: this.segmentBytes,
      createSegment: (gen: number, first: number) => this.createSegment(gen, first),
    };
    const { names, active } = await rewriteGeneration(target, generation, before, survivors, this.index.head + 1);
    // The new generation is now the log; the old files are garbage.
    const oldActive = this.active;
    const oldSegments = this.segments;
    this.active = active;
    this.segments = names;
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
 * Opens (or creates) a log in `dir`: segment files of CRC-32-checked blocks
 * of binary records (format version {@link FORMAT_VERSION}; segments of
 * version 1 are still read). Opening recovers from a crash by cutting a torn
 * tail (see {@link FileLog.recovery}); damage before the tail is a
 * `CorruptLogError`. One writer at a time: a second open fails with
 * `LogLockedError` until the first is closed (or its process is gone).
 *
 * @example
 * ```ts
 * const clock = new VirtualClock(Date.UTC(2026, 0, 1));
 * const log = await openFileLog('./data/log', { fsync: 'batch', clock });
 * await log.append({ key: 'pods/a', type: 'Pod', time: clock.now(), data: { phase: 'Pending' } });
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

export type { FileLog, FileLogOptions, FsyncMode, RecoveryReport } from './options';
