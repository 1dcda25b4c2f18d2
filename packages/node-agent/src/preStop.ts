/**
 * The preStop hook, run before a container's stop signal as the kubelet's
 * `executePreStopHook` does: within the grace period, whose remainder then
 * bounds the stop (at least the kubelet's `minimumGracePeriodInSeconds`, 2 s).
 */
import type { Container } from '@keelson/api';
import type { Clock } from '@keelson/clock';
import type { RuntimeService } from '@keelson/cri';
import { createHttpGetHandler, type ProbeNetwork, resolveProbe } from '@keelson/health';
import { namedPorts } from './containers';

/** What a hook runs with: the runtime (exec), the clock (sleep, deadlines) and the pod network (httpGet). */
export interface HookContext {
  runtime: RuntimeService;
  clock: Clock;
  /** The simulated pod network of a mock runtime; without it an httpGet hook opens a real socket. */
  network?: ProbeNetwork | undefined;
}

/** The kubelet's floor for what is left of the grace period after a preStop hook. */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;

/**
 * Runs `container`'s preStop hook (exec through the runtime's `execSync`,
 * sleep on the clock), bounded by `graceSeconds`.
 *
 * @returns the grace period left for the stop, and the failure message if the hook failed.
 */
export async function runPreStop(
  ctx: HookContext,
  container: Container,
  id: string,
  graceSeconds: number,
  podIP?: string,
): Promise<{ grace: number; failure?: string }> {
  const hook = container.lifecycle?.preStop;
  if (hook === undefined || graceSeconds <= 0) return { grace: graceSeconds };
  const started = ctx.clock.now();
  const failure = await runHandler(ctx, hook, { id, container, podIP }, graceSeconds);
  const elapsedSeconds = Math.floor((ctx.clock.now() - started) / 1_000);
  const grace = Math.max(graceSeconds - elapsedSeconds, MINIMUM_GRACE_PERIOD_SECONDS);
  return failure === undefined ? { grace } : { grace, failure };
}

/** Runs `container`'s postStart hook; the failure message, or undefined when it succeeded. */
export function runPostStart(
  ctx: HookContext,
  container: Container,
  id: string,
  limitSeconds: number,
  podIP?: string,
): Promise<string | undefined> {
  const hook = container.lifecycle?.postStart;
  return hook === undefined
    ? Promise.resolve(undefined)
    : runHandler(ctx, hook, { id, container, podIP }, limitSeconds);
}

type Handler = NonNullable<NonNullable<Container['lifecycle']>['preStop']>;

/** Runs one hook handler within `limitSeconds`, as the kubelet's handler runner: the failure message or undefined. */
async function runHandler(
  ctx: HookContext,
  hook: Handler,
  where: { id: string; container: Container; podIP: string | undefined },
  limitSeconds: number,
): Promise<string | undefined> {
  const { id } = where;
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
    if (hook.httpGet !== undefined) return runHttpHook(ctx, hook.httpGet, where, limitSeconds);
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

/**
 * An httpGet hook, as the kubelet's `runHTTPHandler`: a GET to the pod IP
 * (unless the hook names a host) on the port (a number or the container's
 * named port), through the same handler as httpGet probes — the mock
 * runtime's simulated network when there is one, a real socket otherwise.
 * A 2xx or 3xx answer succeeds.
 */
async function runHttpHook(
  ctx: HookContext,
  action: NonNullable<Handler['httpGet']>,
  where: { id: string; container: Container; podIP: string | undefined },
  limitSeconds: number,
): Promise<string | undefined> {
  const probe = resolveProbe({ httpGet: action, timeoutSeconds: Math.max(1, limitSeconds) } as never, 'liveness');
  const target = {
    containerId: where.id,
    ...(where.podIP === undefined || where.podIP === '' ? {} : { host: where.podIP }),
    ports: namedPorts(where.container),
    ...(ctx.network === undefined ? {} : { network: ctx.network }),
  };
  const outcome = await createHttpGetHandler({ clock: ctx.clock })(probe, target, new AbortController().signal);
  if (outcome.result === 'Success') return undefined;
  return `HTTP lifecycle hook (${action.path ?? '/'}) for Container "${where.container.name}" failed - error: ${outcome.message ?? outcome.result}`;
}
