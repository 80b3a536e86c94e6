// `tezos-signer failover` on sockets (loopback only): the request reaches a region unchanged, the next
// region is asked only after the previous attempt is over, the log names the region that answered
// without the authentication signature, and the command refuses a non-loopback listener.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { startFailover, type FailoverLine, type RunningFailover } from '../../cli/failover-proxy.js';
import { isLoopback, octezLines, parseListen } from '../../cli/commands/failover.js';
import { DEFAULT_POLICY } from '../../cli/failover-route.js';
import { listen } from '../../local/listen.js';
import { BIN, cli } from './run-cli.js';

interface Seen {
  method: string;
  url: string;
  body: string;
  at: number;
  closedAt?: number;
}

/** A stand-in region: answers with `reply`, or never (hang). Records what it received and when its sockets closed. */
async function region(reply: ((req: IncomingMessage, body: string) => { status: number; body: string }) | 'hang') {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Seen = { method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString(), at: performance.now() };
      seen.push(entry);
      req.socket.once('close', () => (entry.closedAt = performance.now()));
      if (reply === 'hang') return;
      const { status, body } = reply(req, entry.body);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const { url } = await listen(server, 0);
  return {
    url,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<string> {
  const server = createServer();
  const { url } = await listen(server, 0);
  await new Promise<void>((r) => server.close(() => r()));
  return url;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function proxyTo(urls: string[], policy = DEFAULT_POLICY): Promise<{ proxy: RunningFailover; lines: FailoverLine[] }> {
  const lines: FailoverLine[] = [];
  const proxy = await startFailover({ upstreams: urls.map((u) => ({ name: new URL(u).host, url: new URL(u) })), host: '127.0.0.1', port: 0, policy, log: (l) => lines.push(l) });
  cleanups.push(() => proxy.close());
  return { proxy, lines };
}

const SIGNED = (_: IncomingMessage, body: string) => ({ status: 200, body: JSON.stringify({ signature: `sig-of-${body}` }) });
const PATH = '/keys/tz2G2zHYNUmZXJucFXikkPqSrBYaAffTQK4U?authentication=spsig1AUTHxyz';

describe('the proxy', () => {
  test('forwards path, authentication and body unchanged to the first region; the log has no authentication', async () => {
    const a = await region(SIGNED);
    const b = await region(SIGNED);
    cleanups.push(a.close, b.close);
    const { proxy, lines } = await proxyTo([a.url, b.url]);
    const response = await fetch(proxy.url + PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '"1300aa"' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ signature: 'sig-of-"1300aa"' });
    expect(a.seen).toEqual([expect.objectContaining({ method: 'POST', url: PATH, body: '"1300aa"' })]);
    expect(b.seen).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: 'POST', path: '/keys/tz2G2zHYNUmZXJucFXikkPqSrBYaAffTQK4U', upstream: new URL(a.url).host, status: 200 });
    expect(JSON.stringify(lines)).not.toContain('spsig1AUTHxyz');
  });

  test('a region that refuses connections: the next one answers, the log says which', async () => {
    const dead = await closedPort();
    const b = await region(SIGNED);
    cleanups.push(b.close);
    const { proxy, lines } = await proxyTo([dead, b.url]);
    const response = await fetch(proxy.url + PATH, { method: 'POST', body: '"11"' });
    expect(response.status).toBe(200);
    expect(b.seen).toHaveLength(1);
    expect(lines[0]!.upstream).toBe(new URL(b.url).host);
    expect(lines[0]!.attempts.map((x) => x.result)).toEqual([expect.stringMatching(/^connection error \(ECONNREFUSED\)$/), 'HTTP 200']);
  });

  test('a 503 moves on; a 409 does not', async () => {
    const a = await region((req) => (req.url!.includes('refuse') ? { status: 409, body: '[{"kind":"temporary","id":"failure","msg":"watermark"}]' } : { status: 503, body: '[]' }));
    const b = await region(SIGNED);
    cleanups.push(a.close, b.close);
    const { proxy } = await proxyTo([a.url, b.url]);
    expect((await fetch(`${proxy.url}/keys/x?refuse`, { method: 'POST', body: '"1"' })).status).toBe(409);
    expect(b.seen).toHaveLength(0);
    expect((await fetch(`${proxy.url}/keys/x`, { method: 'POST', body: '"1"' })).status).toBe(200);
    expect(b.seen).toHaveLength(1);
  });

  test('a hanging region: its connection is closed at the attempt timeout, before the next region sees the request', async () => {
    const a = await region('hang');
    const b = await region(SIGNED);
    cleanups.push(a.close, b.close);
    const { proxy, lines } = await proxyTo([a.url, b.url], { ...DEFAULT_POLICY, attemptTimeoutMs: 300, budgetMs: 1000 });
    const response = await fetch(proxy.url + PATH, { method: 'POST', body: '"12"' });
    expect(response.status).toBe(200);
    expect(a.seen).toHaveLength(1);
    expect(b.seen).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(a.seen[0]!.closedAt).toBeDefined();
    expect(b.seen[0]!.at).toBeGreaterThanOrEqual(a.seen[0]!.closedAt!);
    expect(lines[0]!.attempts.map((x) => x.result)).toEqual(['timeout', 'HTTP 200']);
    expect(lines[0]!.attempts[0]!.ms).toBeGreaterThanOrEqual(290);
  });

  test('no region answering: 503 in octez\'s error shape, saying nothing was signed', async () => {
    const { proxy, lines } = await proxyTo([await closedPort(), await closedPort()]);
    const response = await fetch(proxy.url + PATH, { method: 'POST', body: '"13"' });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { kind: string; id: string; msg: string }[];
    expect(body[0]).toMatchObject({ kind: 'temporary', id: 'failure' });
    expect(body[0]!.msg).toMatch(/no region answered.*nothing was signed/);
    expect(lines[0]!.upstream).toBeNull();
  });
});

