import { describeEventLogConformance } from '@keelson/eventlog/conformance';
import { afterAll, beforeAll, describe } from 'vitest';
import { openEtcdLog } from '../src/index';
import { type EtcdServer, etcdForTests, startEtcd } from '../src/testing/index';

const { binary } = etcdForTests();

describe.skipIf(!binary)('etcd log on a real etcd', () => {
  let etcd: EtcdServer;
  beforeAll(async () => {
    etcd = await startEtcd({ binary: binary as string });
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  // One etcd for the file; every test gets a log of its own under a fresh prefix.
  let n = 0;
  describeEventLogConformance('etcd', () => {
    const prefix = `conformance/${++n}`;
    return { open: () => openEtcdLog({ hosts: etcd.endpoints, prefix }), persistent: true };
  });
});
