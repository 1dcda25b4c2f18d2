import { InvalidError } from '@keelson/eventlog';
import { type Connection, compactedError } from './connection';
import { KeyLayout } from './layout';

// etcdserverpb enums: RangeRequest.SortOrder / SortTarget, Compare.CompareResult / CompareTarget.
const DESCEND = 2;
const BY_MOD = 3;
const EQUAL = 0;
const MOD = 2;
const SWEEP_PAGE = 256;

/**
 * @internal The log's head: the highest `mod_revision` among its own keys —
 * live keys and last tombstones — in one linearizable read. Never etcd's
 * cluster revision, which other prefixes (and housekeeping) move too.
 */
export async function readHead(connection: Connection, layout: KeyLayout): Promise<number> {
  const newest = (root: Buffer) => ({
    request_range: {
      key: root,
      range_end: KeyLayout.prefixEnd(root),
      sort_order: DESCEND,
      sort_target: BY_MOD,
      limit: 1,
      keys_only: true,
    },
  });
  const response = await connection.retrying('head', () =>
    connection.client.kv.txn({
      compare: [],
      success: [newest(layout.liveRoot), newest(layout.tombRoot)],
      failure: [],
    }),
  );
  let head = 0;
  for (const op of response.responses) {
    const kv = op.response_range?.kvs[0];
    if (kv) head = Math.max(head, Number(kv.mod_revision));
  }
  return head;
}

/**
 * @internal `compact(before)` as an etcd compaction. etcd keeps each key's
 * last version at or below its compaction revision, so compacting at
 * `before − 1` keeps each key's last entry older than `before`: the state as
 * of `before`, which the contract keeps. etcd compaction is cluster-wide.
 */
export async function compactLog(connection: Connection, layout: KeyLayout, before: number): Promise<void> {
  const head = await readHead(connection, layout);
  if (before > head) {
    throw new InvalidError(`compact before must be at most the head revision ${head}, got ${before}`);
  }
  if (before <= 1) return;
  try {
    await connection.retrying('compact', () => connection.client.kv.compact({ revision: before - 1, physical: true }));
  } catch (error) {
    if (compactedError(error)) return; // etcd is compacted past this bound already
    throw error;
  }
  await sweepTombstones(connection, layout, before);
}

/**
 * Deletes `P/t/<key>` records older than the bound. They serve only to settle
 * appends in doubt; history keeps the tombstones themselves. Each delete is
 * conditional, so a newer tombstone of the same key is never removed.
 */
async function sweepTombstones(connection: Connection, layout: KeyLayout, before: number): Promise<void> {
  const client = connection.client;
  const root = layout.tombRoot;
  let start = root;
  for (;;) {
    const page = await connection.retrying('compact', () =>
      client.kv.range({
        key: start,
        range_end: KeyLayout.prefixEnd(root),
        limit: SWEEP_PAGE,
        keys_only: true,
      }),
    );
    const old = page.kvs.filter((kv) => Number(kv.mod_revision) < before);
    await Promise.all(
      old.map((kv) =>
        connection.retrying('compact', () =>
          client.kv.txn({
            compare: [{ key: kv.key, target: MOD, result: EQUAL, mod_revision: kv.mod_revision }],
            success: [{ request_delete_range: { key: kv.key } }],
            failure: [],
          }),
        ),
      ),
    );
    const last = page.kvs.at(-1);
    if (!page.more || last === undefined) return;
    start = Buffer.concat([last.key, Buffer.from([0])]);
  }
}
