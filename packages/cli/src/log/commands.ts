/** The `keelson log` commands: read a file event log without writing to it. */
import { realpath } from 'node:fs/promises';
import type { FileLog } from '@keelson/eventlog';
import type { Command } from 'commander';
import { CommandFailed } from '../errors';
import { type CliIo, writeLine } from '../io';
import { compareLogs, formatComparison } from './diff';
import { formatHistory, objectHistory } from './history';
import { formatSummary, summarizeLog } from './inspect';
import { type ObjectRef, parseObjectRef, parseRevision, resolveKind } from './kinds';
import { checkLogDir, withLog } from './openLogDir';
import { formatYamlStream, objectsAt } from './replay';

function printJson(io: CliIo, value: unknown): void {
  writeLine(io.stdout, JSON.stringify(value, null, 2));
}

function printLines(io: CliIo, lines: readonly string[]): void {
  for (const line of lines) writeLine(io.stdout, line);
}

const NAMESPACE_HELP = 'namespace of a namespaced kind (default "default")';

function registerInspect(log: Command, io: CliIo): void {
  log
    .command('inspect')
    .description(
      'count the entries of a log: revisions, compaction, size on disk, and entries and live objects per kind',
    )
    .argument('<dir>', 'directory of the file log')
    .option('--json', 'print the summary as JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      const summary = await withLog(dir, io, (opened) => summarizeLog(dir, opened));
      if (options.json) printJson(io, summary);
      else printLines(io, formatSummary(summary));
    });
}

function registerHistory(log: Command, io: CliIo): void {
  log
    .command('history')
    .description('every version of one object: revision, ADDED/MODIFIED/DELETED, actor, reason and what changed')
    .argument('<dir>', 'directory of the file log')
    .argument(
      '<object>',
      'KIND/NAME; KIND is a kind, plural or plural.group (deployment/web, deployments.apps/web)',
      parseObjectRef,
    )
    .option('-n, --namespace <namespace>', NAMESPACE_HELP)
    .option('--all-fields', 'also show metadata.resourceVersion and metadata.managedFields changes')
    .option('--json', 'print the versions as JSON (RFC 6902 patches)')
    .action(
      async (dir: string, ref: ObjectRef, options: { namespace?: string; allFields?: boolean; json?: boolean }) => {
        const type = resolveKind(ref.kind);
        const versions = await withLog(dir, io, (opened) =>
          objectHistory(opened, {
            type,
            name: ref.name,
            namespace: options.namespace,
            allFields: options.allFields ?? false,
          }),
        );
        if (options.json)
          printJson(
            io,
            versions.map((v) => v.version),
          );
        else printLines(io, formatHistory(versions));
      },
    );
}

function registerReplay(log: Command, io: CliIo): void {
  log
    .command('replay')
    .description('the objects as they stood at one revision, as a multi-document YAML stream')
    .argument('<dir>', 'directory of the file log')
    .requiredOption('--until <revision>', 'the revision to stop at (inclusive), at most the head', parseRevision)
    .option('--kind <kind>', 'only this kind (kind, plural or plural.group)')
    .option('-n, --namespace <namespace>', 'only namespaced objects in this namespace')
    .action(async (dir: string, options: { until: number; kind?: string; namespace?: string }) => {
      const type = options.kind === undefined ? undefined : resolveKind(options.kind);
      const { revision, objects } = await withLog(dir, io, (opened) =>
        objectsAt(opened, { until: options.until, type, namespace: options.namespace }),
      );
      io.stdout.write(formatYamlStream(objects, revision));
    });
}

/** Opens both logs (one directory named twice is opened once: a file log takes one lock). */
async function withTwoLogs<R>(
  dirA: string,
  dirB: string,
  io: CliIo,
  use: (a: FileLog, b: FileLog) => Promise<R>,
): Promise<R> {
  await Promise.all([checkLogDir(dirA), checkLogDir(dirB)]);
  if ((await realpath(dirA)) === (await realpath(dirB))) return withLog(dirA, io, (log) => use(log, log));
  return withLog(dirA, io, (a) => withLog(dirB, io, (b) => use(a, b)));
}

function registerDiff(log: Command, io: CliIo): void {
  log
    .command('diff')
    .description('compare two logs entry by entry and show the first divergence; exit 0 when identical, 1 when not')
    .argument('<dirA>', 'directory of the first file log')
    .argument('<dirB>', 'directory of the second file log')
    .option('--ignore-meta', 'leave entry metadata (actor, reason, request ids) out of the comparison')
    .option('--json', 'print the comparison as JSON')
    .action(async (dirA: string, dirB: string, options: { ignoreMeta?: boolean; json?: boolean }) => {
      const comparison = await withTwoLogs(dirA, dirB, io, (a, b) =>
        compareLogs(a, b, { ignoreMeta: options.ignoreMeta ?? false }),
      );
      if (options.json) printJson(io, comparison);
      else printLines(io, formatComparison(comparison));
      if (!comparison.identical) throw new CommandFailed();
    });
}

const EXIT_CODES = `
Exit codes: 0 ok, 1 failure (missing or locked log, unknown kind or object, logs that differ), 2 usage.`;

/** Registers `keelson log` and its subcommands. */
export function registerLogCommands(program: Command, io: CliIo): void {
  const log = program
    .command('log')
    .description('inspect, replay and compare file event logs (read only)')
    .addHelpText('after', EXIT_CODES);
  registerInspect(log, io);
  registerHistory(log, io);
  registerReplay(log, io);
  registerDiff(log, io);
}
