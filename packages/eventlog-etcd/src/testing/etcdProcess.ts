import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { systemClock } from '@keelson/clock';

const OUTPUT_LINES = 60;

/** Every etcd a test process started, so none outlives it even if a test forgets `stop()`. */
const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** @internal Removes `dir` at exit unless it was removed before. */
export function removeAtExit(dir: string): void {
  installExitHook();
  tempDirs.add(dir);
}

/** @internal Removes `dir` now. */
export function removeNow(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    systemClock.setTimeout(resolve, ms);
  });

/** Whether `http://127.0.0.1:<port>/health` says the member serves (it has a leader). */
function healthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', timeout: 1_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve(res.statusCode === 200 && /"health"\s*:\s*"true"/.test(body)));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** @internal One etcd process: its command line, its output tail, start / kill / wait for health. */
export class EtcdProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly output: string[] = [];

  constructor(
    readonly name: string,
    private readonly binary: string,
    private readonly args: readonly string[],
    readonly clientPort: number,
  ) {}

  get running(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines etcd printed (for error messages). */
  tail(): string {
    return this.output.join('\n');
  }

  /** Spawns etcd; resolves once it reports healthy, rejects (with its output) if it exits or times out. */
  async start(timeoutMs: number): Promise<void> {
    if (this.child) throw new Error(`etcd ${this.name} is already running`);
    installExitHook();
    const child = spawn(this.binary, this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    running.add(child);
    let exitCode: string | undefined;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        exitCode = signal ?? String(code);
        running.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      });
      child.once('error', (error) => {
        exitCode = error.message;
        running.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) {
          if (line.trim() === '') continue;
          this.output.push(line);
          if (this.output.length > OUTPUT_LINES) this.output.shift();
        }
      });
    }
    const deadline = systemClock.now() + timeoutMs;
    while (systemClock.now() < deadline) {
      if (exitCode !== undefined) {
        throw new Error(`etcd ${this.name} exited (${exitCode}) while starting:\n${this.tail()}`);
      }
      if (await healthy(this.clientPort)) return;
      await sleep(50);
    }
    await this.kill('SIGKILL');
    throw new Error(`etcd ${this.name} was not healthy within ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** Whether the last start failed because a port was taken (the caller may retry on fresh ports). */
  portTaken(): boolean {
    return /address already in use/i.test(this.tail());
  }

  /** Waits until a started member reports healthy again (e.g. once its cluster has a leader). */
  async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = systemClock.now() + timeoutMs;
    while (systemClock.now() < deadline) {
      if (await healthy(this.clientPort)) return;
      await sleep(50);
    }
    throw new Error(`etcd ${this.name} was not healthy within ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** Sends `signal` without waiting (SIGSTOP / SIGCONT to freeze and thaw). */
  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }

  /** Sends `signal` and waits for the process to exit (SIGKILL after 5 s if it lingers). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill(signal);
    const exited = this.exited;
    let lingering = true;
    const timer = systemClock.setTimeout(() => {
      if (lingering) child.kill('SIGKILL');
    }, 5_000);
    await exited;
    lingering = false;
    systemClock.clearTimeout(timer);
  }
}
