/**
 * Test support for the node lifecycle controller: a store of built-in kinds
 * on a virtual clock, and a pretend kubelet that registers a Node and renews
 * its Lease every 10 s. Not exported from the package.
 */
import {
  builtinAdmission,
  builtinTypes,
  ensureSystemNamespaces,
  formatMicroTime,
  Lease,
  Node,
  Pod,
  type Toleration,
} from '@keelson/api';
import { createRandom, type TimerHandle, VirtualClock } from '@keelson/clock';
import { createStore, type Store } from '@keelson/core';
import { formatTime } from './time';

/** Virtual time zero of every test: 2026-01-01T00:00:00Z. */
export const START = Date.UTC(2026, 0, 1);

/** The RFC 3339 text of `s` seconds after {@link START}. */
export function at(s: number): string {
  return formatTime(START + s * 1000);
}

/** Seconds since {@link START} on the clock. */
export function elapsed(clock: VirtualClock): number {
  return (clock.now() - START) / 1000;
}

/** Advances the clock to `s` seconds after {@link START}. */
export async function advanceTo(clock: VirtualClock, s: number): Promise<void> {
  await clock.advance(START + s * 1000 - clock.now());
}

/** A store with the built-in kinds and admission, at {@link START}. */
export async function lifecycleStore(): Promise<{ clock: VirtualClock; store: Store }> {
  const clock = new VirtualClock(START);
  const store = await createStore({
    types: builtinTypes,
    admission: builtinAdmission(),
    clock,
    random: createRandom(1, 'lifecycle'),
    logger: { warn() {} },
  });
  await ensureSystemNamespaces(store);
  return { clock, store };
}

/** A pretend kubelet: what the node lifecycle controller hears from a node. */
export class TestKubelet {
  private timer: TimerHandle | undefined;
  /** What this kubelet believes its `Ready` status is. */
  private readyStatus: 'True' | 'False' = 'True';

  constructor(
    private readonly store: Store,
    private readonly clock: VirtualClock,
    readonly nodeName: string,
  ) {}

  /** Registers the Node (with `Ready=True` unless `ready: false`) and its Lease, then renews every 10 s. */
  async register(options: { ready?: boolean; lease?: boolean } = {}): Promise<void> {
    const now = formatTime(this.clock.now());
    const conditions =
      options.ready === false
        ? []
        : [
            {
              type: 'Ready',
              status: 'True' as const,
              reason: 'KubeletReady',
              lastHeartbeatTime: now,
              lastTransitionTime: now,
            },
          ];
    await this.store.create(Node, { metadata: { name: this.nodeName }, spec: {}, status: { conditions } });
    if (options.lease === false) return;
    await this.store.create(Lease, {
      metadata: { name: this.nodeName, namespace: 'kube-node-lease' },
      spec: { holderIdentity: this.nodeName, leaseDurationSeconds: 40, renewTime: formatMicroTime(this.clock.now()) },
    });
    this.renewEvery10s();
  }

  /** The kubelet dies: no more renewals. */
  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The kubelet comes back: renews at once and every 10 s, and reposts its `Ready` over what the controller wrote. */
  async resume(): Promise<void> {
    await this.renew();
    this.renewEvery10s();
  }

  /** Posts the node's `Ready` condition (with a fresh heartbeat). */
  async reportReady(status: 'True' | 'False'): Promise<void> {
    this.readyStatus = status;
    const now = formatTime(this.clock.now());
    await this.store.patch(
      Node,
      this.nodeName,
      (node) => {
        const others = (node.status?.conditions ?? []).filter((c) => c.type !== 'Ready');
        const previous = node.status?.conditions?.find((c) => c.type === 'Ready');
        const since = previous?.status === status ? (previous.lastTransitionTime ?? now) : now;
        const reason = status === 'True' ? 'KubeletReady' : 'KubeletNotReady';
        const ready = { type: 'Ready', status, reason, lastHeartbeatTime: now, lastTransitionTime: since } as const;
        node.status = { ...node.status, conditions: [...others, ready] };
      },
      { subresource: 'status' },
    );
  }

  /** Creates a pod bound to this node, reported running and ready. */
  async runPod(name: string, tolerations?: Toleration[]): Promise<Pod> {
    const pod = await this.store.create(Pod, {
      metadata: { name, namespace: 'default' },
      spec: {
        nodeName: this.nodeName,
        containers: [{ name: 'app', image: 'app:1' }],
        ...(tolerations === undefined ? {} : { tolerations }),
      },
    });
    const now = formatTime(this.clock.now());
    return this.store.updateStatus({
      ...pod,
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] },
    });
  }

  private renewEvery10s(): void {
    // Background, as a real lease renewal: it never keeps runUntilIdle() busy.
    this.timer = this.clock.setTimeout(
      () => {
        void this.renew();
        this.renewEvery10s();
      },
      10_000,
      { background: true },
    );
  }

  private async renew(): Promise<void> {
    const node = await this.store.get(Node, this.nodeName);
    // A real kubelet reposts its status when the API's differs from what it computes.
    const posted = node.status?.conditions?.find((c) => c.type === 'Ready')?.status;
    if (posted !== this.readyStatus) await this.reportReady(this.readyStatus);
    await this.store.patch(
      Lease,
      this.nodeName,
      (lease) => {
        lease.spec.renewTime = formatMicroTime(this.clock.now());
      },
      { namespace: 'kube-node-lease' },
    );
  }
}
