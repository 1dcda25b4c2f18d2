import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '@keelson/clock';
import { CriError } from '@keelson/cri';
import { afterEach, describe, expect, it } from 'vitest';
import { createProber } from './createProber';
import { createExecHandler } from './exec';
import { createGrpcHandler } from './grpc';
import { createHttpGetHandler, PROBE_USER_AGENT } from './httpGet';
import { collect, runContainer, START } from './probeTestHarness';
import { resolveProbe } from './resolveProbe';
import { PROBE_ATTEMPTS, runProbe } from './runProbe';
import type { GrpcCheckTarget, GrpcServingStatus, ProbeHandler, ProbeRun, ProbeTransition } from './types';

const never = new AbortController().signal;

describe('exec', () => {
  it('runs the command through execSync: exit 0 is Success, anything else Failure with the output', async () => {
    const { clock, runtime, containerId } = await runContainer({
      exec: (cmd, t) =>
        cmd.join(' ') === 'cat /tmp/healthy' && t < 20_000 ? { exitCode: 0 } : { exitCode: 1, stderr: 'No such file' },
    });
    const probes = createProber({ clock, runtime }).probeContainer({
      containerId,
      readinessProbe: { exec: { command: ['cat', '/tmp/healthy'] }, failureThreshold: 1 },
    });
    const transitions = collect<ProbeTransition>(probes.transitions);
    await clock.advance(30_000);
    expect(transitions).toEqual([
      { kind: 'readiness', result: 'Success', at: START, containerId },
      { kind: 'readiness', result: 'Failure', at: START + 20_000, message: 'No such file', containerId },
    ]);
    probes.stop();
  });

  it("takes the runtime's DeadlineExceeded as a timeout, at exactly timeoutSeconds", async () => {
    const { clock, runtime, containerId } = await runContainer({ exec: () => ({ exitCode: 0, durationMs: 5_000 }) });
    const probes = createProber({ clock, runtime }).probeContainer({
      containerId,
      livenessProbe: { exec: { command: ['slow'] }, timeoutSeconds: 2, failureThreshold: 1 },
    });
    const transitions = collect<ProbeTransition>(probes.transitions);
    await clock.advance(1_999);
    expect(transitions).toEqual([]);
    await clock.advance(1);
    expect(transitions).toEqual([
      { kind: 'liveness', result: 'Failure', at: START + 2_000, message: 'command ["slow"] timed out', containerId },
    ]);
    probes.stop();
  });

  it("throws away runtime errors (Unknown), after the kubelet's retries", async () => {
    let calls = 0;
    const handler = createExecHandler({
      runtime: {
        execSync: async () => {
          calls++;
          throw new CriError('FailedPrecondition', 'container is not running');
        },
      },
    });
    const probe = resolveProbe({ exec: { command: ['true'] } }, 'liveness');
    const outcome = await runProbe(handler, probe, { containerId: 'c1' }, { clock: systemClock });
    expect(outcome).toEqual({ result: 'Unknown', message: 'container is not running' });
    expect(calls).toBe(PROBE_ATTEMPTS);
  });
});

describe('grpc', () => {
  it('asks the injected checker: SERVING is Success, any other status or an error Failure', async () => {
    const { clock, containerId } = await runContainer();
    const answers: Array<GrpcServingStatus | Error> = ['SERVING', 'NOT_SERVING', new Error('connection refused')];
    const asked: Array<[Omit<GrpcCheckTarget, 'signal'>, string]> = [];
    const grpcChecker = async ({ signal: _signal, ...target }: GrpcCheckTarget, service: string) => {
      asked.push([target, service]);
      const answer = answers.shift() ?? 'SERVING';
      if (answer instanceof Error) throw answer;
      return answer;
    };
    const runs: ProbeRun[] = [];
    const probes = createProber({ clock, grpcChecker }).probeContainer({
      containerId,
      target: { host: '10.88.0.5' },
      readinessProbe: { grpc: { port: 9090, service: 'api' }, failureThreshold: 1 },
      onRun: (run) => runs.push(run),
    });
    await clock.advance(30_000);
    expect(asked[0]).toEqual([{ host: '10.88.0.5', port: 9090, timeoutMs: 1_000, containerId }, 'api']);
    expect(runs.map(({ observed, message }) => [observed, message])).toEqual([
      ['Success', 'service healthy'],
      ['Failure', 'service unhealthy (responded with "NOT_SERVING")'],
      ['Failure', 'error: health rpc probe to 10.88.0.5:9090 failed: connection refused'],
      ['Success', 'service healthy'],
    ]);
    probes.stop();
  });

  it('is a plain handler too', async () => {
    const handler = createGrpcHandler({ checker: async () => 'SERVICE_UNKNOWN' });
    const probe = resolveProbe({ grpc: { port: 50051 } }, 'startup');
    expect(await handler(probe, {}, never)).toEqual({
      result: 'Failure',
      message: 'service unhealthy (responded with "SERVICE_UNKNOWN")',
    });
  });
});

