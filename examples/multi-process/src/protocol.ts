/** What the main process asks a worker, over the IPC channel of `child_process`. */
export type Command =
  | { id: number; op: 'history' }
  | { id: number; op: 'relabel'; name: string; resourceVersion: string; value: string }
  | { id: number; op: 'exit' };

/** An error as it crosses the process boundary: its class name and Keelson code. */
export interface ErrorReport {
  name: string;
  code: string;
  message: string;
}

/** What a worker sends back: answers to commands, and what happens to it. */
export type WorkerMessage =
  | { kind: 'reply'; id: number; result?: unknown; error?: ErrorReport }
  | { kind: 'event'; event: 'ready' | 'leading' | 'stopped-leading'; identity: string; at: number };

/** One change a process saw, as `<resourceVersion> <type> <name>`. */
export type SeenChange = string;
