import type { ProbeNetwork } from './types';

/** What {@link probeNetworkOf} needs: the simulated probes of `@keelson/runtime-mock`'s `MockRuntime`. */
export interface SimulatedProbes {
  probeHttp(containerId: string, target: { path: string; port: number; timeoutMs: number }): Promise<number>;
  probeTcp(containerId: string, port: number, options: { timeoutMs: number }): Promise<boolean>;
}

/**
 * The {@link ProbeNetwork} of a mock runtime, so that `httpGet` and
 * `tcpSocket` probes reach its simulated containers.
 *
 * @example
 * ```ts
 * const runtime = createMockRuntime({ clock, registry });
 * prober.probeContainer({ containerId, target: { network: probeNetworkOf(runtime) }, livenessProbe });
 * ```
 */
export function probeNetworkOf(runtime: SimulatedProbes): ProbeNetwork {
  return {
    http: (containerId, request) => runtime.probeHttp(containerId, request),
    tcp: (containerId, port, options) => runtime.probeTcp(containerId, port, options),
  };
}
