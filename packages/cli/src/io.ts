/** Where the command writes, injected so tests (and embedders) capture output instead of the process's streams. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/** The process's own streams: what the `keelson` binary uses. */
export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** Writes `text` to `stream`, adding the newline a line of output ends with. */
export function writeLine(stream: CliIo['stdout'], text = ''): void {
  stream.write(`${text}\n`);
}
