import { isCriError, type RuntimeService } from '@keelson/cri';
import { errorMessage } from './resolveProbe';
import type { ProbeHandler } from './types';

// The kubelet keeps at most this much of a command's output for the event message.
const MAX_OUTPUT_BYTES = 10 * 1024;

/** Options of {@link createExecHandler}. */
export interface ExecHandlerOptions {
  /** The CRI runtime that runs the command in the container (only `execSync` is used). */
  runtime: Pick<RuntimeService, 'execSync'>;
}

/**
 * The `exec` handler: runs the command in `target.containerId` through the
 * CRI's `execSync` with the probe's `timeoutSeconds`. Exit code 0 is
 * `Success`, any other `Failure` (message: the output); the runtime's
 * `DeadlineExceeded` is a timeout, `Failure`. Any other runtime error
 * (container not running, runtime down) is `Unknown`: the kubelet treats it
 * as a prober error and throws the result away.
 */
export function createExecHandler(options: ExecHandlerOptions): ProbeHandler {
  const { runtime } = options;
  const decoder = new TextDecoder();
  return async (probe, target) => {
    const command = probe.exec?.command;
    if (command === undefined) return { result: 'Unknown', message: 'not an exec probe' };
    if (target.containerId === undefined) return { result: 'Unknown', message: 'an exec probe needs containerId' };
    try {
      const response = await runtime.execSync(target.containerId, [...command], probe.timeoutSeconds);
      if (response.exitCode === 0) return { result: 'Success' };
      const output = decoder.decode(response.stdout) + decoder.decode(response.stderr);
      const message =
        output.length > 0 ? output.slice(0, MAX_OUTPUT_BYTES) : `command exited with ${response.exitCode}`;
      return { result: 'Failure', message };
    } catch (error) {
      if (isCriError(error, 'DeadlineExceeded')) {
        return { result: 'Failure', message: `command ${JSON.stringify(command)} timed out` };
      }
      return { result: 'Unknown', message: errorMessage(error) };
    }
  };
}
