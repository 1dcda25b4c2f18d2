import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { systemClock } from '@keelson/clock';
import type { Command, ErrorReport, WorkerMessage } from './protocol';

type WorkerEvent = Extract<WorkerMessage, { kind: 'event' }>;
/** A command as the caller writes it; the handle numbers it. */
type WithoutId<C> = C extends Command ? Omit<C, 'id'> : never;
type Request = WithoutId<Command>;

const exampleDir = fileURLToPath(new URL('..', import.meta.url));
const workerScript = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** A command a worker answered with an error: the error's class name and code, as the worker saw them. */
export class WorkerError extends Error {
  readonly errorName: string;
  readonly code: string;
  constructor(report: ErrorReport) {
    super(report.message);
    this.errorName = report.name;
    this.code = report.code;
  }
}

/**
 * The main process's handle on one worker: a Node process running
 * `worker.ts` through tsx, spoken to over the IPC channel.
 */
export class WorkerProcess {
  readonly events: WorkerEvent[] = [];
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (message: Extract<WorkerMessage, { kind: 'reply' }>) => void>();
  private listeners: Array<() => void> = [];
  private nextId = 1;
  private stderr = '';
  private alive = true;

  constructor(
    readonly identity: string,
    endpoints: readonly string[],
    prefix: string,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', workerScript, identity, endpoints.join(','), prefix], {
      cwd: exampleDir,
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', () => {
        this.alive = false;
        for (const listener of this.listeners) listener();
        resolve();
      }),
    );
    this.child.on('message', (message: WorkerMessage) => {
      if (message.kind === 'reply') this.pending.get(message.id)?.(message);
      else this.events.push(message);
      for (const listener of this.listeners) listener();
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4_000);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get running(): boolean {
    return this.alive;
  }

  /** Sends a command; resolves with the worker's answer, rejects with a {@link WorkerError}. */
  send<R>(request: Request): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      if (!this.alive || !this.child.connected) {
        reject(new Error(`${this.identity} is not running`));
        return;
      }
      this.pending.set(id, (reply) => {
        this.pending.delete(id);
        if (reply.error) reject(new WorkerError(reply.error));
        else resolve(reply.result as R);
      });
      this.child.send({ ...request, id } as Command);
    });
  }

  /** The first event of this kind (waiting for it if need be); rejects if the worker exits first or after `ms`. */
  waitFor(event: WorkerEvent['event'], ms = 30_000): Promise<WorkerEvent> {
    return new Promise((resolve, reject) => {
      const timer = systemClock.setTimeout(
        () => finish(new Error(`${this.identity}: no "${event}" within ${ms} ms`)),
        ms,
      );
      const check = () => {
        const found = this.events.find((e) => e.event === event);
        if (found) finish(found);
        else if (!this.alive) finish(new Error(`${this.identity} exited before "${event}"; stderr:\n${this.stderr}`));
      };
      const finish = (outcome: WorkerEvent | Error) => {
        systemClock.clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      this.listeners.push(check);
      check();
    });
  }

  /** Asks the worker to close its store and leave; kills it if it has not left within `ms`. */
  async exit(ms = 5_000): Promise<void> {
    if (!this.alive) return;
    const timer = systemClock.setTimeout(() => this.child.kill('SIGKILL'), ms);
    await this.send({ op: 'exit' }).catch(() => this.child.kill('SIGKILL'));
    await this.exited;
    systemClock.clearTimeout(timer);
  }

  /** Kills the process at once (SIGKILL by default): a crash, no goodbye. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.alive) this.child.kill(signal);
    return this.exited;
  }
}
