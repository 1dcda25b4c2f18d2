import net from 'node:net';
import type { Clock } from '@keelson/clock';
import { errorMessage, joinHostPort, resolveHost, resolvePort } from './resolveProbe';
import type { ProbeHandler, ProbeOutcome } from './types';

/** Opens a TCP connection and closes it at once (a FIN, as the kubelet's dialer does); fails on error or abort. */
function connectOnce(host: string, port: number, signal: AbortSignal): Promise<ProbeOutcome> {
  const address = joinHostPort(host, port);
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve({ result: 'Failure', message: `dial tcp ${address}: aborted` });
      return;
    }
    const socket = net.connect({ host, port });
    const finish = (outcome: ProbeOutcome) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = () => finish({ result: 'Failure', message: `dial tcp ${address}: i/o timeout` });
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish({ result: 'Success' }));
    // Stays attached after the verdict: a late error on a socket being closed must not go unhandled.
    socket.on('error', (error) =>
      finish({ result: 'Failure', message: `dial tcp ${address}: ${errorMessage(error)}` }),
    );
  });
}

/** Options of {@link createTcpSocketHandler}. */
export interface TcpSocketHandlerOptions {
  /** Real connections are passed through `clock.track`, so a `VirtualClock` waits for them. */
  clock: Clock;
}

/**
 * The `tcpSocket` handler: `Success` when a TCP connection to `host:port`
 * opens (the connection is closed at once; nothing is sent), `Failure` on
 * refusal, unreachable host or timeout. With `target.network`, the
 * connection is simulated instead.
 */
export function createTcpSocketHandler(options: TcpSocketHandlerOptions): ProbeHandler {
  const { clock } = options;
  return async (probe, target, signal) => {
    const action = probe.tcpSocket;
    if (action === undefined) return { result: 'Unknown', message: 'not a tcpSocket probe' };
    const port = resolvePort(action.port, target);
    if (typeof port !== 'number') return { result: 'Unknown', message: port.error };

    if (target.network !== undefined) {
      const id = target.containerId;
      if (id === undefined) return { result: 'Unknown', message: 'a simulated probe needs containerId' };
      try {
        const connected = await target.network.tcp(id, port, { timeoutMs: probe.timeoutSeconds * 1_000 });
        return connected ? { result: 'Success' } : { result: 'Failure', message: `dial tcp ${id}:${port}: refused` };
      } catch (error) {
        return { result: 'Failure', message: `dial tcp ${id}:${port}: ${errorMessage(error)}` };
      }
    }
    return clock.track(connectOnce(resolveHost(action.host, target), port, signal));
  };
}
