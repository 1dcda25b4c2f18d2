import type { ContainerEventResponse, ContainerEventsOptions, ContainerEventType, CriError } from '@keelson/cri';
import { type ContainerRecord, copy, nowNanos, type RuntimeContext } from './context';
import { sandboxContainerStatuses, sandboxStatusOf } from './statuses';

interface Subscriber {
  push(event: ContainerEventResponse): void;
  fail(error: CriError): void;
}

/**
 * Fans container events out to every live `getContainerEvents` stream. Each
 * stream buffers what it has not read yet (nothing is dropped) and starts
 * receiving at its first `next()`.
 */
export class ContainerEventHub {
  private readonly subscribers = new Set<Subscriber>();

  /** Delivers `event` to every subscriber, each its own copy. */
  publish(event: ContainerEventResponse): void {
    for (const subscriber of this.subscribers) subscriber.push(copy(event));
  }

  /** Ends every live stream with `error` (the runtime went down: the gRPC streams break). */
  failAll(error: CriError): void {
    for (const subscriber of [...this.subscribers]) subscriber.fail(error);
  }

  /** Number of live streams. */
  get size(): number {
    return this.subscribers.size;
  }

  /**
   * A stream of events. `subscribe` runs at the first `next()` and may throw
   * (the runtime is down), which rejects that `next()`.
   */
  stream(options: ContainerEventsOptions | undefined, check: () => void): AsyncIterable<ContainerEventResponse> {
    return { [Symbol.asyncIterator]: () => this.iterator(options?.signal, check) };
  }

  private iterator(signal: AbortSignal | undefined, check: () => void): AsyncIterator<ContainerEventResponse> {
    const hub = this;
    const queue: ContainerEventResponse[] = [];
    let started = false;
    let finished = false;
    let failure: CriError | undefined;
    let waiting:
      | { resolve(result: IteratorResult<ContainerEventResponse>): void; reject(e: unknown): void }
      | undefined;

    const subscriber: Subscriber = {
      push(event) {
        if (waiting === undefined) queue.push(event);
        else settle().resolve({ value: event, done: false });
      },
      fail(error) {
        hub.subscribers.delete(subscriber);
        if (waiting === undefined) failure = error;
        else {
          finished = true;
          settle().reject(error);
        }
      },
    };
    const settle = () => {
      const pending = waiting as NonNullable<typeof waiting>;
      waiting = undefined;
      return pending;
    };
    const finish = (): IteratorResult<ContainerEventResponse> => {
      finished = true;
      queue.length = 0;
      hub.subscribers.delete(subscriber);
      signal?.removeEventListener('abort', finish);
      if (waiting !== undefined) settle().resolve({ value: undefined, done: true });
      return { value: undefined, done: true };
    };

    return {
      next() {
        if (!started && !finished) {
          started = true;
          if (signal?.aborted) return Promise.resolve(finish());
          try {
            check();
          } catch (error) {
            finished = true;
            return Promise.reject(error);
          }
          hub.subscribers.add(subscriber);
          signal?.addEventListener('abort', finish, { once: true });
        }
        const event = queue.shift();
        if (event !== undefined) return Promise.resolve({ value: event, done: false });
        if (failure !== undefined) {
          const error = failure;
          failure = undefined;
          finished = true;
          return Promise.reject(error);
        }
        if (finished) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
          waiting = { resolve, reject };
        });
      },
      return() {
        return Promise.resolve(finish());
      },
    };
  }
}

/**
 * Records and publishes a transition of `record`, with its sandbox's status
 * and every container of the sandbox as of now.
 */
export function emitContainerEvent(ctx: RuntimeContext, record: ContainerRecord, type: ContainerEventType): void {
  const createdAt = nowNanos(ctx.clock);
  ctx.history.push({ type, containerId: record.id, podSandboxId: record.sandboxId, createdAt });
  if (ctx.events.size === 0) return;
  const sandbox = ctx.sandboxes.get(record.sandboxId);
  ctx.events.publish({
    containerId: record.id,
    containerEventType: type,
    createdAt,
    ...(sandbox === undefined ? {} : { podSandboxStatus: sandboxStatusOf(sandbox) }),
    containersStatuses: sandbox === undefined ? [] : sandboxContainerStatuses(ctx, sandbox),
  });
}
