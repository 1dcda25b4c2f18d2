export { CommandFailed } from './errors';
export type { CliIo } from './io';
export { processIo } from './io';
export type { CommandRegistration, ProgramOptions } from './program';
export { builtinCommands, createProgram } from './program';
export { ExitCode, runCli } from './runCli';
