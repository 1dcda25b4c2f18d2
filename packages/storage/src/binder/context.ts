/** What every step of the PV controller's sync is handed. */
import type { Cache, Client, Recorder } from '@keelson/controller';
import type { KubeObject, Logger } from '@keelson/core';
import type { OperationBackoff } from '../operationBackoff';
import type { Provisioner } from '../provisioner/types';

/** The PV controller's view of the world for one sync. */
export interface BinderContext {
  client: Client;
  cache: Cache;
  /** Records events; a missing recorder drops them. */
  event(object: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
  /** The clock's time as RFC 3339 (`metav1.Time`). */
  now(): string;
  provisioners: ReadonlyMap<string, Provisioner>;
  signal: AbortSignal;
  /** Failed provisions and deletes, and when each may run again. */
  backoff: OperationBackoff;
  /** Asks for this key to be synced again after `ms` (the soonest request wins). */
  retryAfter(ms: number): void;
}

/** Runs a provision or delete under the controller's backoff, asking for a retry when it failed or must wait. */
export async function runOperation(context: BinderContext, key: string, operation: () => Promise<void>): Promise<void> {
  const retry = await context.backoff.run(key, context.signal, operation);
  if (retry !== undefined) context.retryAfter(retry);
}

/** An event sink over an optional recorder; each event is also a log line (Warning at `warn`, Normal at `info`). */
export function eventSink(recorder: Recorder | undefined, logger: Logger): BinderContext['event'] {
  return async (object, type, reason, message) => {
    const { name, namespace } = object.metadata;
    const fields = { kind: object.kind, object: namespace ? `${namespace}/${name}` : name, reason };
    if (type === 'Warning') logger.warn(fields, message);
    else logger.info(fields, message);
    await recorder?.event(object, type, reason, message);
  };
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
