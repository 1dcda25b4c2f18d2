import { CriError, type ExecSyncResponse } from '@keelson/cri';
import { elapsedMs, type RuntimeContext } from './context';
import { checkSeconds, failedPrecondition, invalidArgument } from './errors';
import { processOf } from './fileScript';
import { runningContainer } from './lifecycle';
import { waitOrExit } from './waiting';

const encoder = new TextEncoder();

const deadlineExceeded = (id: string, cmd: readonly string[], timeoutSeconds: number) =>
  new CriError(
    'DeadlineExceeded',
    `command ${JSON.stringify(cmd)} in container "${id}" timed out after ${timeoutSeconds}s and was killed`,
  );

const exitedDuringExec = (id: string) =>
  failedPrecondition(`container "${id}" exited while the command ran; the command was killed with it`);

/**
 * `execSync`: runs the image's scripted `exec` (default: exit code 0, no
 * output), taking its `durationMs` on the clock. A hung container never
 * answers: the call fails with `DeadlineExceeded` at the timeout (0 waits
 * until the container exits).
 */
export async function execSync(
  ctx: RuntimeContext,
  id: string,
  cmd: string[],
  timeoutSeconds: number,
): Promise<ExecSyncResponse> {
  if (!Array.isArray(cmd) || cmd.length === 0) throw invalidArgument('execSync: cmd must name a command to run');
  checkSeconds('execSync', 'timeoutSeconds', timeoutSeconds);
  const record = runningContainer(ctx, id, 'execSync');
  const command = [...cmd];
  const limitMs = timeoutSeconds === 0 ? undefined : timeoutSeconds * 1_000;
  if (record.hung) {
    const how = await waitOrExit(ctx.clock, record, limitMs);
    throw how === 'exited' ? exitedDuringExec(id) : deadlineExceeded(id, command, timeoutSeconds);
  }
  const result = record.behaviour.exec?.(command, elapsedMs(ctx, record), processOf(ctx, record)) ?? { exitCode: 0 };
  const durationMs = Math.max(0, result.durationMs ?? 0);
  if (limitMs !== undefined && durationMs > limitMs) {
    const how = await waitOrExit(ctx.clock, record, limitMs);
    throw how === 'exited' ? exitedDuringExec(id) : deadlineExceeded(id, command, timeoutSeconds);
  }
  if (durationMs > 0 && (await waitOrExit(ctx.clock, record, durationMs)) === 'exited') throw exitedDuringExec(id);
  return {
    stdout: encoder.encode(result.stdout ?? ''),
    stderr: encoder.encode(result.stderr ?? ''),
    exitCode: result.exitCode,
  };
}
