import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type EtcdServer, etcdForTests, startEtcd } from '@keelson/eventlog-etcd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from './demo';

// #region test-helpers
// Without an etcd binary this prints why and skips; with CI set, it fails instead.
const { binary } = etcdForTests();

describe.skipIf(!binary)('three processes on one etcd log', () => {
  let etcd: EtcdServer;
  beforeAll(async () => {
    etcd = await startEtcd({ binary: binary as string });
  });
  afterAll(() => etcd?.stop());
  // #endregion

  it('see one history, meet a conflict as ConflictError, and fail over when the leader is killed', async () => {
    // The workers import the packages by name, as a user's process would: from their built dist.
    const built = fileURLToPath(new URL('../../../packages/eventlog-etcd/dist/index.js', import.meta.url));
    expect(existsSync(built), 'run `pnpm build` at the repository root first').toBe(true);
    const lines: string[] = [];
    const result = await runDemo(etcd.endpoints, (line) => lines.push(line));

    const [first, ...others] = Object.values(result.histories);
    // 3 greetings, each created by main and then greeted by the leader: 6 changes, seen alike everywhere.
    expect(first).toHaveLength(6);
    for (const history of others) expect(history).toEqual(first);
    const revisions = (first ?? []).map((line) => Number(line.split(' ')[0]));
    expect(revisions).toEqual([...revisions].sort((a, b) => a - b));

    expect(result.conflict.winner).not.toBe('');
    expect(result.conflict.loser).not.toBe(result.conflict.winner);
    expect(result.conflict).toMatchObject({ errorName: 'ConflictError', code: 'Conflict' });

    expect(result.nextLeader).not.toBe(result.firstLeader);
    expect(result.greetedAfterFailover).toBe(result.nextLeader);
    // A 4 s lease, noticed at most one 0.5 s retry period late (plus process start-up slack).
    expect(result.handoverMs).toBeLessThan(10_000);
    expect(lines.some((line) => line.includes('identical'))).toBe(true);
  }, 40_000);
});
