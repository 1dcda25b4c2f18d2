import { systemClock } from '@keelson/clock';
import { type EventLog, isKeelsonError, type LogEntry } from '@keelson/eventlog';
import type { Subscription } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import { openEtcdLog } from '../src/index';
import { type EtcdCluster, type EtcdServer, etcdForTests, startEtcd, startEtcdCluster } from '../src/testing/index';
import { entry, eventually, readAll, sleep } from './support/harness';

const { binary } = etcdForTests();

/** What the writers know about each request they made, by meta.requestId. */
interface Outcomes {
  acked: Map<string, number>;
  /** Outcome unknown (AppendOutcomeUnknown): may or may not be in the log, at most once. */
  inDoubt: Set<string>;
  /** Failed in a way that says nothing was written. */
  refused: Set<string>;
  errors: string[];
}

/** `lanes` writers appending until `stop()`: even lanes create keys (conditional), odd lanes overwrite a few keys. */
function startWriters(log: EventLog, lanes: number) {
  const outcomes: Outcomes = { acked: new Map(), inDoubt: new Set(), refused: new Set(), errors: [] };
  let stopping = false;
  const lane = async (n: number) => {
    for (let i = 0; !stopping; i++) {
      const requestId = `lane${n}-${i}`;
      const conditional = n % 2 === 0;
      const key = conditional ? `created/${n}/${i}` : `overwritten/${n}/${i % 5}`;
      try {
        const appended = await log.append(
          entry(key, { n, i }, { meta: { requestId } }),
          conditional ? { expectedRevision: 0 } : {},
        );
        outcomes.acked.set(requestId, appended.revision);
      } catch (error) {
        if (isKeelsonError(error, 'AppendOutcomeUnknown')) outcomes.inDoubt.add(requestId);
        else if (isKeelsonError(error, 'Unavailable')) outcomes.refused.add(requestId);
        else outcomes.errors.push(`${requestId}: ${(error as Error).message}`);
      }
    }
  };
  const running = Promise.all(Array.from({ length: lanes }, (_, n) => lane(n)));
  return {
    outcomes,
    async stop() {
      stopping = true;
      await running;
      return outcomes;
    },
  };
}

/** Checks what a follower saw against what the writers were told. */
function checkHistory(seen: readonly LogEntry[], outcomes: Outcomes): void {
  const revisions = seen.map((e) => e.revision);
  for (let i = 1; i < revisions.length; i++) {
    expect(revisions[i]).toBeGreaterThan(revisions[i - 1] as number);
  }
  const byRequest = new Map<string, number>();
  for (const e of seen) {
    const id = e.meta?.requestId as string;
    expect(byRequest.has(id), `request ${id} written twice`).toBe(false);
    byRequest.set(id, e.revision);
  }
  for (const [id, revision] of outcomes.acked) expect(byRequest.get(id), `acknowledged ${id}`).toBe(revision);
  for (const id of byRequest.keys()) {
    expect(outcomes.acked.has(id) || outcomes.inDoubt.has(id), `unacknowledged ${id} in the log`).toBe(true);
  }
  for (const id of outcomes.refused) expect(byRequest.has(id), `refused ${id} in the log`).toBe(false);
}

function follow(log: EventLog) {
  const seen: LogEntry[] = [];
  const errors: unknown[] = [];
  const subscription: Subscription = log.subscribe(0).subscribe({
    next: (e) => seen.push(e),
    error: (e) => errors.push(e),
  });
  return { seen, errors, subscription };
}

