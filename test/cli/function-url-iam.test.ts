// Floods stopped before they cost anything (issue 19, item 6): `serve --function-url-auth aws_iam`
// stands in for a Function URL with authorization AWS_IAM. Lambda checks the SigV4 signature before it
// invokes (and bills) the function, so an unsigned flood, with or without a forged octez
// `authentication`, must get 403 {"Message":"Forbidden"} and reach the handler zero times; the baker's
// stream through `failover --sign-sigv4` with the invoker credentials must be signed; wrong
// credentials must get 403 and no invocation. The handler-invocation counter is read from serve's
// GET /health, and the positive control proves it moves, so "0 invocations" is a measurement, not a
// counter that never counts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateSecretKey, parseSecretKey, authenticationFor } from '../../local/secret-keys.js';
import { parseKeyHash } from '../../lambda/src/keys.js';
import { fromHex } from '../../lambda/src/bytes.js';
import { signRequest } from '../conformance/suite.js';
import { payloadHex, randomChainId, type Kind } from '../support/payloads.js';
import { BIN, ROOT, isolatedEnv } from './run-cli.js';
import { regionOfFunctionUrl, upstreamRegions } from '../../cli/failover-sigv4.js';

interface Facts {
  url: string;
  keys: { pkh: string }[];
  functionUrl: { authType: string; region: string; invoker: { accessKeyId: string; secretAccessKey: string } };
}

interface Child {
  child: ChildProcess;
  exit: Promise<number | null>;
  stderr: () => string;
}

function spawnCli(args: string[], env: Record<string, string>): Child & { stdoutLines: AsyncIterableIterator<string> } {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit, stderr: () => stderr, stdoutLines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() };
}

async function stop(c: Child | undefined): Promise<void> {
  if (c === undefined || c.child.exitCode !== null) return;
  c.child.kill('SIGTERM');
  await c.exit;
}

