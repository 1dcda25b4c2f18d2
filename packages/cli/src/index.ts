/** Runs the `keelson` command with `argv` (without `node` and the script) and resolves to its exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  process.stderr.write(`keelson: unknown command ${argv.join(' ')}\n`);
  return 2;
}
