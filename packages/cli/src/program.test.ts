import { describe, expect, it } from 'vitest';
import { captureIo } from '../test/sampleLog';
import { ExitCode, runCli } from './index';

describe('keelson program', () => {
  it('prints help on --help at every level and exits 0', async () => {
    for (const argv of [['--help'], ['log', '--help'], ['log', 'replay', '--help'], ['help', 'log']]) {
      const io = captureIo();
      expect(await runCli(argv, io)).toBe(ExitCode.ok);
      expect(io.out()).toMatch(/^Usage: keelson/);
      expect(io.err()).toBe('');
    }
    const io = captureIo();
    await runCli(['log', '--help'], io);
    expect(io.out()).toMatch(/inspect .*\n[\s\S]*history[\s\S]*replay[\s\S]*diff/);
    expect(io.out()).toMatch(/Exit codes: 0 ok, 1 failure .*, 2 usage/);
  });

  it('prints the version', async () => {
    const io = captureIo();
    expect(await runCli(['--version'], io)).toBe(0);
    expect(io.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 for usage errors, naming what was wrong', async () => {
    const cases: [string[], RegExp][] = [
      [['nope'], /unknown command 'nope'/],
      [['log', 'nope'], /unknown command 'nope'/],
      [['log', 'inspect', '/tmp', '--frobnicate'], /unknown option '--frobnicate'/],
      [['log', 'inspect'], /missing required argument 'dir'/],
      [['log', 'inspect', 'a', 'b'], /too many arguments/],
      [['log', 'history', '/tmp', 'web'], /value 'web' is invalid for argument 'object'\. expected KIND\/NAME/],
      [['log', 'replay', '/tmp'], /required option '--until <revision>' not specified/],
    ];
    for (const [argv, message] of cases) {
      const io = captureIo();
      expect(await runCli(argv, io), argv.join(' ')).toBe(ExitCode.usage);
      expect(io.err()).toMatch(message);
      expect(io.out()).toBe('');
    }
  });

  it('exits 2 with help on stderr when a command needs a subcommand', async () => {
    for (const argv of [[], ['log']]) {
      const io = captureIo();
      expect(await runCli(argv, io)).toBe(ExitCode.usage);
      expect(io.err()).toMatch(/^Usage: keelson/);
    }
  });

  it('registers extra commands, which share the streams and exit codes', async () => {
    const io = captureIo();
    const extraCommands = [
      (program: import('commander').Command) => {
        program
          .command('hello')
          .argument('<who>')
          .action((who: string) => {
            io.stdout.write(`hello ${who}\n`);
          });
        program.command('fail').action(() => {
          throw new Error('it broke; try again');
        });
      },
    ];
    expect(await runCli(['hello', 'world'], io, { extraCommands })).toBe(0);
    expect(io.out()).toBe('hello world\n');
    expect(await runCli(['hello'], io, { extraCommands })).toBe(2);
    expect(await runCli(['fail'], io, { extraCommands })).toBe(1);
    expect(io.err()).toMatch(/keelson: it broke; try again\n$/);
  });
});
