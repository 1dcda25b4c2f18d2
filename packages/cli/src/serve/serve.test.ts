import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubectl } from '../../../apiserver/test/kubectl';
import { captureIo } from '../../test/sampleLog';
import { ExitCode, runCli } from '../index';
import { formatLogLine } from './requestLog';
import { type RunningServe, startServe } from './startServe';

const TOKEN = 'serve-test-token-0123456789abcdef';

function get(url: string, ca: string | undefined, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ...(ca === undefined ? {} : { ca }), headers: token === undefined ? {} : { authorization: `Bearer ${token}` } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject).end();
  });
}

describe('keelson serve', () => {
  let dir: string;
  let serve: RunningServe;
  const io = captureIo();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keelson-serve-'));
    serve = await startServe(
      { nodes: 2, port: 0, data: join(dir, 'data'), kubeconfig: join(dir, 'kube', 'config'), token: TOKEN },
      io,
    );
  });
  afterAll(async () => {
    await serve?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the URL and how to point kubectl at it, and writes a private kubeconfig', async () => {
    expect(serve.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(io.out()).toContain(`Keelson API server at ${serve.url}`);
    expect(io.out()).toContain(`export KUBECONFIG=${serve.kubeconfigPath}`);
    expect(io.out()).toContain('kubectl get nodes');
    expect(serve.kubeconfigPath).toBe(join(dir, 'kube', 'config'));
    expect((await stat(serve.kubeconfigPath)).mode & 0o777).toBe(0o600);
    const config = parse(await readFile(serve.kubeconfigPath, 'utf8'));
    expect(config.clusters[0].cluster.server).toBe(serve.url);
    expect(config.users[0].user.token).toBe(TOKEN);
  });

  it('answers with the token, 401 without (but /version, public as in Kubernetes), logging each request', async () => {
    const version = await get(`${serve.url}/version`, serve.certificate, TOKEN);
    expect(version.status).toBe(200);
    expect(JSON.parse(version.body)).toHaveProperty('gitVersion');
    const nodes = await get(`${serve.url}/api/v1/nodes`, serve.certificate, TOKEN);
    expect(nodes.status).toBe(200);
    expect(JSON.parse(nodes.body).items).toHaveLength(2);
    expect((await get(`${serve.url}/api/v1/nodes`, serve.certificate)).status).toBe(401);
    expect((await get(`${serve.url}/api/v1/nodes`, serve.certificate, 'wrong-token-000')).status).toBe(401);
    expect(io.err()).toMatch(/\d\d:\d\d:\d\d\.\d{3} GET \/version 200 [\d.]+ms -\n/);
    expect(io.err()).toMatch(/GET \/api\/v1\/nodes 200 [\d.]+ms admin\n/);
    expect(io.err()).toMatch(/GET \/api\/v1\/nodes 401 [\d.]+ms -\n/);
  });

  it("logs the cluster's components to stderr with their component, as well as requests", async () => {
    // The node lifecycle controller saw the two nodes register; the manager started its controllers.
    expect(io.err()).toMatch(/ INFO Registered Node node-1 in Controller component=node-lifecycle /);
    expect(io.err()).toMatch(/ INFO starting workers component=controller-manager controller=\S+/);
  });

  it('lists its nodes to kubectl', async () => {
    const { code, stdout, stderr } = await kubectl(['get', 'nodes'], { kubeconfig: serve.kubeconfigPath });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
    expect(stdout).toMatch(/\nnode-1\s+Ready\s/);
    expect(stdout).toMatch(/\nnode-2\s+Ready\s/);
    const metrics = await kubectl(['get', '--raw', '/metrics'], { kubeconfig: serve.kubeconfigPath });
    expect(metrics.stdout).toMatch(
      /^keelson_apiserver_request_total\{verb="list",group="",version="v1",resource="nodes",subresource="",code="200"\} \d+$/m,
    );
  }, 60_000);

  it('stops cleanly, leaving a file log that keelson log inspect reads', async () => {
    await serve.stop();
    await serve.stop();
    await expect(get(`${serve.url}/version`, serve.certificate, TOKEN)).rejects.toThrow();
    const inspect = captureIo();
    expect(await runCli(['log', 'inspect', join(dir, 'data')], inspect)).toBe(ExitCode.ok);
    expect(inspect.out()).toMatch(/core\/nodes\s+Node\s+\d+\s+2\n/);
    expect(inspect.err()).toBe('');
  });
});

