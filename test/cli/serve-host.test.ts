// What `serve` is on a baker host (issue 16 point 6, issue 19 part 3): its HTTP front answers only Host
// headers naming its own address (DNS rebinding) and GET /health without reaching the handler; the
// command signs for mainnet only unless told otherwise; it stops by itself when the reader of its stdout
// goes away, and no command crashes on `| head` (EPIPE).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostAllowed, serveHandler, type LambdaHandler, type RunningServer } from '../../local/http-server.js';
import { parseSecretKey } from '../../local/secret-keys.js';
import { PREFIX, b58decode } from '../../lambda/src/base58.js';
import { signRequest } from '../conformance/suite.js';
import { payloadHex, randomChainId } from '../support/payloads.js';
import { BIN, ROOT, isolatedEnv } from './run-cli.js';

/** A GET with the Host header the test chooses (fetch would set its own). */
function get(url: string, path: string, host: string | undefined): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = host === undefined ? {} : { host };
    const req = httpRequest({ host: target.hostname, port: target.port, path, headers, setHost: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the HTTP front of serve', () => {
  let server: RunningServer;
  let calls = 0;
  const handler: LambdaHandler = async () => {
    calls += 1;
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"authorized_keys":[]}' };
  };

  beforeAll(async () => {
    server = await serveHandler(handler, 0, '127.0.0.1');
  });
  afterAll(async () => server?.close());

  test('its own address is answered', async () => {
    const before = calls;
    expect(await get(server.url, '/authorized_keys', `127.0.0.1:${server.port}`)).toEqual({ status: 200, body: '{"authorized_keys":[]}' });
    expect(calls).toBe(before + 1);
  });

  test.each(['evil.example', 'evil.example:PORT', 'localhost:PORT', '127.0.0.2:PORT', '127.0.0.1:1', '[::1]:PORT', ''])('Host %s: 403, octez-shaped, the handler never called', async (host) => {
    const before = calls;
    const answer = await get(server.url, '/authorized_keys', host?.replace('PORT', String(server.port)));
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual([{ kind: 'temporary', id: 'failure', msg: expect.stringMatching(/is not this signer's address .*DNS rebinding/) }]);
    expect(calls).toBe(before);
  });

  test('GET /health: 200 without calling the handler (no AWS call, no watermark read)', async () => {
    const before = calls;
    for (let i = 0; i < 5; i++) expect(await get(server.url, '/health', `127.0.0.1:${server.port}`)).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect(await get(server.url, '/health', 'evil.example')).toMatchObject({ status: 403 });
    expect(calls).toBe(before);
  });

  test('hostAllowed: on a wildcard address any IP literal with the port, never a name', () => {
    expect(hostAllowed('192.0.2.7:6732', '0.0.0.0', 6732)).toBe(true);
    expect(hostAllowed('[2001:db8::1]:6732', '::', 6732)).toBe(true);
    expect(hostAllowed('192.0.2.7:6733', '0.0.0.0', 6732)).toBe(false);
    expect(hostAllowed('baker.example:6732', '0.0.0.0', 6732)).toBe(false);
    expect(hostAllowed('999.1.1.1:6732', '0.0.0.0', 6732)).toBe(false);
    expect(hostAllowed('[::1]:6732', '::1', 6732)).toBe(true);
    expect(hostAllowed('127.0.0.1:6732', '::1', 6732)).toBe(false);
  });
});

interface Serve {
  child: ChildProcess;
  facts: { url: string; keys: { pkh: string }[]; allowedChainIds: string[] | 'any' };
  stderr: () => string;
  exit: Promise<number | null>;
}

function startServe(args: string[], env: Record<string, string>): Promise<Serve> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', ...args], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    void exit.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
    lines.once('line', (line) => resolve({ child, facts: JSON.parse(line) as Serve['facts'], stderr: () => stderr, exit }));
  });
}

async function stop(serve: Serve | undefined): Promise<void> {
  if (serve === undefined || serve.child.exitCode !== null) return;
  serve.child.kill('SIGTERM');
  await serve.exit;
}

describe('serve: chains, and its stdout', () => {
  let tmp: string;
  let env: Record<string, string>;
  let running: Serve | undefined;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'signer-serve-'));
    env = isolatedEnv(tmp);
  });
  afterAll(async () => {
    await stop(running);
    await rm(tmp, { recursive: true, force: true });
  });

  async function signBlock(serve: Serve, chainId: Uint8Array, level: number) {
    const data = join(tmp, 'data');
    const { readFile } = await import('node:fs/promises');
    const state = JSON.parse(await readFile(join(data, 'signer.json'), 'utf8')) as { authorizedSecretKey: string };
    const key = parseSecretKey(state.authorizedSecretKey);
    return signRequest({ url: serve.facts.url, pkh: serve.facts.keys[0]!.pkh, authorizedSecretKey: state.authorizedSecretKey }, key, payloadHex({ kind: 'block', chainId, level, round: 0 }));
  }

  test('by default it signs for mainnet only, as the Terraform module; `any` signs for every chain', async () => {
    running = await startServe(['--data-dir', join(tmp, 'data')], env);
    expect(running.facts.allowedChainIds).toEqual(['NetXdQprcVkpaWU']);
    const other = await signBlock(running, randomChainId(), 10);
    expect(other.status).toBe(403);
    expect(JSON.stringify(other.body)).toMatch(/chain/);
    expect((await signBlock(running, b58decode(PREFIX.chainId, 'NetXdQprcVkpaWU')!, 10)).status).toBe(200);
    await stop(running);

    running = await startServe(['--data-dir', join(tmp, 'data'), '--allowed-chain-id', 'any'], env);
    expect(running.facts.allowedChainIds).toBe('any');
    expect((await signBlock(running, randomChainId(), 11)).status).toBe(200);
    await stop(running);
    running = undefined;
  });

  test('when the reader of its stdout goes away, it stops cleanly (exit 0), no stack trace', async () => {
    running = await startServe(['--data-dir', join(tmp, 'data')], env);
    running.child.stdout!.destroy();
    // The next log line (an unauthenticated request is logged) meets the closed pipe.
    await fetch(`${running.facts.url}/keys/${running.facts.keys[0]!.pkh}`, { method: 'POST', body: '"00"' }).catch(() => undefined);
    const code = await Promise.race([running.exit, new Promise((r) => setTimeout(() => r('still running'), 15_000))]);
    expect({ code, stderr: running.stderr() }).toEqual({ code: 0, stderr: expect.stringContaining('stdout closed: stopping the signer') });
    expect(running.stderr()).not.toMatch(/EPIPE|\n\s+at /);
    running = undefined;
  });

  test.each(['--help', 'serve --help', '--version', 'authorized-key new'])('tezos-signer %s | (a reader that left): exit 0, no EPIPE crash', (args) => {
    // `true` exits at once, long before node has started: every write meets a closed pipe.
    const result = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" ${args} | true`], { env, cwd: tmp, encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
