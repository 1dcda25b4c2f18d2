/**
 * The preStop hook, run before a container's stop signal as the kubelet's
 * `executePreStopHook` does: within the grace period, whose remainder then
 * bounds the stop (at least the kubelet's `minimumGracePeriodInSeconds`, 2 s).
 */
import type { Container } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import type { RuntimeService } from '@keelson/cri';

/** The kubelet's floor for what is left of the grace period after a preStop hook. */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;

/**
 * Runs `container`'s preStop hook (exec through the runtime's `execSync`,
 * sleep on the clock), bounded by `graceSeconds`.
 *
 * @returns the grace period left for the stop, and the failure message if the hook failed.
 */
export async function runPreStop(
  ctx: { runtime: RuntimeService; clock: Clock },
  container: Container,
  id: string,
  graceSeconds: number,
): Promise<{ grace: number; failure?: string }> {
  const hook = container.lifecycle?.preStop;
  if (hook === undefined || graceSeconds <= 0) return { grace: graceSeconds };
  const started = ctx.clock.now();
  const failure = await runHandler(ctx, hook, id, graceSeconds);
  const elapsedSeconds = Math.floor((ctx.clock.now() - started) / 1_000);
  const grace = Math.max(graceSeconds - elapsedSeconds, MINIMUM_GRACE_PERIOD_SECONDS);
  return failure === undefined ? { grace } : { grace, failure };
}

/** Runs `container`'s postStart hook; the failure message, or undefined when it succeeded. */
export function runPostStart(
  ctx: { runtime: RuntimeService; clock: Clock },
  container: Container,
  id: string,
  limitSeconds: number,
): Promise<string | undefined> {
  const hook = container.lifecycle?.postStart;
  return hook === undefined ? Promise.resolve(undefined) : runHandler(ctx, hook, id, limitSeconds);
}

type Handler = NonNullable<NonNullable<Container['lifecycle']>['preStop']>;

/** Runs one hook handler within `limitSeconds`, as the kubelet's handler runner: the failure message or undefined. */
async function runHandler(
  ctx: { runtime: RuntimeService; clock: Clock },
  hook: Handler,
  id: string,
  limitSeconds: number,
): Promise<string | undefined> {
  let failure: string | undefined;
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  const deadline = new Promise<string>((resolve) => {
    timer = ctx.clock.setTimeout(
      () => resolve(`the hook did not finish within ${limitSeconds}s`),
      limitSeconds * 1_000,
    );
  });
  const run = async (): Promise<string | undefined> => {
    if (hook.exec !== undefined) {
      const result = await ctx.runtime.execSync(id, [...(hook.exec.command ?? [])], limitSeconds);
      return result.exitCode === 0
        ? undefined
        : `command ${JSON.stringify(hook.exec.command)} exited with ${result.exitCode}`;
    }
    if (hook.sleep !== undefined) {
      const ms = hook.sleep.seconds * 1_000;
      await new Promise<void>((resolve) => ctx.clock.setTimeout(resolve, ms));
      return undefined;
    }
    return `Cannot run handler: invalid handler: ${JSON.stringify(hook)}`;
  };
  try {
    failure = await Promise.race([run().catch((error: unknown) => String(error)), deadline]);
  } finally {
    if (timer !== undefined) ctx.clock.clearTimeout(timer);
  }
  return failure;
}
