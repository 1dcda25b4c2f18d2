import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3, type IStatusResponse } from 'etcd3';
import { EtcdProcess, removeAtExit, removeNow, sleep } from './etcdProcess';
import { findEtcd } from './findEtcd';
import { freePort } from './ports';

/** Options for {@link startEtcd} and {@link startEtcdCluster}. */
export interface StartEtcdOptions {
  /** The etcd binary (default: {@link findEtcd}). */
  binary?: string;
  /**
   * etcd's `--max-request-bytes` (default 4 MiB): above the store's 1.5 MiB
   * object limit plus the entry's envelope, which etcd's 1.5 MiB default is not.
   */
  maxRequestBytes?: number;
  /** How long to wait for etcd to report healthy (default 20 s). */
  startTimeoutMs?: number;
  /** More command-line flags for every member. */
  extraArgs?: readonly string[];
}

/** One etcd member started by {@link startEtcd} or {@link startEtcdCluster}. */
export interface EtcdMember {
  readonly name: string;
  /** Its client URL, `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly dataDir: string;
  readonly running: boolean;
  readonly pid: number | undefined;
}

/** A single-member etcd on loopback, from {@link startEtcd}. */
export interface EtcdServer extends EtcdMember {
  /** Client URLs to pass as `hosts`. */
  readonly endpoints: string[];
  /** Kills the process (SIGKILL by default: a crash) and keeps its data. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a killed server again on the same ports and data. */
  start(): Promise<void>;
  /** Kills (SIGKILL by default), waits `downMs` (default 0), starts again on the same ports and data. */
  restart(options?: { signal?: NodeJS.Signals; downMs?: number }): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open but nothing answers. */
  pause(): void;
  /** Thaws a paused process (SIGCONT). */
  resume(): void;
  /** Kills the process and removes its data directory; safe to call twice. */
  stop(): Promise<void>;
}

/** A loopback etcd cluster, from {@link startEtcdCluster}. */
export interface EtcdCluster {
  /** Every member's client URL, to pass as `hosts`. */
  readonly endpoints: string[];
  readonly members: readonly EtcdMember[];
  /** Kills member `index` (SIGKILL by default), keeping its data. */
  kill(index: number, signal?: NodeJS.Signals): Promise<void>;
  /** Starts member `index` again on its ports and data (killing it first if it runs). */
  restart(index: number): Promise<void>;
  /** The index of the member that leads the cluster now (asked of the running members). */
  leader(): Promise<number>;
  /** Kills every member and removes the data directories; safe to call twice. */
  stop(): Promise<void>;
}

const MIB = 1024 * 1024;
const PORT_ATTEMPTS = 3;

interface MemberPlan {
  name: string;
  clientPort: number;
  peerPort: number;
  dataDir: string;
}

const url = (port: number) => `http://127.0.0.1:${port}`;

function memberArgs(
  plan: MemberPlan,
  cluster: readonly MemberPlan[],
  token: string,
  options: StartEtcdOptions,
): string[] {
  const args = [
    `--name=${plan.name}`,
    `--data-dir=${plan.dataDir}`,
    `--listen-client-urls=${url(plan.clientPort)}`,
    `--advertise-client-urls=${url(plan.clientPort)}`,
    `--listen-peer-urls=${url(plan.peerPort)}`,
    `--initial-advertise-peer-urls=${url(plan.peerPort)}`,
    `--initial-cluster=${cluster.map((m) => `${m.name}=${url(m.peerPort)}`).join(',')}`,
    '--initial-cluster-state=new',
    `--initial-cluster-token=${token}`,
    `--max-request-bytes=${options.maxRequestBytes ?? 4 * MIB}`,
    '--logger=zap',
    '--log-outputs=stderr',
    '--log-level=warn',
  ];
  // Loopback peers: elect a new leader quickly when one is killed.
  if (cluster.length > 1) args.push('--heartbeat-interval=50', '--election-timeout=500');
  return args.concat(options.extraArgs ?? []);
}

function binaryOf(options: StartEtcdOptions): string {
  const binary = options.binary ?? findEtcd();
  if (!binary) {
    throw new Error('no etcd binary found; install etcd (Debian/Ubuntu: apt-get install etcd-server) or pass binary');
  }
  return binary;
}

async function plan(dir: string, size: number): Promise<MemberPlan[]> {
  const taken = new Set<number>();
  const port = async () => {
    for (;;) {
      const candidate = await freePort();
      if (!taken.has(candidate)) {
        taken.add(candidate);
        return candidate;
      }
    }
  };
  const plans: MemberPlan[] = [];
  for (let i = 0; i < size; i++) {
    plans.push({ name: `m${i}`, clientPort: await port(), peerPort: await port(), dataDir: join(dir, `m${i}`) });
  }
  return plans;
}

/** Starts `size` members on fresh ports, retrying with new ports if one was taken meanwhile. */
async function startMembers(size: number, options: StartEtcdOptions): Promise<{ dir: string; members: EtcdProcess[] }> {
  const binary = binaryOf(options);
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const dir = await mkdtemp(join(tmpdir(), 'keelson-etcd-'));
  removeAtExit(dir);
  for (let attempt = 1; ; attempt++) {
    const plans = await plan(dir, size);
    const token = `keelson-${plans.map((p) => p.peerPort).join('-')}`;
    const members = plans.map(
      (p) => new EtcdProcess(p.name, binary, memberArgs(p, plans, token, options), p.clientPort),
    );
    const started = await Promise.allSettled(members.map((m) => m.start(timeoutMs)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (!failed) return { dir, members };
    await Promise.all(members.map((m) => m.kill('SIGKILL')));
    await Promise.all(plans.map((p) => rm(p.dataDir, { recursive: true, force: true })));
    if (attempt >= PORT_ATTEMPTS || !members.some((m) => m.portTaken())) {
      removeNow(dir);
      throw failed.reason;
    }
  }
}

function describeMember(process: EtcdProcess, dir: string): EtcdMember {
  return {
    name: process.name,
    endpoint: url(process.clientPort),
    dataDir: join(dir, process.name),
    get running() {
      return process.running;
    },
    get pid() {
      return process.pid;
    },
  };
}

/**
 * Starts a real single-member `etcd` on 127.0.0.1 with a temporary data
 * directory and ports it picks itself, and waits until it is healthy. Stop it
 * with `stop()` (in `afterAll`); a test process that exits kills it anyway.
 *
 * @example
 * ```ts
 * const etcd = await startEtcd();
 * const log = await openEtcdLog({ hosts: etcd.endpoints, prefix: 'test' });
 * await etcd.restart(); // crash and come back on the same port and data
 * await etcd.stop();
 * ```
 */
export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdServer> {
  const { dir, members } = await startMembers(1, options);
  const member = members[0] as EtcdProcess;
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const described = describeMember(member, dir);
  let stopped = false;
  return {
    ...described,
    get running() {
      return member.running;
    },
    get pid() {
      return member.pid;
    },
    endpoints: [described.endpoint],
    kill: (signal = 'SIGKILL') => member.kill(signal),
    start: () => member.start(timeoutMs),
    async restart({ signal = 'SIGKILL', downMs = 0 } = {}) {
      await member.kill(signal);
      if (downMs > 0) await sleep(downMs);
      await member.start(timeoutMs);
    },
    pause: () => member.signal('SIGSTOP'),
    resume: () => member.signal('SIGCONT'),
    async stop() {
      if (stopped) return;
      stopped = true;
      member.signal('SIGCONT');
      await member.kill('SIGKILL');
      removeNow(dir);
    },
  };
}

/**
 * Starts a `size`-member etcd cluster on loopback (3 by default), each member
 * with its own data directory and ports, and waits until every member is
 * healthy. Kill and restart members to test failover; `stop()` removes it all.
 */
export async function startEtcdCluster(size = 3, options: StartEtcdOptions = {}): Promise<EtcdCluster> {
  if (!Number.isSafeInteger(size) || size < 1) throw new Error(`startEtcdCluster: size must be >= 1, got ${size}`);
  const { dir, members } = await startMembers(size, options);
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const memberAt = (index: number): EtcdProcess => {
    const member = members[index];
    if (!member) throw new Error(`no member ${index}; the cluster has ${members.length}`);
    return member;
  };
  let stopped = false;
  return {
    endpoints: members.map((m) => url(m.clientPort)),
    members: members.map((m) => describeMember(m, dir)),
    kill: (index, signal = 'SIGKILL') => memberAt(index).kill(signal),
    async restart(index) {
      const member = memberAt(index);
      await member.kill('SIGKILL');
      await member.start(timeoutMs);
    },
    async leader() {
      for (let i = 0; i < members.length; i++) {
        if (!memberAt(i).running) continue;
        const status = await memberStatus(url(memberAt(i).clientPort)).catch(() => undefined);
        if (status && status.leader !== '0' && status.leader === status.header.member_id) return i;
      }
      throw new Error('no running member leads the cluster');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all(members.map((m) => m.kill('SIGKILL')));
      removeNow(dir);
    },
  };
}

async function memberStatus(endpoint: string): Promise<IStatusResponse> {
  const client = new Etcd3({ hosts: [endpoint] });
  try {
    return await client.maintenance.status();
  } finally {
    client.close();
  }
}