describe.skipIf(!binary)('etcd log under faults', () => {
  describe('a single etcd restarted under load', () => {
    let etcd: EtcdServer | undefined;
    afterAll(async () => {
      await etcd?.stop();
    });

    it('reconnects writers and followers, loses no acknowledged write and duplicates none', async () => {
      etcd = await startEtcd({ binary: binary as string });
      const options = { hosts: etcd.endpoints, prefix: 'faults/restart', requestTimeoutMs: 2_000 };
      const writerLog = await openEtcdLog(options);
      const readerLog = await openEtcdLog(options);
      const local = follow(writerLog);
      const remote = follow(readerLog);
      const writers = startWriters(writerLog, 6);
      const ackedAt: number[] = [];
      // Wait for progress rather than a fixed time, so a loaded machine cannot make a round empty.
      const progress = async (what: string) => {
        const before = writers.outcomes.acked.size;
        await eventually(() => writers.outcomes.acked.size >= before + 20, 20_000, what);
      };
      try {
        for (let round = 0; round < 2; round++) {
          await progress(`writes to be acknowledged before restart ${round + 1}`);
          ackedAt.push(writers.outcomes.acked.size);
          await etcd.restart({ downMs: 300 });
        }
        await progress('writes to be acknowledged after the last restart');
      } finally {
        await writers.stop();
      }
      const outcomes = writers.outcomes;
      // Writes went on after each restart: the clients reconnected.
      expect(ackedAt[0]).toBeGreaterThan(0);
      expect(ackedAt[1]).toBeGreaterThan(ackedAt[0] as number);
      expect(outcomes.acked.size).toBeGreaterThan(ackedAt[1] as number);
      expect(outcomes.errors).toEqual([]);

      const head = await readerLog.head();
      for (const follower of [local, remote]) {
        await eventually(() => (follower.seen.at(-1)?.revision ?? 0) >= head, 15_000, 'the follower to reach the head');
        expect(follower.errors).toEqual([]);
        checkHistory(follower.seen, outcomes);
      }
      expect(remote.seen).toEqual(local.seen);
      expect(await readAll(readerLog)).toEqual(remote.seen);
      console.info(
        `restart under load: ${outcomes.acked.size} acknowledged, ${outcomes.inDoubt.size} in doubt ` +
          `(${[...outcomes.inDoubt].filter((id) => remote.seen.some((e) => e.meta?.requestId === id)).length} landed), ` +
          `${outcomes.refused.size} refused`,
      );
      local.subscription.unsubscribe();
      remote.subscription.unsubscribe();
      await writerLog.close();
      await readerLog.close();
    }, 60_000);
  });

  describe('a 3-member cluster losing a member', () => {
    let cluster: EtcdCluster | undefined;
    afterAll(async () => {
      await cluster?.stop();
    });

    it('keeps accepting writes when the leader dies, and takes the member back', async () => {
      cluster = await startEtcdCluster(3, { binary: binary as string });
      const options = { hosts: cluster.endpoints, prefix: 'faults/cluster', requestTimeoutMs: 2_000 };
      const log = await openEtcdLog(options);
      const other = await openEtcdLog(options);
      const follower = follow(other);
      const acked: LogEntry[] = [];
      const write = async (count: number, tag: string) => {
        for (let i = 0; i < count; i++) {
          acked.push(
            await log.append(entry(`${tag}/${i}`, i, { meta: { requestId: `${tag}-${i}` } }), { expectedRevision: 0 }),
          );
        }
      };
      await write(20, 'before');
      const leader = await cluster.leader();
      await cluster.kill(leader);
      const killedAt = systemClock.now();
      await write(1, 'first-after');
      const firstWriteMs = systemClock.now() - killedAt;
      await write(50, 'without');
      await cluster.restart(leader);
      await write(20, 'rejoined');
      await eventually(() => follower.seen.length === acked.length, 15_000, 'the follower to catch up');
      expect(follower.seen.map((e) => e.revision)).toEqual(acked.map((e) => e.revision));
      expect(follower.errors).toEqual([]);
      console.info(`cluster failover: first write ${firstWriteMs} ms after the leader was killed`);
      expect(firstWriteMs).toBeLessThan(10_000);
      follower.subscription.unsubscribe();
      await log.close();
      await other.close();
    }, 60_000);
  });
});