describe('httpGet against a real server', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    const open = server;
    server = undefined;
    if (open) await new Promise((resolve) => open.close(resolve));
  });

  async function serve(handle: http.RequestListener): Promise<number> {
    const created = http.createServer(handle);
    server = created;
    await new Promise<void>((resolve) => created.listen(0, '127.0.0.1', resolve));
    return (created.address() as AddressInfo).port;
  }

  const get = (port: number, path: string, extra: object = {}) =>
    createHttpGetHandler({ clock: systemClock })(
      resolveProbe({ httpGet: { port, path, ...extra } }, 'readiness'),
      { host: '127.0.0.1' },
      never,
    );

  it("sends the probe's headers, a kube-probe User-Agent, and honours a Host header", async () => {
    const seen: http.IncomingHttpHeaders[] = [];
    const port = await serve((req, res) => {
      seen.push(req.headers);
      res.end();
    });
    const headers = [
      { name: 'X-Token', value: 'abc' },
      { name: 'Host', value: 'app.example.com' },
    ];
    expect(await get(port, '/healthz?full=1', { httpHeaders: headers })).toEqual({ result: 'Success' });
    expect(seen[0]).toMatchObject({
      'x-token': 'abc',
      host: 'app.example.com',
      'user-agent': PROBE_USER_AGENT,
      accept: '*/*',
    });
  });

  it('follows redirects on the same host, up to 10 responses, and not to another host', async () => {
    const port = await serve((req, res) => {
      const to: Record<string, string> = {
        '/old': '/new',
        '/away': `http://localhost:${port}/new`,
        '/loop': '/loop',
      };
      const location = to[req.url ?? ''];
      res.writeHead(location ? 302 : req.url === '/new' ? 200 : 404, location ? { location } : {});
      res.end();
    });
    expect(await get(port, '/old')).toEqual({ result: 'Success' });
    expect(await get(port, '/away')).toEqual({ result: 'Success', message: 'Probe terminated redirects (302)' });
    expect(await get(port, '/loop')).toEqual({
      result: 'Failure',
      message: `Get "http://127.0.0.1:${port}/loop": stopped after 10 redirects`,
    });
    expect(await get(port, '/missing')).toEqual({
      result: 'Failure',
      message: 'HTTP probe failed with statuscode: 404',
    });
  });

  it('fails on a refused connection', async () => {
    const port = await serve((_req, res) => res.end());
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const outcome = await get(port, '/');
    expect(outcome.result).toBe('Failure');
    expect(outcome.message).toMatch(/ECONNREFUSED/);
  });
});

describe('runProbe', () => {
  it('retries only errors, and gives a throwing handler an Unknown', async () => {
    let calls = 0;
    const throwing: ProbeHandler = () => {
      calls++;
      throw new Error('boom');
    };
    const probe = resolveProbe({ tcpSocket: { port: 80 } }, 'readiness');
    expect(await runProbe(throwing, probe, {}, { clock: systemClock })).toEqual({ result: 'Unknown', message: 'boom' });
    expect(calls).toBe(3);
    calls = 0;
    const failing: ProbeHandler = async () => {
      calls++;
      return { result: 'Failure' };
    };
    expect(await runProbe(failing, probe, {}, { clock: systemClock })).toEqual({ result: 'Failure' });
    expect(calls).toBe(1);
  });
});
