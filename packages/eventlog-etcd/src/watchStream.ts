import type { EventEmitter } from 'node:events';
import type { IEvent, IWatchResponse } from 'etcd3';
import type { Connection } from './connection';

/** @internal What a watch stream reports. */
export interface WatchHandlers {
  /** The events of one watch response (fragments joined): whole revisions, in revision order. */
  events(events: IEvent[]): void;
  /** etcd refused the start revision: history before `compactRevision` is gone. Terminal. */
  compacted(compactRevision: number): void;
  /** The stream failed or ended; the owner resumes on a new one. Terminal. */
  broken(error: Error): void;
  /** etcd cancelled the watch for a reason a new one would meet too (permission denied …). Terminal. */
  refused(error: Error): void;
}

/** @internal A watch that can be cancelled. */
export interface WatchStream {
  close(): void;
}

/**
 * @internal One etcd watch on its own gRPC stream, from `startRevision`, with
 * prevKV. The etcd3 client's own watchers resume at the response header's
 * revision, which during catch-up is ahead of the events sent so far (a gap
 * after a reconnect) and drop etcd's compact revision; this raw stream leaves
 * resuming to its owner, who knows the last revision delivered.
 */
export async function openWatch(
  connection: Connection,
  range: { key: Buffer; end: Buffer },
  startRevision: number,
  handlers: WatchHandlers,
): Promise<WatchStream> {
  const stream = await connection.client.watchClient.watch();
  // The client marks the host failed on any stream error, cancellation included, and that
  // closes every other call on the host; this stream's errors are the owner's business.
  (stream as unknown as EventEmitter).removeAllListeners('error');
  let done = false;
  let fragments: IEvent[] = [];
  const finish = () => {
    if (done) return false;
    done = true;
    stream.cancel();
    return true;
  };
  stream.on('data', (response: IWatchResponse) => {
    if (done) return;
    const compactRevision = Number(response.compact_revision);
    if (compactRevision > 0) {
      if (finish()) handlers.compacted(compactRevision);
      return;
    }
    if (response.canceled) {
      if (!finish()) return;
      const reason = response.cancel_reason || 'no reason given';
      const error = new Error(`etcd cancelled the watch: ${reason}`);
      // A member that lost its leader cancels its watches; another member (or later) will serve.
      if (/no leader|no reason given/.test(reason)) handlers.broken(error);
      else handlers.refused(error);
      return;
    }
    if (response.fragment || fragments.length > 0) {
      for (const event of response.events) fragments.push(event);
      if (response.fragment) return;
    }
    const events = fragments.length > 0 ? fragments : response.events;
    fragments = [];
    // Progress notifications carry no events.
    if (events.length > 0) handlers.events(events);
  });
  stream.on('error', (error: Error) => {
    if (finish()) handlers.broken(error);
  });
  stream.on('end', () => {
    if (finish()) handlers.broken(new Error('etcd ended the watch stream'));
  });
  stream.write({
    create_request: {
      key: range.key,
      range_end: range.end,
      start_revision: startRevision,
      prev_kv: true,
      fragment: true,
    },
  });
  return {
    close() {
      finish();
    },
  };
}