describe('the keelson serve command', () => {
  it('serves until SIGTERM, then stops and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keelson-serve-'));
    try {
      const io = captureIo();
      const kubeconfig = join(dir, 'kubeconfig');
      const exit = runCli(['serve', '--port', '0', '--nodes', '1', '--kubeconfig', kubeconfig], io);
      const deadline = Date.now() + 20_000;
      while (!io.out().includes('kubectl get nodes') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(io.out()).toContain(`export KUBECONFIG=${kubeconfig}`);
      expect(io.out()).toContain('1 mock node, memory log');
      // The worker has no signal handlers of its own, so this reaches only the command's.
      process.emit('SIGTERM', 'SIGTERM');
      expect(await exit).toBe(ExitCode.ok);
      expect(io.err()).toMatch(/SIGTERM: stopping\nstopped\n$/);
      expect(process.listenerCount('SIGTERM')).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('keelson serve usage', () => {
  it('prints help', async () => {
    const io = captureIo();
    expect(await runCli(['serve', '--help'], io)).toBe(ExitCode.ok);
    expect(io.out()).toMatch(/^Usage: keelson serve \[options\]/);
    for (const flag of [
      '--nodes',
      '--port',
      '--host',
      '--data',
      '--etcd',
      '--kubeconfig',
      '--seed',
      '--token',
      '--anonymous',
    ]) {
      expect(io.out()).toContain(flag);
    }
  });

  it('exits 2 naming the flag, before anything starts', async () => {
    const cases: [string[], RegExp][] = [
      [['--nodes', '-1'], /option '--nodes <n>' argument '-1' is invalid/],
      [['--nodes', 'x'], /option '--nodes <n>' argument 'x' is invalid/],
      [['--port', '70000'], /option '--port <port>' argument '70000' is invalid/],
      [['--seed', '1.5'], /option '--seed <seed>' argument '1.5' is invalid/],
      [['--token', 'a b'], /option '--token <token>' argument 'a b' is invalid/],
      [['--etcd', 'nope'], /option '--etcd <url>' argument 'nope' is invalid/],
      [
        ['--data', '/tmp/x', '--etcd', 'http://127.0.0.1:2379'],
        /option '--data <dir>' cannot be used with option '--etcd <url>'/,
      ],
      [['--log-level', 'loud'], /option '--log-level <level>' argument 'loud' is invalid/],
      [['extra'], /too many arguments/],
    ];
    for (const [argv, message] of cases) {
      const io = captureIo();
      expect(await runCli(['serve', '--port', '0', ...argv], io), argv.join(' ')).toBe(ExitCode.usage);
      expect(io.err()).toMatch(message);
      expect(io.out()).toBe('');
    }
  });
});

describe('keelson serve --log-level', () => {
  it('warn leaves out the info lines of requests and components', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'keelson-serve-'));
    const io = captureIo();
    const quiet = await startServe(
      { nodes: 1, port: 0, kubeconfig: join(dir, 'config'), token: TOKEN, logLevel: 'warn' },
      io,
    );
    try {
      expect((await get(`${quiet.url}/version`, quiet.certificate, TOKEN)).status).toBe(200);
    } finally {
      await quiet.stop();
      await rm(dir, { recursive: true, force: true });
    }
    expect(io.err()).not.toMatch(/ INFO |GET \/version/);
  });
});

describe('formatLogLine', () => {
  it('shows a request as one line, other entries with their fields', () => {
    const time = Date.UTC(2026, 11, 7, 5, 30, 1, 250);
    expect(
      formatLogLine(
        JSON.stringify({
          level: 30,
          time,
          msg: 'request',
          method: 'GET',
          path: '/api',
          status: 200,
          ms: 1.5,
          user: 'admin',
        }),
      ),
    ).toBe('05:30:01.250 GET /api 200 1.5ms admin');
    expect(
      formatLogLine(JSON.stringify({ level: 50, time, msg: 'request failed', path: '/x', err: { message: 'boom' } })),
    ).toBe('05:30:01.250 ERROR request failed path=/x boom');
  });
});
