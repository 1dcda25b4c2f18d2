import { CommanderError } from 'commander';
import { CommandFailed } from './errors';
import { type CliIo, processIo, writeLine } from './io';
import { createProgram, type ProgramOptions } from './program';

/** The exit codes scripts can rely on. */
export const ExitCode = {
  /** The command did what it was asked (and `log diff` found the logs identical). */
  ok: 0,
  /** The command ran and failed: a missing or locked log, an unknown object, logs that differ. */
  failure: 1,
  /** The command line is wrong: an unknown command or option, a missing or malformed argument. */
  usage: 2,
} as const;

/**
 * Runs the `keelson` command with `argv` (without `node` and the script) and
 * resolves to its exit code: 0 ok, 1 failure, 2 usage. Output goes to `io`
 * (default: the process's streams); it never calls `process.exit`.
 *
 * @example
 * ```ts
 * const code = await runCli(['log', 'inspect', './data/log', '--json']);
 * ```
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  options?: ProgramOptions,
): Promise<number> {
  const program = createProgram(io, options);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    // Commander has already printed its message (usage errors) or the help/version it was asked for.
    if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    if (error instanceof CommandFailed) return ExitCode.failure;
    writeLine(io.stderr, `keelson: ${error instanceof Error ? error.message : String(error)}`);
    return ExitCode.failure;
  }
}
