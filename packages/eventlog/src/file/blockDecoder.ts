import { CorruptLogError } from '../errors';
import type { LogEntry } from '../types';
import { BLOCK_HEADER_BYTES, RECORD_HEADER_BYTES } from './block';
import { crc32 } from './crc32';
import { internKey, isZero, parseMeta, SEGMENT_HEADER_BYTES, type TornTail, tornOrCorrupt } from './format';
import { recordEntry } from './storedEntry';

const TOMBSTONE = 1;
const HAS_META = 2;

interface Problem {
  offset: number;
  reason: string;
  tail: () => boolean;
}

/** Whether `buf[a, a + n)` equals `buf[b, b + n)`: short strings compare faster here than natively. */
function sameBytes(buf: Buffer, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

/**
 * @internal Decodes a format version 2 segment as its bytes arrive: `feed`
 * takes every whole block read so far, `finish` (once the whole file is in
 * `buf`) settles a bad span at the end: a torn tail of the last segment, or
 * `CorruptLogError` naming the segment and the damaged block's offset.
 */
export class BlockDecoder {
  private offset = SEGMENT_HEADER_BYTES;
  private problem: Problem | undefined;
  private lastType = '';
  private lastTypeAt = -1;
  private lastTypeBytes = -1;
  private lastMeta: Readonly<Record<string, string>> | undefined;
  private lastMetaAt = -1;
  private lastMetaBytes = -1;

  constructor(
    private readonly file: string,
    private readonly buf: Buffer,
    private readonly size: number,
    private readonly isLast: boolean,
    private last: number,
    private readonly out: LogEntry<unknown>[],
  ) {}

  /** The revision of the last entry decoded. */
  get lastRevision(): number {
    return this.last;
  }

  private fail(offset: number, reason: string, tail: () => boolean): void {
    // Only the last segment may end in a torn write; in any other, damage is corruption at once.
    if (!this.isLast) throw new CorruptLogError(this.file, offset, reason);
    this.problem = { offset, reason, tail };
  }

  /** Decodes every whole block in `buf[.., available)`. */
  feed(available: number): void {
    const { buf, size } = this;
    while (this.problem === undefined && available - this.offset >= BLOCK_HEADER_BYTES) {
      const at = this.offset;
      if (crc32(buf.subarray(at, at + 12)) !== buf.readUInt32LE(at + 12)) {
        this.fail(at, 'block header checksum mismatch', () => isZero(buf, at + BLOCK_HEADER_BYTES, size));
        return;
      }
      const bodyBytes = buf.readUInt32LE(at);
      const end = at + BLOCK_HEADER_BYTES + bodyBytes;
      if (end > size) {
        this.fail(at, 'block runs past the end of the file', () => true);
        return;
      }
      if (end > available) return;
      if (crc32(buf.subarray(at + BLOCK_HEADER_BYTES, end)) !== buf.readUInt32LE(at + 8)) {
        this.fail(at, 'block checksum mismatch', () => end >= size || isZero(buf, end, size));
        return;
      }
      this.records(at, buf.readUInt32LE(at + 4), end);
      this.offset = end;
    }
  }

  /** Called once `buf` holds the whole file: the torn tail to cut, if any. */
  finish(): TornTail | undefined {
    const { size } = this;
    this.feed(size);
    const problem =
      this.problem ??
      (this.offset < size ? { offset: this.offset, reason: 'incomplete block header', tail: () => true } : undefined);
    if (problem === undefined) return undefined;
    return tornOrCorrupt(this.file, size, this.isLast, problem.offset, problem.reason, problem.tail());
  }

  private corrupt(at: number, reason: string): never {
    throw new CorruptLogError(this.file, at, `the block passes its checksum but ${reason}`);
  }

  /** The records of a block whose checksum passed: any framing error now is corruption, not a torn write. */
  private records(blockAt: number, count: number, end: number): void {
    const { buf, out } = this;
    let at = blockAt + BLOCK_HEADER_BYTES;
    for (let i = 0; i < count; i++) {
      if (end - at < RECORD_HEADER_BYTES) this.corrupt(at, `record ${i} of ${count} does not fit`);
      const revision = buf.readDoubleLE(at);
      const keyAt = at + RECORD_HEADER_BYTES;
      const typeAt = keyAt + buf.readUInt32LE(at + 16);
      const typeBytes = buf.readUInt32LE(at + 20);
      const metaAt = typeAt + typeBytes;
      const metaBytes = buf.readUInt32LE(at + 24);
      const dataAt = metaAt + metaBytes;
      const dataEnd = dataAt + buf.readUInt32LE(at + 28);
      const flags = buf.readUInt32LE(at + 32);
      if (dataEnd > end) this.corrupt(at, `record ${i} of ${count} runs past the block`);
      if ((flags & ~(TOMBSTONE | HAS_META)) !== 0) this.corrupt(at, `record ${i} has unknown flags ${flags}`);
      if (!Number.isSafeInteger(revision) || revision <= this.last) {
        this.corrupt(at, `revision ${revision} does not follow revision ${this.last}`);
      }
      const key = internKey(buf.toString('utf8', keyAt, typeAt));
      if (typeBytes !== this.lastTypeBytes || !sameBytes(buf, this.lastTypeAt, typeAt, typeBytes)) {
        this.lastType = buf.toString('utf8', typeAt, metaAt);
        this.lastTypeBytes = typeBytes;
      }
      this.lastTypeAt = typeAt;
      let meta: Readonly<Record<string, string>> | undefined;
      if (flags & HAS_META) {
        if (metaBytes !== this.lastMetaBytes || !sameBytes(buf, this.lastMetaAt, metaAt, metaBytes)) {
          try {
            this.lastMeta = parseMeta(buf.toString('utf8', metaAt, dataAt));
          } catch {
            this.corrupt(at, `record ${i}'s meta is not JSON`);
          }
          this.lastMetaBytes = metaBytes;
        }
        this.lastMetaAt = metaAt;
        meta = this.lastMeta;
      }
      out.push(recordEntry(revision, key, this.lastType, (flags & TOMBSTONE) !== 0, meta, buf, at));
      this.last = revision;
      at = dataEnd;
    }
    if (at !== end) this.corrupt(at, `${end - at} bytes follow its ${count} records`);
  }
}
