import { builtinAdmission, builtinTypes, ensureSystemNamespaces } from '@keelson/api';
import { systemClock } from '@keelson/clock';
import { createStore, type Store } from '@keelson/core';
import { openEtcdLog } from '@keelson/eventlog-etcd';
import { Greeting } from './greeting';
import type { SeenChange } from './protocol';
import { WorkerError, WorkerProcess } from './workerProcess';

/** What the demo showed, for its test. */
export interface DemoResult {
  /** Every Greeting change each worker saw, by identity, in the order it saw them. */
  histories: Record<string, SeenChange[]>;
  /** The two concurrent updates with one resourceVersion: one lands, the other is refused. */
  conflict: { winner: string; loser: string; errorName: string; code: string };
  firstLeader: string;
  nextLeader: string;
  handoverMs: number;
  /** Which process greeted the greeting created after the first leader was killed. */
  greetedAfterFailover: string | undefined;
}

/** Greetings to create: name → whom to greet. */
const PEOPLE: Record<string, string> = { ada: 'Ada', grace: 'Grace', linus: 'Linus' };
const NAMES = Object.keys(PEOPLE);
const IDENTITIES = ['alpha', 'beta', 'gamma'];
const NAMESPACE = { namespace: 'default' };

/** Resolves with the greeting once some process has greeted it, as `store` sees it (no polling: a watch). */
function greeted(store: Store, name: string, ms = 20_000): Promise<Greeting> {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = systemClock.setTimeout(() => finish(new Error(`greeting ${name} not answered within ${ms} ms`)), ms);
    const subscription = store
      .watch(Greeting, { ...NAMESPACE, fieldSelector: `metadata.name=${name}` })
      .subscribe((event) => {
        if (event.type !== 'BOOKMARK' && event.object.status?.greetedBy) finish(event.object);
      });
    function finish(outcome: Greeting | Error) {
      if (done) return;
      done = true;
      systemClock.clearTimeout(timer);
      queueMicrotask(() => subscription.unsubscribe());
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    }
  });
}

/** The first of `workers` to report that it leads. */
function firstToLead(workers: readonly WorkerProcess[]): Promise<WorkerProcess> {
  return Promise.any(workers.map((w) => w.waitFor('leading').then(() => w)));
}

/**
 * The whole demonstration against a running etcd: three worker processes on
 * one log, writes from this process, one history everywhere, a conflict
 * across processes, and leadership moving when the leader is killed.
 * `say` gets the progress lines. Every worker is gone when it returns.
 */
export async function runDemo(endpoints: readonly string[], say: (line: string) => void): Promise<DemoResult> {
  const prefix = `keelson-example/${systemClock.now()}`;
  const log = await openEtcdLog({ hosts: [...endpoints], prefix });
  const store = await createStore({ log, types: [...builtinTypes, Greeting], admission: builtinAdmission() });
  const workers: WorkerProcess[] = [];
  try {
    await ensureSystemNamespaces(store);
    say(`main (pid ${process.pid}) opened a store on the log "${prefix}"`);

    for (const identity of IDENTITIES) workers.push(new WorkerProcess(identity, endpoints, prefix));
    await Promise.all(workers.map((w) => w.waitFor('ready')));
    say(`started ${workers.map((w) => `${w.identity} (pid ${w.pid})`).join(', ')}: each a store + a manager`);
    const leader = await firstToLead(workers);
    say(`${leader.identity} won the leader election; the others stand by`);

    // One history: writes from here, status written by the leader's controller, seen everywhere.
    for (const name of NAMES) {
      await store.create(Greeting, { metadata: { name, ...NAMESPACE }, spec: { to: PEOPLE[name] ?? name } });
    }
    say(`main created greetings ${NAMES.join(', ')}`);
    for (const name of NAMES) {
      const answer = await greeted(store, name);
      say(`  ${name}: "${answer.status?.message}" written by ${answer.status?.greetedBy}`);
    }
    const histories: Record<string, SeenChange[]> = {};
    for (const worker of workers) histories[worker.identity] = await worker.send<SeenChange[]>({ op: 'history' });
    const reference = histories[leader.identity] ?? [];
    say(`every worker applied the same ${reference.length} changes, in this order (resourceVersion, event, name):`);
    for (const line of reference) say(`  ${line}`);
    for (const worker of workers) {
      const same = JSON.stringify(histories[worker.identity]) === JSON.stringify(reference);
      say(`  ${worker.identity}: ${same ? 'identical' : `DIFFERENT: ${JSON.stringify(histories[worker.identity])}`}`);
    }

    // Optimistic concurrency across processes: both update "ada" from the same resourceVersion.
    const ada = await store.get(Greeting, 'ada', NAMESPACE);
    const [first, second] = workers.filter((w) => w !== leader) as [WorkerProcess, WorkerProcess];
    say(
      `${first.identity} and ${second.identity} both update ada from resourceVersion ${ada.metadata.resourceVersion}:`,
    );
    const outcomes = await Promise.all(
      [first, second].map((w) =>
        w
          .send<string>({
            op: 'relabel',
            name: 'ada',
            resourceVersion: ada.metadata.resourceVersion,
            value: w.identity,
          })
          .then(
            (version) => ({ worker: w, version, error: undefined }),
            (error: unknown) => ({ worker: w, version: undefined, error }),
          ),
      ),
    );
    for (const { worker, version, error } of outcomes) {
      if (error instanceof WorkerError)
        say(`  ${worker.identity}: ${error.errorName} (${error.code}): ${error.message}`);
      else if (error) throw error;
      else say(`  ${worker.identity}: updated, now at resourceVersion ${version}`);
    }
    const won = outcomes.find((o) => !o.error);
    const lost = outcomes.find((o) => o.error instanceof WorkerError);
    const refusal = lost?.error as WorkerError | undefined;

    // Leadership moves when the leader dies without a goodbye.
    const killedAt = systemClock.now();
    await leader.kill('SIGKILL');
    say(`killed the leader ${leader.identity} (SIGKILL); its lease runs out 4 s after its last renewal`);
    const next = await firstToLead(workers.filter((w) => w !== leader));
    const handoverMs = systemClock.now() - killedAt;
    say(`${next.identity} leads now, ${(handoverMs / 1000).toFixed(1)} s after the kill`);
    await store.create(Greeting, { metadata: { name: 'barbara', ...NAMESPACE }, spec: { to: 'Barbara' } });
    const after = await greeted(store, 'barbara');
    say(`  barbara: "${after.status?.message}" written by ${after.status?.greetedBy}`);

    return {
      histories,
      conflict: {
        winner: won?.worker.identity ?? '',
        loser: lost?.worker.identity ?? '',
        errorName: refusal?.errorName ?? '',
        code: refusal?.code ?? '',
      },
      firstLeader: leader.identity,
      nextLeader: next.identity,
      handoverMs,
      greetedAfterFailover: after.status?.greetedBy,
    };
  } finally {
    await Promise.all(workers.map((w) => w.exit()));
    await store.close();
    await log.close();
  }
}
