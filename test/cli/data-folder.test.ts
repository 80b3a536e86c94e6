// One process per data folder, and nothing created before a command can succeed: a running `serve`
// holds its folder (a second serve or `watermarks show --data-dir` says so and exits 3 instead of
// crashing inside dynalite); a lock left by a dead process is taken over; `serve` on a taken port
// fails before its first start creates keys.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, cli, isolatedEnv } from './run-cli.js';

function startServe(dataDir: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('a data folder belongs to one process', () => {
  let tmp: string;
  let env: Record<string, string>;
  let serve: ChildProcess | undefined;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'signer-folder-'));
    env = isolatedEnv(tmp);
  });

  afterAll(async () => {
    if (serve) await stop(serve);
    await rm(tmp, { recursive: true, force: true });
  });

  test('while serve runs: watermarks show and a second serve exit 3 and say why; after it stops, show works', async () => {
    const data = join(tmp, 'data');
    const first = await startServe(data, env);
    serve = first.child;

    const show = await cli(['watermarks', 'show', '--data-dir', data], { env });
    expect({ code: show.code, stderr: show.stderr }).toEqual({ code: 3, stderr: expect.stringMatching(/a running serve holds .*: stop it first/) });
    expect(show.stderr).not.toMatch(/Database is closed|\n\s+at /);

    const second = await cli(['serve', '--port', '0', '--data-dir', data], { env });
    expect({ code: second.code, stderr: second.stderr }).toEqual({ code: 3, stderr: expect.stringMatching(/a running serve holds .*: stop it first/) });

    // The first one still serves: the second did not break it.
    expect((await fetch(`${first.url}/known_keys`)).status).toBe(200);

    await stop(first.child);
    serve = undefined;
    const after = await cli(['watermarks', 'show', '--data-dir', data], { env });
    expect(after.code, after.stderr).toBe(0);
  });

  test('a lock left by a process that died is taken over', async () => {
    const data = join(tmp, 'data');
    // A pid far above any pid_max: no such process.
    await writeFile(join(data, 'serve.lock'), JSON.stringify({ pid: 2 ** 30, holder: 'tezos-signer serve' }) + '\n');
    const show = await cli(['watermarks', 'show', '--data-dir', data], { env });
    expect(show.code, show.stderr).toBe(0);
    expect(await readdir(data)).not.toContain('serve.lock');
  });

  test('serve on a taken port exits 2 and creates nothing', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const fresh = join(tmp, 'fresh');
      const result = await cli(['serve', '--port', String(port), '--data-dir', fresh], { env });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(new RegExp(`port ${port} on 127.0.0.1 is taken`)) });
      expect(await readdir(tmp)).not.toContain('fresh');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
