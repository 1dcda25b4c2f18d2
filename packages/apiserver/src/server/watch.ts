import type { KubeObject, WatchEvent, WatchOptions } from '@keelson/core';
import { type Call, representationOf, TABLE_CONTENT_TYPE, tableOf, typeOf } from './call';
import { selectorsOf } from './crud';
import { flag, integer } from './http';
import { HttpError, statusOf } from './status';

/** Without `timeoutSeconds`, a watch ends after this long (Kubernetes' --min-request-timeout). */
export const DEFAULT_WATCH_TIMEOUT_SECONDS = 1800;

/** Open watches, per user and in all, so the server can bound them and end them on close. */
export class WatchRegistry {
  private readonly perUser = new Map<string, number>();
  private readonly open = new Set<() => void>();

  constructor(private readonly maxPerUser: number) {}

  /** Counts a new watch for `user`, or refuses with a 429 when the user holds too many. */
  acquire(user: string, end: () => void): () => void {
    const count = this.perUser.get(user) ?? 0;
    if (count >= this.maxPerUser) {
      throw new HttpError(
        429,
        'TooManyRequests',
        `too many open watches for user "${user}" (limit ${this.maxPerUser}): close some before opening more`,
        { retryAfterSeconds: 1 },
      );
    }
    this.perUser.set(user, count + 1);
    this.open.add(end);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.open.delete(end);
      const left = (this.perUser.get(user) ?? 1) - 1;
      if (left === 0) this.perUser.delete(user);
      else this.perUser.set(user, left);
    };
  }

  /** Ends every open watch. */
  closeAll(): void {
    for (const end of [...this.open]) end();
  }
}

/**
 * `?watch=1`: a chunked stream of `{"type","object"}` lines. Without a
 * resourceVersion (or "0", or with `sendInitialEvents`), an ADDED per existing
 * object first — then, with `sendInitialEvents`, a BOOKMARK marked
 * `k8s.io/initial-events-end`. A compacted resourceVersion is an ERROR event
 * carrying a 410 Expired Status, as Kubernetes sends it.
 */
export async function watchObjects(call: Call, registry: WatchRegistry): Promise<void> {
  const type = typeOf(call);
  const { response } = call;
  const rv = call.query.get('resourceVersion') ?? '';
  const sendInitial = flag(call.query, 'sendInitialEvents');
  const bookmarks = flag(call.query, 'allowWatchBookmarks');
  const timeout = integer(call.query, 'timeoutSeconds') ?? DEFAULT_WATCH_TIMEOUT_SECONDS;
  const table = representationOf(call.request) === 'Table';
  if (sendInitial && !bookmarks) {
    throw new HttpError(400, 'BadRequest', 'allowWatchBookmarks: must be true when sendInitialEvents is set');
  }
  const selectors = selectorsOf(call);
  const options: WatchOptions = { namespace: call.path.namespace, ...selectors, allowBookmarks: bookmarks };
  const initial: KubeObject[] = [];
  if (rv === '' || rv === '0' || sendInitial) {
    const listed = await call.store.list(type, { namespace: call.path.namespace, ...selectors });
    initial.push(...listed.items);
    options.resourceVersion = listed.resourceVersion;
  } else {
    options.resourceVersion = rv;
  }

  let ended = false;
  let unsubscribe = () => {};
  let timer: ReturnType<typeof call.store.clock.setTimeout> | undefined;
  const end = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    if (timer !== undefined) call.store.clock.clearTimeout(timer);
    release();
    if (!response.writableEnded) response.end();
  };
  const release = registry.acquire(call.user.username, end);
  response.writeHead(200, {
    'Content-Type': table ? TABLE_CONTENT_TYPE : 'application/json',
    'Transfer-Encoding': 'chunked',
    'Cache-Control': 'no-cache, private',
  });
  response.flushHeaders();
  response.on('close', end);

  let first = true;
  const write = (event: { type: string; object: unknown }) => {
    if (!ended) response.write(`${JSON.stringify(event)}\n`);
  };
  const objectOf = (event: WatchEvent<KubeObject>): unknown => {
    if (!table || event.type === 'BOOKMARK') return event.object;
    const rows = tableOf(call, [event.object]);
    if (!first) rows.columnDefinitions = [];
    first = false;
    return rows;
  };
  for (const object of initial) write({ type: 'ADDED', object: objectOf({ type: 'ADDED', object }) });
  if (sendInitial) {
    write({
      type: 'BOOKMARK',
      object: {
        apiVersion: type.apiVersion,
        kind: type.kind,
        metadata: { resourceVersion: options.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } },
      },
    });
  }
  const subscription = call.store.watch(type, options).subscribe({
    next: (event) => write({ type: event.type, object: objectOf(event) }),
    error: (error: unknown) => {
      write({ type: 'ERROR', object: statusOf(error) });
      end();
    },
    complete: end,
  });
  unsubscribe = () => subscription.unsubscribe();
  if (ended) subscription.unsubscribe();
  timer = call.store.clock.setTimeout(end, timeout * 1000);
}
