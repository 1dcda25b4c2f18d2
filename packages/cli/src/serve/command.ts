/** The `keelson serve` command: parses its flags, runs {@link startServe} until SIGINT or SIGTERM. */
import { type Command, Option } from 'commander';
import { type CliIo, writeLine } from '../io';
import {
  DEFAULT_KUBECONFIG,
  DEFAULT_NODES,
  DEFAULT_PORT,
  parseEtcdUrl,
  parseLogLevel,
  parseNodes,
  parsePort,
  parseSeed,
  parseToken,
  type ServeOptions,
} from './options';
import { startServe } from './startServe';

/** Resolves when the process receives SIGINT or SIGTERM (then stops listening for them). */
export function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
    const onSignal = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, onSignal);
      resolve(signal);
    };
    for (const s of signals) process.on(s, onSignal);
  });
}

/** Registers `keelson serve` (a {@link CommandRegistration}). */
export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(
      'run a simulated cluster (mock nodes, scheduler, controllers) on the system clock behind a Kubernetes API server, and write a kubeconfig for kubectl',
    )
    .addOption(new Option('--nodes <n>', 'number of mock nodes').default(DEFAULT_NODES).argParser(parseNodes))
    .addOption(
      new Option('--port <port>', 'port to listen on; 0 picks a free one').default(DEFAULT_PORT).argParser(parsePort),
    )
    .addOption(new Option('--host <address>', 'address to listen on').default('127.0.0.1'))
    .addOption(
      new Option(
        '--data <dir>',
        'keep the cluster in a file log in this directory (reopened when it exists)',
      ).conflicts('etcd'),
    )
    .addOption(new Option('--etcd <url>', 'keep the cluster in etcd at this client URL').argParser(parseEtcdUrl))
    .addOption(new Option('--etcd-prefix <prefix>', 'the etcd key prefix of the log').default('/keelson'))
    .addOption(
      new Option('--kubeconfig <file>', 'where to write the kubeconfig (mode 0600)').default(DEFAULT_KUBECONFIG),
    )
    .addOption(
      new Option('--seed <seed>', 'seed of every random choice in the cluster').default(1).argParser(parseSeed),
    )
    .addOption(
      new Option('--token <token>', "the admin's bearer token (default: 32 random hex characters)").argParser(
        parseToken,
      ),
    )
    .addOption(new Option('--anonymous', 'let unauthenticated requests from loopback in as system:anonymous'))
    .addOption(new Option('--no-tls', 'serve plain HTTP (kubectl then sends no token; pair with --anonymous)'))
    .addOption(
      new Option(
        '--log-level <level>',
        'least level logged to stderr: requests, scheduler, controllers, node agents (trace, debug, info, warn, error, silent)',
      )
        .default('info')
        .argParser(parseLogLevel),
    )
    .addHelpText(
      'after',
      `
Without --data or --etcd the cluster lives in memory and is gone when the server stops.
The server speaks HTTPS with a self-signed certificate, trusted by the kubeconfig it writes;
the kubeconfig's user is "admin" in group system:masters.

Examples:
  keelson serve --nodes 3
  keelson serve --port 0 --data ./data --kubeconfig ./kubeconfig
  KUBECONFIG=.keelson/kubeconfig kubectl get nodes

Exit codes: 0 stopped by SIGINT or SIGTERM, 1 failure (port in use, log locked), 2 usage.`,
    )
    .action(async (flags: ServeOptions & { etcdPrefix: string }) => {
      const running = await startServe(flags, io);
      const signal = await nextStopSignal();
      writeLine(io.stderr, `${signal}: stopping`);
      await running.stop();
      writeLine(io.stderr, 'stopped');
    });
}
