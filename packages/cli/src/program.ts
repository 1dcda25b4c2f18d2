/**
 * The `keelson` program: one commander tree, every command writing to the
 * injected streams and reporting failure by throwing, so {@link runCli} alone
 * decides the exit code.
 */
import { Command } from 'commander';
import { version as packageVersion } from '../package.json';
import type { CliIo } from './io';
import { registerLogCommands } from './log/commands';
import { registerServeCommand } from './serve/command';

/**
 * Adds one command (with its subcommands and options) to the program. This
 * is the hook for commands that live in their own module, such as `serve`:
 * export a registration from that module and list it in {@link builtinCommands}
 * (or pass it in `extraCommands`). Create commands with `program.command(...)`
 * so they inherit the program's output streams and exit override.
 */
export type CommandRegistration = (program: Command, io: CliIo) => void;

/** The commands every `keelson` program has, in the order help lists them. */
export const builtinCommands: readonly CommandRegistration[] = [registerServeCommand, registerLogCommands];

/** Options for {@link createProgram}. */
export interface ProgramOptions {
  /** Commands added after {@link builtinCommands}. */
  extraCommands?: readonly CommandRegistration[];
  /** Shown by `keelson --version` (default: the package's version). */
  version?: string;
}

/**
 * Builds the `keelson` command tree, writing to `io` and never exiting the
 * process: commander's own exits (help, usage errors) become `CommanderError`s
 * thrown from `parseAsync`.
 */
export function createProgram(io: CliIo, options: ProgramOptions = {}): Command {
  const program = new Command('keelson')
    .description('Serve a simulated Kubernetes-style cluster, and inspect, replay and compare its event logs')
    .version(options.version ?? packageVersion, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help for the command')
    .showHelpAfterError('(run with --help for usage)')
    // Settings set before `.command()` are inherited by every subcommand.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  for (const register of [...builtinCommands, ...(options.extraCommands ?? [])]) register(program, io);
  return program;
}
