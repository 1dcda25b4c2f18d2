import { type FileHandle, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogEntry } from '../types';
import { encodeBlocks, encodeRecord } from './block';
import { SEGMENT_HEADER_BYTES, segmentName } from './format';
import { syncDir, writeAll, writeManifest } from './fsio';

/** @internal A segment open for writing. */
export interface ActiveSegment {
  handle: FileHandle;
  size: number;
}

/** @internal What a compaction needs from the log. */
export interface RewriteTarget {
  dir: string;
  segmentBytes: number;
  /** Creates (and syncs) an empty segment of `generation` starting at `firstRevision`. */
  createSegment(generation: number, firstRevision: number): Promise<ActiveSegment>;
}

/** Records are written in blocks of about this much per write. */
const WRITE_BYTES = 1 << 20;

/**
 * @internal Writes `survivors` as the segments of `generation`, then switches
 * the manifest to it in one rename: a crash at any point leaves one whole
 * generation, the old or the new. Returns the new segments' names and the
 * last one, open for appends; on failure removes what it wrote.
 */
export async function rewriteGeneration(
  target: RewriteTarget,
  generation: number,
  before: number,
  survivors: readonly LogEntry<unknown>[],
  nextRevision: number,
): Promise<{ names: string[]; active: ActiveSegment }> {
  const written: string[] = [];
  let segment: ActiveSegment | undefined;
  try {
    let chunk: Buffer[] = [];
    let chunkBytes = 0;
    const flushChunk = async (into: ActiveSegment) => {
      if (chunkBytes === 0) return;
      const bytes = encodeBlocks(chunk);
      await writeAll(into.handle, bytes, into.size);
      into.size += bytes.length;
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
      segment = await target.createSegment(generation, firstRevision);
      return segment;
    };
    let current = await startSegment(survivors[0]?.revision ?? nextRevision);
    for (const entry of survivors) {
      const record = encodeRecord(entry, JSON.stringify(entry.data));
      const size = current.size + chunkBytes;
      if (size > SEGMENT_HEADER_BYTES && size + record.length > target.segmentBytes) {
        current = await startSegment(entry.revision);
      }
      chunk.push(record);
      chunkBytes += record.length;
      if (chunkBytes >= WRITE_BYTES) await flushChunk(current);
    }
    await flushChunk(current);
    await current.handle.datasync();
    await syncDir(target.dir);
    await writeManifest(target.dir, { generation, compactedBefore: before });
    return { names: written, active: current };
  } catch (error) {
    // The manifest still names the old generation: drop the partial new one and carry on with the old.
    await (segment as ActiveSegment | undefined)?.handle.close().catch(() => undefined);
    for (const name of written) await unlink(join(target.dir, name)).catch(() => undefined);
    throw error;
  }
}
