import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Environment variable naming the etcd binary to use instead of looking on `PATH`. */
export const ETCD_BINARY_ENV = 'KEELSON_ETCD_BINARY';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the `etcd` binary is: `$KEELSON_ETCD_BINARY` when set, else the first
 * `etcd` on `PATH`, else `/usr/bin/etcd` or `/usr/local/bin/etcd` (where the
 * Debian package `etcd-server` and release tarballs put it). `undefined`
 * when there is none.
 */
export function findEtcd(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env[ETCD_BINARY_ENV];
  if (explicit) return executable(explicit) ? explicit : undefined;
  const dirs = (env.PATH ?? '').split(delimiter).filter((dir) => dir.length > 0);
  for (const dir of [...dirs, '/usr/bin', '/usr/local/bin']) {
    const candidate = join(dir, 'etcd');
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/** What {@link etcdForTests} found. */
export interface EtcdAvailability {
  /** The binary, when there is one. */
  binary: string | undefined;
  /** Why tests needing etcd cannot run, when there is no binary. */
  reason: string | undefined;
}

/**
 * For test files: finds the `etcd` binary. Without one, it prints why the
 * etcd tests are skipped and returns `binary: undefined` — except under CI
 * (`process.env.CI` set), where it throws, so that a missing etcd fails the
 * run instead of silently skipping it.
 *
 * @example
 * ```ts
 * const { binary } = etcdForTests();
 * describe.skipIf(!binary)('my etcd tests', () => { ... });
 * ```
 */
export function etcdForTests(env: NodeJS.ProcessEnv = process.env): EtcdAvailability {
  const binary = findEtcd(env);
  if (binary) return { binary, reason: undefined };
  const reason =
    `no etcd binary found (looked at $${ETCD_BINARY_ENV}, PATH, /usr/bin and /usr/local/bin); ` +
    'install it (Debian/Ubuntu: apt-get install etcd-server) to run the etcd tests';
  if (env.CI && env.CI !== 'false' && env.CI !== '0')
    throw new Error(`${reason}. CI is set, so the etcd tests fail instead of being skipped.`);
  console.warn(`skipping etcd tests: ${reason}`);
  return { binary: undefined, reason };
}
