// Several Node processes sharing one control plane on an etcd log: `pnpm example:multi-process`.
import { findEtcd, startEtcd } from '@keelson/eventlog-etcd/testing';
import { runDemo } from './demo';

if (!findEtcd()) {
  console.log('This example needs the etcd binary, and none was found on PATH, /usr/bin or /usr/local/bin.');
  console.log('Install it (Debian/Ubuntu: `apt-get install etcd-server`; elsewhere a release from');
  console.log('https://github.com/etcd-io/etcd/releases), or point $KEELSON_ETCD_BINARY at it, and run again.');
  process.exit(0);
}

const started = performance.now();
const say = (line: string) => {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
  console.log(`[${seconds} s] ${line}`);
};

// #region start-etcd
// One etcd member on loopback, with a temporary data directory and ports of its own
// (the test helper: for production, run etcd as a service; see docs/guides/running-on-etcd.md).
const etcd = await startEtcd();
// #endregion
say(`etcd (pid ${etcd.pid}) serves ${etcd.endpoints.join(', ')} (data in ${etcd.dataDir})`);
process.once('SIGINT', () => {
  void etcd.stop().finally(() => process.exit(130));
});

try {
  await runDemo(etcd.endpoints, say);
} finally {
  await etcd.stop();
  say('stopped every worker and etcd, removed its data directory');
}