describe('the command', () => {
  test('listen addresses: loopback only unless told', () => {
    for (const host of ['127.0.0.1', '127.0.0.53', '::1', 'localhost', '[::1]']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '192.168.1.10', '::', 'example.com', '10.0.0.1']) expect(isLoopback(host)).toBe(false);
    expect(parseListen('[::1]:6733')).toEqual({ host: '::1', port: 6733 });
    expect(parseListen('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
  });

  test('the octez-client lines point at the proxy, one per key', () => {
    expect(octezLines('http://127.0.0.1:6733', ['tz2abc'])).toEqual(['octez-client import secret key consensus http://127.0.0.1:6733/tz2abc --force']);
    expect(octezLines('http://127.0.0.1:6733', [])[0]).toContain('/<pkh>');
  });

  test.each([
    [['failover'], /--upstream URL --upstream URL/],
    [['failover', '--upstream', 'ftp://x'], /not an http\(s\) URL/],
    [['failover', '--upstream', 'http://127.0.0.1:1', '--upstream', 'http://127.0.0.1:1'], /the same URL twice/],
    [['failover', '--upstream', 'http://127.0.0.1:1', '--listen', '0.0.0.0:6733'], /not a loopback address.*--allow-remote-listen/],
    [['failover', '--upstream', 'http://127.0.0.1:1', '--listen', '6733'], /expected HOST:PORT/],
    [['failover', '--upstream', 'http://127.0.0.1:1', '--budget-ms', '1000'], /shorter than one attempt/],
    [['failover', '--upstream', 'http://127.0.0.1:1', '--region', 'eu-west-1'], /--region .* goes with --sign-sigv4/],
    [['failover', '--upstream', 'http://127.0.0.1:1', '--sign-sigv4', '--region', 'Europe'], /--region: not a Region name/],
    [['failover', '--upstream', 'https://abc123.lambda-url.eu-west-1.on.aws/', '--sign-sigv4', '--region', 'us-east-1'], /is a Function URL in eu-west-1, not --region us-east-1/],
  ])('usage: %j', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  test('runs: prints the octez-client line with the key a region serves, and logs one line per request', async () => {
    const a = await region((req) => (req.url === '/known_keys' ? { status: 200, body: '{"known_keys":["tz2G2zHYNUmZXJucFXikkPqSrBYaAffTQK4U"]}' } : { status: 200, body: '{"authorized_keys":[]}' }));
    cleanups.push(a.close);
    const child = spawn(process.execPath, [BIN, 'failover', '--upstream', await closedPort(), '--upstream', a.url, '--listen', '127.0.0.1:0'], { env: { ...process.env, NODE_NO_WARNINGS: '1' } });
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${stderr}`)), 15_000);
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (/--force\n/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const url = /failover on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1]!;
    expect(stderr).toContain(`octez-client import secret key consensus ${url}/tz2G2zHYNUmZXJucFXikkPqSrBYaAffTQK4U --force`);
    await fetch(`${url}/authorized_keys`);
    await new Promise((r) => setTimeout(r, 100));
    const logged = stdout.trim().split('\n').map((l) => JSON.parse(l) as FailoverLine);
    expect(logged.at(-1)).toMatchObject({ method: 'GET', path: '/authorized_keys', upstream: new URL(a.url).host, status: 200 });
  });
});
