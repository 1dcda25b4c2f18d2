/**
 * Failing one probe of one container: the node agent reaches a mock
 * runtime's simulated network through a proxy that answers the probe's
 * target (its HTTP path and port, TCP port or exec command) with a failure
 * while the fault lasts. Probes of other containers, and other probes of the
 * same container with a different target, are untouched.
 */
import type { MockRuntime } from '@keelson/runtime-mock';

/** What one probe checks, as the agent calls the runtime. */
export type ProbeTarget =
  | { kind: 'http'; path: string; port: number }
  | { kind: 'tcp'; port: number }
  | { kind: 'exec'; command: string };

interface ProbeFault {
  containerId: string;
  target: ProbeTarget;
}

function sameTarget(a: ProbeTarget, b: ProbeTarget): boolean {
  if (a.kind === 'http' && b.kind === 'http') return a.path === b.path && a.port === b.port;
  if (a.kind === 'tcp' && b.kind === 'tcp') return a.port === b.port;
  return a.kind === 'exec' && b.kind === 'exec' && a.command === b.command;
}

/** The probe faults of one node, and the runtime the agent should use. */
export class ProbeFaults {
  private readonly faults = new Set<ProbeFault>();
  /** The runtime as the node agent sees it. */
  readonly runtime: MockRuntime;

  constructor(inner: MockRuntime) {
    const failing = (containerId: string, target: ProbeTarget) =>
      this.faults.size > 0 &&
      [...this.faults].some((f) => f.containerId === containerId && sameTarget(f.target, target));
    // One bound method per property, made on first use (and again only if the method is replaced).
    const made = new Map<PropertyKey, { value: unknown; fn: unknown }>();
    this.runtime = new Proxy(inner, {
      get(object, property) {
        const value = Reflect.get(object, property, object);
        if (typeof value !== 'function') return value;
        const known = made.get(property);
        if (known !== undefined && known.value === value) return known.fn;
        const fn = methodOf(object, property, value);
        made.set(property, { value, fn });
        return fn;
      },
    });
    const methodOf = (object: MockRuntime, property: PropertyKey, value: (...a: unknown[]) => unknown): unknown => {
      if (property === 'probeHttp') {
        return async (id: string, target: { path: string; port: number }) =>
          failing(id, { kind: 'http', path: target.path, port: target.port }) ? 503 : object.probeHttp(id, target);
      }
      if (property === 'probeTcp') {
        return async (id: string, port: number, options?: Parameters<MockRuntime['probeTcp']>[2]) =>
          failing(id, { kind: 'tcp', port }) ? false : object.probeTcp(id, port, options);
      }
      if (property === 'execSync') {
        return async (id: string, cmd: string[], timeoutSeconds: number) =>
          failing(id, { kind: 'exec', command: cmd.join('\u0000') })
            ? { stdout: new Uint8Array(), stderr: new TextEncoder().encode('probe failed (injected)'), exitCode: 1 }
            : object.execSync(id, cmd, timeoutSeconds);
      }
      return value.bind(object);
    };
  }

  /** Fails `target` of `containerId` until the returned function is called. */
  fail(containerId: string, target: ProbeTarget): () => void {
    const fault = { containerId, target };
    this.faults.add(fault);
    return () => this.faults.delete(fault);
  }
}