/** `failover --listen 127.0.0.1:0`: its URL is on the banner's first line (stderr). */
async function startFailover(args: string[], env: Record<string, string>): Promise<Child & { url: string }> {
  const c = spawnCli(['failover', '--listen', '127.0.0.1:0', ...args], env);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const match = /failover on (http:\/\/127\.0\.0\.1:\d+)/.exec(c.stderr());
    if (match && /point octez-client at it/.test(c.stderr())) return { ...c, url: match[1]! };
    if (c.child.exitCode !== null) throw new Error(`failover exited ${c.child.exitCode}: ${c.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`failover did not start: ${c.stderr()}`);
}

/** Runs `jobs` with at most `width` in flight. */
async function pool<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

describe('serve --function-url-auth aws_iam, with failover --sign-sigv4 on the baker side', () => {
  let tmp: string;
  let env: Record<string, string>;
  let serve: (Child & { facts: Facts }) | undefined;
  const proxies: Child[] = [];
  let authorizedSecretKey: string;
  const chainId = randomChainId();
  let level = 100;

  const invocations = async (): Promise<number> => {
    const health = (await (await fetch(`${serve!.facts.url}/health`)).json()) as { status: string; handler_invocations: number };
    expect(health.status).toBe('ok');
    return health.handler_invocations;
  };
  const withCredentials = (accessKeyId: string, secretAccessKey: string) => ({ ...env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey });

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'signer-url-iam-'));
    env = isolatedEnv(tmp);
    const c = spawnCli(['serve', '--port', '0', '--json', '--data-dir', join(tmp, 'data'), '--allowed-chain-id', 'any', '--function-url-auth', 'aws_iam'], env);
    const first = await Promise.race([c.stdoutLines.next(), c.exit.then((code) => Promise.reject(new Error(`serve exited ${code}: ${c.stderr()}`)))]);
    serve = { ...c, facts: JSON.parse((first as IteratorResult<string>).value as string) as Facts };
    authorizedSecretKey = (JSON.parse(await readFile(join(tmp, 'data', 'signer.json'), 'utf8')) as { authorizedSecretKey: string }).authorizedSecretKey;
  }, 120_000);

  afterAll(async () => {
    for (const p of proxies) await stop(p);
    await stop(serve);
    await rm(tmp, { recursive: true, force: true });
  });

  test('serve reports the AWS_IAM stand-in and its invoker credentials', () => {
    expect(serve!.facts.functionUrl).toEqual({ authType: 'AWS_IAM', region: 'us-east-1', invoker: { accessKeyId: expect.stringMatching(/^LOCAL[0-9A-F]{16}$/), secretAccessKey: expect.any(String) } });
  });

  test('an unsigned flood (3,000 GET and POST, forged authentications, forged SigV4): every one 403 {"Message":"Forbidden"}, 0 handler invocations', async () => {
    const url = serve!.facts.url;
    const pkh = serve!.facts.keys[0]!.pkh;
    const key = parseKeyHash(pkh)!;
    // Well-formed octez authentications made by a key nobody authorized, over real consensus payloads.
    const forger = generateSecretKey('secp256k1');
    const forged = Array.from({ length: 16 }, (_, i) => {
      const hex = payloadHex({ kind: (['block', 'preattestation', 'attestation'] as const)[i % 3]!, chainId, level: 5000 + i, round: 0 });
      return { hex, authentication: authenticationFor(forger, key, fromHex(hex)) };
    });
    const fakeSigV4 = `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261205/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'ab'.repeat(32)}`;
    const before = await invocations();
    const jobs = Array.from({ length: 3000 }, (_, i) => async () => {
      const f = forged[i % forged.length]!;
      const sigv4: Record<string, string> = i % 5 === 0 ? { authorization: fakeSigV4, 'x-amz-date': '20261205T233000Z' } : {};
      const request =
        i % 3 === 0
          ? fetch(`${url}/authorized_keys`, { headers: sigv4 })
          : i % 3 === 1
            ? fetch(`${url}/keys/${pkh}`, { headers: sigv4 })
            : fetch(`${url}/keys/${pkh}?authentication=${f.authentication}`, { method: 'POST', headers: { 'content-type': 'application/json', ...sigv4 }, body: JSON.stringify(f.hex) });
      const response = await request;
      return `${response.status} ${await response.text()}`;
    });
    const answers = await pool(jobs, 32);
    const counts = new Map<string, number>();
    for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ '403 {"Message":"Forbidden"}': 3000 });
    expect(await invocations()).toBe(before);
  }, 120_000);

  test("the baker's stream through failover --sign-sigv4 with the invoker credentials is signed; each request is one invocation", async () => {
    const { accessKeyId, secretAccessKey } = serve!.facts.functionUrl.invoker;
    const proxy = await startFailover(['--upstream', serve!.facts.url, '--sign-sigv4', '--region', 'us-east-1'], withCredentials(accessKeyId, secretAccessKey));
    proxies.push(proxy);
    const pkh = serve!.facts.keys[0]!.pkh;
    const key = parseSecretKey(authorizedSecretKey);
    const before = await invocations();
    let sent = 0;
    const signatures: string[] = [];
    for (let i = 0; i < 4; i++, level++) {
      const kinds: Kind[] = i % 2 === 0 ? ['block', 'preattestation', 'attestation'] : ['preattestation', 'attestation'];
      for (const kind of kinds) {
        // octez-client asks for the authorized keys before each signing request.
        const keys = await fetch(`${proxy.url}/authorized_keys`);
        expect(keys.status).toBe(200);
        await keys.text();
        const answer = await signRequest({ url: proxy.url, pkh, authorizedSecretKey }, key, payloadHex({ kind, chainId, level, round: 0 }));
        expect(answer).toMatchObject({ status: 200, body: { signature: expect.stringMatching(/^spsig1/) } });
        signatures.push((answer.body as { signature: string }).signature);
        sent += 2;
      }
    }
    expect(new Set(signatures).size).toBe(signatures.length);
    // The positive control: the counter counts, one invocation per request the proxy forwarded.
    expect(await invocations()).toBe(before + sent);
  }, 120_000);

  test('failover --sign-sigv4 with wrong credentials, or without --sign-sigv4: 403 {"Message":"Forbidden"}, no invocation', async () => {
    const { accessKeyId } = serve!.facts.functionUrl.invoker;
    const pkh = serve!.facts.keys[0]!.pkh;
    const key = parseSecretKey(authorizedSecretKey);
    const wrongSecret = await startFailover(['--upstream', serve!.facts.url, '--sign-sigv4', '--region', 'us-east-1'], withCredentials(accessKeyId, 'not-the-secret'));
    const wrongKey = await startFailover(['--upstream', serve!.facts.url, '--sign-sigv4', '--region', 'us-east-1'], withCredentials('AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'));
    const wrongRegion = await startFailover(['--upstream', serve!.facts.url, '--sign-sigv4', '--region', 'eu-west-1'], withCredentials(accessKeyId, serve!.facts.functionUrl.invoker.secretAccessKey));
    const unsigned = await startFailover(['--upstream', serve!.facts.url], env);
    proxies.push(wrongSecret, wrongKey, wrongRegion, unsigned);
    const before = await invocations();
    for (const proxy of [wrongSecret, wrongKey, wrongRegion, unsigned]) {
      const keys = await fetch(`${proxy.url}/authorized_keys`);
      expect({ status: keys.status, body: await keys.text() }).toEqual({ status: 403, body: '{"Message":"Forbidden"}' });
      const answer = await signRequest({ url: proxy.url, pkh, authorizedSecretKey }, key, payloadHex({ kind: 'attestation', chainId, level: level++, round: 0 }));
      expect(answer).toEqual({ status: 403, body: { Message: 'Forbidden' }, ms: expect.any(Number) });
    }
    expect(await invocations()).toBe(before);
  }, 120_000);

  test('failover --sign-sigv4 refuses to start without credentials, or without a Region for a host that names none', async () => {
    const noCredentials = spawnCli(['failover', '--listen', '127.0.0.1:0', '--upstream', serve!.facts.url, '--sign-sigv4', '--region', 'us-east-1'], env);
    expect(await noCredentials.exit).toBe(2);
    expect(noCredentials.stderr()).toMatch(/--sign-sigv4: no AWS credentials/);
    const noRegion = spawnCli(['failover', '--listen', '127.0.0.1:0', '--upstream', serve!.facts.url, '--sign-sigv4'], withCredentials('AKIDEXAMPLE', 'Sup3rS3cretValue'));
    expect(await noRegion.exit).toBe(2);
    expect(noRegion.stderr()).toMatch(/cannot tell the Region of 127\.0\.0\.1:\d+ .*give --region/);
    expect(noRegion.stderr()).not.toContain('Sup3rS3cretValue');
  }, 60_000);
});

describe('the Region of each upstream (cli/failover-sigv4.ts)', () => {
  const up = (url: string) => ({ name: new URL(url).host, url: new URL(url) });

  test('a Function URL names its Region; any other host needs --region', () => {
    expect(regionOfFunctionUrl('abcdef0123456789abcdef0123456789.lambda-url.eu-west-1.on.aws')).toBe('eu-west-1');
    expect(regionOfFunctionUrl('abc.lambda-url.us-gov-west-1.on.aws')).toBe('us-gov-west-1');
    expect(regionOfFunctionUrl('signer.example.com')).toBeUndefined();
    expect(regionOfFunctionUrl('abc.lambda-url.eu-west-1.on.aws.evil.example')).toBeUndefined();
  });

  test('two Regions of one multi-Region deployment each get their own; --region fills in only where the host says nothing', () => {
    const a = up('https://aaa.lambda-url.eu-west-1.on.aws/');
    const b = up('https://bbb.lambda-url.eu-central-1.on.aws/');
    expect(upstreamRegions([a, b], undefined)).toEqual(['eu-west-1', 'eu-central-1']);
    expect(upstreamRegions([up('http://127.0.0.1:6732')], 'us-east-1')).toEqual(['us-east-1']);
    expect(() => upstreamRegions([a, up('http://127.0.0.1:6732')], undefined)).toThrow(/cannot tell the Region of 127\.0\.0\.1:6732/);
    expect(() => upstreamRegions([a], 'us-east-1')).toThrow(/is a Function URL in eu-west-1, not --region us-east-1/);
  });
});
