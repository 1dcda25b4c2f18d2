// One process of the example: node --import tsx worker.ts <identity> <etcd endpoints, comma-separated> <prefix>.
// It opens a store on the shared etcd log, runs a manager with leader election and the greeter
// controller, records every Greeting change its store applies, and answers the main process over IPC.
import { builtinAdmission, builtinTypes } from '@keelson/api';
import { systemClock } from '@keelson/clock';
import { createManager } from '@keelson/controller';
import { createStore, isKeelsonError } from '@keelson/core';
import { openEtcdLog } from '@keelson/eventlog-etcd';
import { pino } from 'pino';
import { Greeting, greeter } from './greeting';
import type { Command, ErrorReport, SeenChange, WorkerMessage } from './protocol';

const [identity = 'worker', endpoints = '', prefix = ''] = process.argv.slice(2);
const tell = (message: WorkerMessage) => {
  if (process.connected) process.send?.(message);
};

// #region open-store
const log = await openEtcdLog({ hosts: endpoints.split(','), prefix });
const store = await createStore({
  log,
  types: [...builtinTypes, Greeting],
  admission: builtinAdmission(),
});
// #endregion

/** Every Greeting change this process's store applied, in the order it applied them. */
const seen: SeenChange[] = [];
store.watch(Greeting, { resourceVersion: String(store.revision) }).subscribe((event) => {
  if (event.type === 'BOOKMARK') return;
  seen.push(`${event.object.metadata.resourceVersion} ${event.type} ${event.object.metadata.name}`);
});

// #region leader-election
const manager = createManager({
  store,
  leaderElection: {
    name: 'greeter',
    namespace: 'kube-system',
    identity,
    // Shorter than client-go's 15 s / 10 s / 2 s, so the example fails over in seconds.
    leaseDurationMs: 4_000,
    renewDeadlineMs: 3_000,
    retryPeriodMs: 500,
  },
  // Warnings and reconcile errors as JSON lines on stderr; any pino-compatible logger fits.
  logger: pino({ level: 'warn', base: { identity } }, pino.destination({ dest: 2, sync: true })),
});
manager.on('started-leading', () => tell({ kind: 'event', event: 'leading', identity, at: systemClock.now() }));
manager.on('stopped-leading', () => tell({ kind: 'event', event: 'stopped-leading', identity, at: systemClock.now() }));
manager.add(greeter(identity));
await manager.start();
// #endregion

let closing: Promise<void> | undefined;
/** Stops the manager, then the store and the log; once, however often it is asked. */
function shutDown(): Promise<void> {
  closing ??= (async () => {
    await manager.stop();
    await store.close();
    await log.close();
  })();
  return closing;
}

// #region conflict
/** Writes a label with the resourceVersion the main process read: stale if another process wrote first. */
async function relabel(name: string, resourceVersion: string, value: string): Promise<string> {
  await store.sync(); // this process has applied everything written so far, by anyone
  const greeting = await store.get(Greeting, name, { namespace: 'default' });
  const updated = await store.update({
    ...greeting,
    metadata: { ...greeting.metadata, resourceVersion, labels: { ...greeting.metadata.labels, touchedBy: value } },
  });
  return updated.metadata.resourceVersion;
}
// #endregion

async function run(command: Command): Promise<unknown> {
  switch (command.op) {
    case 'history':
      await store.sync();
      return seen;
    case 'relabel':
      return relabel(command.name, command.resourceVersion, command.value);
    case 'exit':
      await shutDown();
      return 'bye';
  }
}

function report(error: unknown): ErrorReport {
  const name = error instanceof Error ? error.constructor.name : 'Error';
  const code = isKeelsonError(error) ? error.code : 'Unexpected';
  return { name, code, message: error instanceof Error ? error.message : String(error) };
}

process.on('message', (command: Command) => {
  run(command).then(
    (result) => {
      tell({ kind: 'reply', id: command.id, result });
      if (command.op === 'exit') process.disconnect();
    },
    (error: unknown) => tell({ kind: 'reply', id: command.id, error: report(error) }),
  );
});
// The main process went away without saying goodbye: leave too, rather than linger.
process.on('disconnect', () => {
  void shutDown().finally(() => process.exit(0));
});
tell({ kind: 'event', event: 'ready', identity, at: systemClock.now() });
