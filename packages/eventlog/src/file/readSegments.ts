import { open } from 'node:fs/promises';
import type { LogEntry } from '../types';
import { BlockDecoder } from './blockDecoder';
import { SEGMENT_HEADER_BYTES, segmentVersion, type TornTail, tornOrCorrupt } from './format';
import { decodeSegmentV1 } from './recordV1';

/** Segments are read in chunks of this size, one read always in flight ahead of decoding. */
const CHUNK_BYTES = 4 << 20;

/** One segment file as the reader fills it in. */
interface Source {
  path: string;
  buf: Buffer;
  size: number;
  /** Bytes of `buf` read so far. */
  available: number;
  done: boolean;
}

/** @internal What the segments held. */
export interface ReadResult {
  entries: LogEntry<unknown>[];
  /** A torn tail at the end of the last segment, to cut off. */
  torn: TornTail | undefined;
  /** The format version of the last segment (undefined when there is none). */
  lastVersion: number | undefined;
  /** How many entries the last segment held. */
  lastEntries: number;
}

/**
 * Reads the segments in order, in chunks, always ahead of the decoding: while
 * the decoder works on what has arrived, the next chunk (of this segment or
 * the next) is being read. Entries keep references into the bytes, so reading
 * ahead costs no memory the log would not hold anyway.
 */
class ReadAhead {
  readonly sources: Source[];
  error: unknown;
  private stopped = false;
  private waiters: Array<() => void> = [];
  readonly finished: Promise<void>;

  constructor(paths: readonly string[]) {
    this.sources = paths.map((path) => ({ path, buf: Buffer.alloc(0), size: -1, available: 0, done: false }));
    this.finished = this.run().catch((error: unknown) => {
      this.error = error;
      this.notify();
    });
  }

  stop(): void {
    this.stopped = true;
  }

  /** Resolves at the reader's next progress (a chunk read, a file done, or a failure). */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private async run(): Promise<void> {
    for (const source of this.sources) {
      if (this.stopped) return;
      const handle = await open(source.path, 'r');
      try {
        source.size = (await handle.stat()).size;
        source.buf = Buffer.allocUnsafe(source.size);
        while (source.available < source.size && !this.stopped) {
          const length = Math.min(CHUNK_BYTES, source.size - source.available);
          const { bytesRead } = await handle.read(source.buf, source.available, length, source.available);
          if (bytesRead === 0) {
            // The file is shorter than it was at stat(): take what is there.
            source.size = source.available;
            source.buf = source.buf.subarray(0, source.size);
          }
          source.available += bytesRead;
          this.notify();
        }
      } finally {
        await handle.close();
      }
      source.done = true;
      this.notify();
    }
  }
}

async function progress(reader: ReadAhead, source: Source): Promise<void> {
  if (reader.error !== undefined) throw reader.error;
  if (source.done) return;
  await reader.changed();
  if (reader.error !== undefined) throw reader.error;
}

async function readOne(reader: ReadAhead, source: Source, isLast: boolean, result: ReadResult): Promise<void> {
  while (!source.done && source.available < SEGMENT_HEADER_BYTES) await progress(reader, source);
  const { path } = source;
  if (source.size < SEGMENT_HEADER_BYTES) {
    result.torn = tornOrCorrupt(path, source.size, isLast, 0, 'incomplete segment header', true);
    result.lastVersion = 2;
    return;
  }
  const version = segmentVersion(path, source.buf.subarray(0, SEGMENT_HEADER_BYTES));
  result.lastVersion = version;
  const after = result.entries.at(-1)?.revision ?? 0;
  const before = result.entries.length;
  if (version === 1) {
    while (!source.done) await progress(reader, source);
    result.torn = decodeSegmentV1(path, source.buf, isLast, after, result.entries);
  } else {
    const decoder = new BlockDecoder(path, source.buf, source.size, isLast, after, result.entries);
    for (;;) {
      decoder.feed(source.available);
      if (source.done) break;
      await progress(reader, source);
    }
    result.torn = decoder.finish();
  }
  result.lastEntries = result.entries.length - before;
}

/**
 * @internal Reads and decodes the segments at `paths`, in revision order. The
 * last may end in a torn tail (returned, not yet cut); damage anywhere else is
 * `CorruptLogError`, and a segment of an unknown version `UnsupportedLogFormatError`.
 */
export async function readSegments(paths: readonly string[]): Promise<ReadResult> {
  const result: ReadResult = { entries: [], torn: undefined, lastVersion: undefined, lastEntries: 0 };
  const reader = new ReadAhead(paths);
  try {
    for (let i = 0; i < reader.sources.length; i++) {
      await readOne(reader, reader.sources[i] as Source, i === reader.sources.length - 1, result);
    }
  } finally {
    reader.stop();
    await reader.finished;
  }
  if (reader.error !== undefined) throw reader.error;
  return result;
}
