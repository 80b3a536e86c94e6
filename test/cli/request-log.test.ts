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

// The handler's audit line (lambda/src/telemetry.ts), as it writes it.
const SIGNED = {
  level: 'INFO',
  requestId: 'r1',
  outcome: 'signed',
  pkh: 'tz2…',
  chain: 'NetXdQprcVkpaWU',
  kind: 'attestation',
  opLevel: 1234,
  opRound: 0,
  kmsMs: 9.8,
  ddbMs: 3.1,
  ms: 14.4,
};
const AT = new Date('2026-11-25T12:04:17.123Z');

describe('the per-request line', () => {
  test('human: time, kind, level and round, outcome, ms', () => {
    expect(humanLine(SIGNED, AT)).toBe('12:04:17  attestation  level 1234 round 0  signed  14 ms');
    const refused = { level: 'WARN', requestId: 'r2', outcome: 'refused', status: 409, reason: 'watermark', message: 'm', route: 'sign', method: 'POST', kind: 'attestation', opLevel: 1234, opRound: 0, ms: 5 };
    expect(humanLine(refused, AT)).toBe('12:04:17  attestation  level 1234 round 0  refused 409 (watermark)  5 ms');
    const unauthenticated = { level: 'WARN', requestId: 'r3', outcome: 'refused', status: 401, reason: 'authentication', message: 'm', route: 'sign', method: 'POST', ms: 0.4 };
    expect(humanLine(unauthenticated, new Date('2026-11-25T12:04:18.000Z'))).toBe('12:04:18  POST sign  refused 401 (authentication)  0 ms');
    expect(humanLine(SIGNED, AT).length).toBeLessThan(80);
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
    stream.write('{"level": not json\n');
    logs.restore();
    expect(stream.write).toBe(original);
    expect(written).toHaveLength(3);
    expect(written[0]).toBe('Tezos signer listening on http://127.0.0.1:6732\n');
    expect(written[1]).toMatch(/^\d\d:\d\d:\d\d {2}attestation {2}level 1234 round 0 {2}signed {2}14 ms\n$/);
    expect(written[2]).toBe('{"level": not json\n');
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
    // A request the audit log records (served reads are not logged): a signing request without authentication.
    await fetch(`${url}/keys/tz2BFTyPeYRzxd5aiBchbXN3WCZhx7BqbMBq`, { method: 'POST', body: '"00"' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    return out.replaceAll('\r', '');
  }

  test('a pipe: the banner first (no start-up request lines, no SDK warning), then JSON per request', async () => {
    const out = await serveOnce(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', '$DIR/data']);
    expect(out.startsWith('Tezos signer listening on')).toBe(true);
    expect(out).not.toContain('NodeVersionSupportWarning');
    const after = out.slice(out.indexOf('Ctrl-C stops it.'));
    expect(after).toMatch(/^\{"level":"WARN".*"outcome":"refused","status":401.*\}$/m);
  });

  const hasScript = spawnSync('script', ['--version']).status === 0;
  test.skipIf(!hasScript)('a terminal (a pseudo-TTY from script(1)): one short line per request', async () => {
    const out = await serveOnce('script', ['-qfec', `${process.execPath} ${BIN} serve --port 0 --data-dir $DIR/data`, '/dev/null']);
    expect(out.startsWith('Tezos signer listening on')).toBe(true);
    expect(out).toMatch(/^\d\d:\d\d:\d\d {2}POST \S+ {2}refused 401 \(\w+\) {2}\d+ ms$/m);
    expect(out).not.toContain('{"level"');
  });
  if (!hasScript) console.log('skipped: the pseudo-TTY test needs script(1) (util-linux), absent here; the TTY choice is covered by the injected-isTTY tests above');
});
