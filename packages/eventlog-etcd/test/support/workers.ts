import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Child processes import the packages by name, which resolves to their built
 * `dist` (as a user's process would): the workspace must be built first.
 */
export function assertBuilt(): void {
  if (!existsSync(`${packageDir}/dist/index.js`)) {
    throw new Error('packages/eventlog-etcd/dist is missing: run `pnpm build` at the repository root first');
  }
}

/** A Node process running one of the scripts in test/fixtures, speaking JSON lines. */
export class Worker {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, (reply: Record<string, unknown>) => void>();
  private listeners: Array<() => void> = [];
  private nextId = 1;
  private stderr = '';

  constructor(script: string, args: readonly string[]) {
    this.child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL(`../fixtures/${script}`, import.meta.url)), ...args],
      {
        cwd: packageDir,
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    let buffered = '';
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        const message = JSON.parse(line) as Record<string, unknown>;
        this.lines.push(message);
        const id = message.id as number | undefined;
        if (id !== undefined) this.waiting.get(id)?.(message);
        for (const listener of this.listeners) listener();
      }
    });
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-4_000);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends a command; resolves with its `result`, rejects with its `error` ({code, message}). */
  send<R = unknown>(command: Record<string, unknown>): Promise<R> {
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.waiting.set(id, (reply) => {
        this.waiting.delete(id);
        if (reply.error)
          reject(Object.assign(new Error(String((reply.error as { message: unknown }).message)), reply.error));
        else resolve(reply.result as R);
      });
      this.child.stdin?.write(`${JSON.stringify({ ...command, id })}\n`);
    });
  }

  /** Resolves once a line matching `match` has been printed (or rejects when the process exits first). */
  waitFor(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.find(match);
        if (!found) return false;
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve(found);
        return true;
      };
      if (check()) return;
      this.listeners.push(check);
      void this.exited.then(() => {
        if (!check()) reject(new Error(`worker exited before printing the expected line; stderr:\n${this.stderr}`));
      });
    });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.child.kill(signal);
    return this.exited;
  }

  errors(): string {
    return this.stderr;
  }
}
