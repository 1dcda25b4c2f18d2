/**
 * A command that ran to the end and printed its answer, which is "no" (`log
 * diff` of logs that differ): exit code 1 with nothing more to print.
 */
export class CommandFailed extends Error {
  constructor(message = 'the command reported a failure') {
    super(message);
    this.name = 'CommandFailed';
  }
}
