// What `serve` prints per request: on a terminal one short human line (time, kind, level/round,
// outcome, ms), elsewhere or with --json-logs the handler's JSON line; and nothing of serve's own
// start-up requests above the banner.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { filterRequestLogs, humanLine, logFormat } from '../../cli/request-log.js';
import { BIN, isolatedEnv } from './run-cli.js';

const SIGNED = {
  timestamp: '2026-11-25T12:04:17.123Z',
  level: 'INFO',
  requestId: 'r1',
  method: 'POST',
  route: 'sign',
  status: 200,
  outcome: 'signed',
  pkh: 'tz2…',
  kind: 'attestation',
  chainId: 'NetXdQprcVkpaWU',
  opLevel: 1234,
  opRound: 0,
  kmsMs: 9.8,
  dynamoDbMs: 3.1,
  durationMs: 14.4,
  _aws: { Timestamp: 0, CloudWatchMetrics: [] },
};

describe('the per-request line', () => {
  test('human: time, kind, level and round, outcome, ms', () => {
    expect(humanLine(SIGNED)).toBe('12:04:17  attestation  level 1234 round 0  signed  14 ms');
    expect(humanLine({ ...SIGNED, outcome: 'refused', status: 409, reason: 'watermark', durationMs: 5 })).toBe('12:04:17  attestation  level 1234 round 0  refused 409 (watermark)  5 ms');
    expect(humanLine({ timestamp: '2026-11-25T12:04:18.000Z', method: 'GET', route: 'known_keys', status: 200, outcome: 'served', durationMs: 0.4 })).toBe('12:04:18  GET known_keys  served  0 ms');
    expect(humanLine(SIGNED).length).toBeLessThan(80);
  });

  test('human only on a TTY without --json-logs', () => {
    expect(logFormat({ isTTY: true, jsonLogs: false })).toBe('human');
    expect(logFormat({ isTTY: true, jsonLogs: true })).toBe('json');
    expect(logFormat({ isTTY: false, jsonLogs: false })).toBe('json');
    expect(logFormat({ isTTY: undefined, jsonLogs: false })).toBe('json');
  });

  test('the filter rewrites only the handler lines, drops them while muted, and restores the stream', () => {
    const written: string[] = [];
    const stream = { isTTY: true, write: (chunk: unknown) => (written.push(String(chunk)), true) };
    const original = stream.write;
    const logs = filterRequestLogs(stream, logFormat({ isTTY: stream.isTTY, jsonLogs: false }));
    logs.mute(true);
    stream.write(JSON.stringify(SIGNED) + '\n');
    logs.mute(false);
    stream.write('Tezos signer listening on http://127.0.0.1:6732\n');
    stream.write(JSON.stringify(SIGNED) + '\n');
    stream.write('{"timestamp": not json\n');
    logs.restore();
    expect(stream.write).toBe(original);
    expect(written).toEqual(['Tezos signer listening on http://127.0.0.1:6732\n', '12:04:17  attestation  level 1234 round 0  signed  14 ms\n', '{"timestamp": not json\n']);
  });
});

describe('serve, as a process', () => {
  let child: ChildProcess | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    if (child && child.exitCode === null) await new Promise((resolve) => (child!.once('exit', resolve), child!.kill('SIGTERM')));
    if (dir) await rm(dir, { recursive: true, force: true });
    child = undefined;
  });

  /** Starts serve, waits for the banner's URL, makes one request, and returns everything printed. */
  async function serveOnce(command: string, args: string[]): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'signer-logs-'));
    child = spawn(command, args.map((a) => a.replaceAll('$DIR', dir!)), { env: isolatedEnv(dir), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) (clearInterval(timer), resolve(match[1]!));
      }, 50);
      child!.once('exit', (code) => (clearInterval(timer), reject(new Error(`serve exited ${code}: ${out}`))));
    });
    await fetch(`${url}/authorized_keys`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return out.replaceAll('\r', '');
  }

  test('a pipe: the banner first (no start-up request lines, no SDK warning), then JSON per request', async () => {
    const out = await serveOnce(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', '$DIR/data']);
    expect(out.startsWith('Tezos signer listening on')).toBe(true);
    expect(out).not.toContain('NodeVersionSupportWarning');
    const after = out.slice(out.indexOf('Ctrl-C stops it.'));
    expect(after).toMatch(/^\{"timestamp":".*"route":"authorized_keys".*\}$/m);
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  test.skipIf(!hasScript)('a terminal (a pseudo-TTY from script(1)): one short line per request', async () => {
    const out = await serveOnce('script', ['-qfec', `${process.execPath} ${BIN} serve --port 0 --data-dir $DIR/data`, '/dev/null']);
    expect(out.startsWith('Tezos signer listening on')).toBe(true);
    expect(out).toMatch(/^\d\d:\d\d:\d\d {2}GET authorized_keys {2}served {2}\d+ ms$/m);
    expect(out).not.toContain('{"timestamp"');
  });
  if (!hasScript) console.log('skipped: the pseudo-TTY test needs script(1) (util-linux), absent here; the TTY choice is covered by the injected-isTTY tests above');
});
