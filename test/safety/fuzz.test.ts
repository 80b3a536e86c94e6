// Fuzzing the signer: a mutation fuzzer over the real vectors and the requests around them, and
// fast-check properties, through the handler in-process (Signer + the Lambda event conversion, KMS and
// DynamoDB answered from memory), then a few thousand through the committed bundle on the local stack
// over HTTP. The oracle is independent of the signer's code: the README's HTTP API as a model
// (test/support/fuzz-model.ts), the reference parser (test/support/reference-parser.ts), and a
// watermark model built from the answers. Findings: any crash, any undocumented status or body shape,
// any signature of a payload the reference refuses, any disagreement in either direction.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect as vexpect, test } from 'vitest';
import crypto from '../fixtures/crypto.json' with { type: 'json' };
import vectorsJson from '../fixtures/consensus-operations.json' with { type: 'json' };
import { blake2b256 } from '../../lambda/src/hash.js';
import { encodeChainId } from '../../lambda/src/base58.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { requestFromEvent, type LambdaHttpEvent } from '../../lambda/src/http.js';
import { loadConsensusKeys, type ConsensusKey } from '../../lambda/src/kms.js';
import { Signer } from '../../lambda/src/signer.js';
import { authenticationFor, secretKeyFromBytes, type SecretKey } from '../../local/secret-keys.js';
import { FakeKms, FakeStore } from '../support/fakes.js';
import { toFunctionUrlEvent } from '../../local/http-server.js';
import { startSignerProcess } from '../support/processes.js';
import { httpClient, startSafetyStack } from '../support/safety-stack.js';
import {
  AuthRegistry,
  bodyShapeProblem,
  DOCUMENTED_STATUSES,
  expect as model,
  finalize,
  generateInput,
  toEvent,
  WatermarkModel,
  type FuzzContext,
  type FuzzEvent,
  type FuzzInput,
  type ModelOptions,
} from '../support/fuzz-model.js';
import { payload } from '../support/payloads.js';
import { rng, scaled, seedFromEnv } from '../support/prng.js';
import { referenceVerdict } from '../support/reference-parser.js';
import { parseKeyHash } from '../../lambda/src/keys.js';

const seed = seedFromEnv();
const MUTATION_INPUTS = scaled(75_000, 1_000_000);
const PROPERTY_RUNS = scaled(2_000, 20_000);
const SEQUENCE_RUNS = scaled(150, 1_500);
const HTTP_INPUTS = scaled(3_000, 30_000);

const secretFrom = (curve: SecretKey['curve'], label: string) => secretKeyFromBytes(curve, Uint8Array.from(createHash('sha256').update(label).digest()));

// Consensus keys (held by the fake KMS) and the baker's authorized keys.
const consensusSecrets = new Map<string, SecretKey>([
  ['key-tz2', secretKeyFromBytes('secp256k1', fromHex(crypto.keys.consensus_tz2.secret_hex))],
  ['key-tz1', secretFrom('ed25519', 'fuzz-consensus-tz1')],
  ['key-tz3', secretKeyFromBytes('p256', fromHex(crypto.keys.consensus_tz3.secret_hex))],
]);
const authorized = [secretKeyFromBytes('secp256k1', fromHex(crypto.keys.authorized_tz2.secret_hex)), secretFrom('ed25519', 'fuzz-authorized-tz1'), secretFrom('p256', 'fuzz-authorized-tz3')];
const strangers = [secretFrom('secp256k1', 'fuzz-stranger-tz2'), secretFrom('ed25519', 'fuzz-stranger-tz1')];
const chains = [fromHex('7a06a770'), fromHex('b3d79f99'), fromHex('00000000'), fromHex('ffffffff')];

interface Instance {
  name: string;
  signer: Signer | undefined;
  kms: FakeKms | undefined;
  keys: Map<string, { publicKey: ConsensusKey['publicKey'] }>;
  /** Over HTTP instead of in-process: sends the input, answers status and parsed body. */
  http?: (event: FuzzEvent) => Promise<{ status: number; body: unknown }>;
  model: WatermarkModel;
  options: ModelOptions;
}

interface Tally {
  inputs: number;
  byStatus: Map<number, number>;
  reachedParser: number;
  violations: string[];
  disagreements: string[];
}

function newTally(): Tally {
  return { inputs: 0, byStatus: new Map(), reachedParser: 0, violations: [], disagreements: [] };
}

const registry = new AuthRegistry(new Set(authorized.map((k) => k.curve)).size > 1);

async function makeInstance(name: string, allowed: Uint8Array[] | undefined): Promise<Instance> {
  const kms = new FakeKms(consensusSecrets);
  const keys = new Map((await loadConsensusKeys(kms, [...consensusSecrets.keys()])).map((k) => [k.publicKey.pkh.encoded, k]));
  const signer = new Signer({
    authorizedKeys: authorized.map((k) => k.publicKey),
    allowedChainIds: allowed ? new Set(allowed.map(encodeChainId)) : undefined,
    keys: async () => keys,
    kms,
    store: new FakeStore(),
  });
  return {
    name,
    signer,
    kms,
    keys,
    model: new WatermarkModel(),
    options: { known: new Set(keys.keys()), allowedChainHex: allowed ? new Set(allowed.map(toHex)) : undefined, registry },
  };
}

/** Sends one event through an instance and checks the answer against the model. */
async function run(instance: Instance, event: FuzzEvent, note: string, tally: Tally): Promise<void> {
  tally.inputs += 1;
  const expected = model(event, instance.options);
  let kmsProblem: string | undefined;
  if (instance.kms) instance.kms.onSign = (_keyId, message) => {
    // Independent oracle: KMS is asked only for the digest of a payload the reference signs.
    if (expected.sign === undefined) kmsProblem = `KMS asked to sign for a request the model refuses (${expected.status} ${expected.why})`;
    else if (toHex(message) !== toHex(blake2b256(expected.sign.bytes))) kmsProblem = 'KMS asked to sign another digest than the payload';
  };
  let status: number;
  let body: unknown;
  try {
    if (instance.http) {
      ({ status, body } = await instance.http(event));
    } else {
      const request = requestFromEvent(event as LambdaHttpEvent, `fuzz-${tally.inputs}`);
      const { response } = await instance.signer!.handle(request);
      status = response.statusCode;
      body = JSON.parse(response.body);
    }
  } catch (error) {
    tally.violations.push(`CRASH ${(error as Error).stack?.slice(0, 300)} on ${note}`);
    return;
  }
  tally.byStatus.set(status, (tally.byStatus.get(status) ?? 0) + 1);
  const where = () => `[${instance.name}] ${note} ${event.requestContext.http?.method ?? event.httpMethod} ${event.rawPath ?? event.path}?${event.rawQueryString ?? JSON.stringify(event.multiValueQueryStringParameters)} body=${String(event.body).slice(0, 120)}`;
  if (kmsProblem) tally.violations.push(`${kmsProblem}: ${where()}`);
  if (!DOCUMENTED_STATUSES.has(status) || status >= 500) tally.violations.push(`status ${status} ${JSON.stringify(body)} for ${where()}`);
  const shape = bodyShapeProblem(status, body, expected.sign ? 'signature' : expected.serve);
  if (shape && !(expected.sign && status !== 200)) tally.violations.push(`${shape}: ${where()}`);
  if (expected.authenticated) tally.reachedParser += 1;
  if (expected.sign) {
    const key = instance.keys.get(expected.sign.pkh)!;
    const problem = instance.model.check(expected.sign, status, body, key.publicKey);
    if (problem) {
      (problem.startsWith('SIGNED') || problem.includes('does not verify') || problem.includes('another signature') ? tally.violations : tally.disagreements).push(
        `${problem}: ${where()} → ${JSON.stringify(body).slice(0, 200)}`,
      );
    }
    return;
  }
  if (status === 200 && !expected.serve) {
    tally.violations.push(`SIGNED what the model refuses (${expected.status} ${expected.why}): ${where()} → ${JSON.stringify(body)}`);
    return;
  }
  if (status !== expected.status) tally.disagreements.push(`expected ${expected.status} (${expected.why}), got ${status} ${JSON.stringify(body).slice(0, 200)}: ${where()}`);
}


function report(name: string, tally: Tally, extra: string): void {
  const statuses = [...tally.byStatus.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ');
  console.log(
    `fuzz ${name}: ${tally.inputs.toLocaleString('en-US')} inputs, ${tally.reachedParser.toLocaleString('en-US')} past authentication to the parser and watermark, statuses ${statuses}, ${extra}, violations: ${tally.violations.length}, disagreements: ${tally.disagreements.length} (seed ${seed})`,
  );
  for (const line of [...tally.violations.slice(0, 10), ...tally.disagreements.slice(0, 10)]) console.log(`  ${line}`);
}

describe(`fuzz (seed ${seed}; SAFETY_SEED=${seed} replays)`, () => {
  let withAllowList: Instance;
  let anyChain: Instance;
  const totals = { inputs: 0 };

  beforeAll(async () => {
    withAllowList = await makeInstance('allow-list', chains.slice(0, 2));
    anyChain = await makeInstance('any-chain', undefined);
  });

  afterAll(() => {
    console.log(`fuzz: ${totals.inputs.toLocaleString("en-US")} generated inputs in all (in-process and over HTTP), violations: 0 asserted per test (seed ${seed})`);
  });

  test(`mutation fuzzer: ${MUTATION_INPUTS.toLocaleString('en-US')} requests in-process`, { timeout: 600_000 }, async () => {
    const r = rng(seed);
    const ctx: FuzzContext = {
      authorized,
      strangers,
      consensus: [...withAllowList.keys.values()].map((k) => k.publicKey),
      chains,
      httpSafe: false,
    };
    const tally = newTally();
    const start = performance.now();
    let genMs = 0;
    const recent: { event: FuzzEvent; note: string }[] = [];
    for (let i = 0; i < MUTATION_INPUTS; i++) {
      const instance = r.chance(0.5) ? withAllowList : anyChain;
      const g0 = performance.now();
      let event: FuzzEvent;
      let note: string;
      const last = recent[r.int(0, recent.length - 1)];
      if (last !== undefined && r.chance(0.04)) {
        // An identical retry of an earlier request (its authentication still valid).
        ({ event, note } = last);
        note = `retry of ${note}`;
      } else {
        const input = finalize(generateInput(r, ctx, registry, i), instance.options, (x) => toEvent(x, `m${i}`));
        event = toEvent(input, `m${i}`);
        note = input.note;
        if (input.reachesParser) recent[i % 64] = { event, note };
      }
      genMs += performance.now() - g0;
      await run(instance, event, note, tally);
    }
    const seconds = (performance.now() - start) / 1000;
    totals.inputs += tally.inputs;
    const m = withAllowList.model;
    const n = anyChain.model;
    report('mutations', tally, `${m.signatures + n.signatures} signed, ${m.retries + n.retries} identical retries, ${m.refusals + n.refusals} watermark refusals, ${seconds.toFixed(1)} s (generator ${(genMs / 1000).toFixed(1)} s)`);
    vexpect(tally.violations).toEqual([]);
    vexpect(tally.disagreements).toEqual([]);
  });

  test(`property: any bytes with a valid authentication get the reference's answer (${PROPERTY_RUNS} runs)`, async () => {
    const instance = anyChain;
    const pkh = [...instance.keys.keys()][0]!;
    const signer = parseKeyHash(pkh)!;
    const tally = newTally();
    const template = fc.constantFrom(...(['block', 'preattestation', 'attestation'] as const));
    const bytesArb = fc.oneof(
      fc.uint8Array({ maxLength: 260 }),
      // A valid payload with a few bytes overwritten: close to the layouts, so the parser works.
      fc
        .tuple(template, fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 9 }), fc.array(fc.tuple(fc.nat(240), fc.nat(255)), { maxLength: 3 }), fc.integer({ min: -3, max: 3 }))
        .map(([kind, level, round, edits, resize]) => {
          let bytes = payload({ kind, chainId: chains[0]!, level, round });
          for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
          if (resize < 0) bytes = bytes.slice(0, bytes.length + resize);
          if (resize > 0) bytes = Uint8Array.from([...bytes, ...new Uint8Array(resize)]);
          return bytes;
        }),
    );
    await fc.assert(
      fc.asyncProperty(bytesArb, fc.constantFrom(...authorized), async (bytes, key) => {
        const before = tally.violations.length + tally.disagreements.length;
        const auth = authenticationFor(key, signer, bytes);
        registry.add(auth, pkh, bytes, true);
        const event: FuzzEvent = {
          version: '2.0',
          rawPath: `/keys/${pkh}`,
          rawQueryString: `authentication=${auth}`,
          requestContext: { requestId: 'p', http: { method: 'POST' } },
          body: bytes.length === 0 ? '""' : JSON.stringify(toHex(bytes)),
        };
        await run(instance, event, `property bytes ${toHex(bytes).slice(0, 40)}…`, tally);
        return tally.violations.length + tally.disagreements.length === before;
      }),
      { numRuns: PROPERTY_RUNS, seed },
    );
    totals.inputs += tally.inputs;
    report('property/bytes', tally, 'every one authenticated');
    vexpect(tally.violations).toEqual([]);
  });

  test(`property: arbitrary method, path, query and body strings get a documented answer (${PROPERTY_RUNS * 10} runs)`, async () => {
    const tally = newTally();
    const pkh = [...withAllowList.keys.keys()][0]!;
    const pathArb = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ maxLength: 30 }).map((s) => `/keys/${s}`),
      fc.string({ maxLength: 10 }).map((s) => `${s}/keys/${pkh}`),
      fc.constant(`/keys/${pkh}`),
    );
    const bodyArb = fc.option(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.json(), fc.stringMatching(/^"[0-9a-fA-Fx]{0,30}"$/)), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'post', '', 'X'), pathArb, fc.string({ unit: 'binary', maxLength: 60 }), bodyArb, fc.boolean(), async (method, path, query, body, v1) => {
        const event: FuzzEvent = v1
          ? { httpMethod: method, path, multiValueQueryStringParameters: null, requestContext: { requestId: 'p' }, ...(body !== undefined ? { body } : {}) }
          : { version: '2.0', rawPath: path, rawQueryString: query, requestContext: { requestId: 'p', http: { method } }, ...(body !== undefined ? { body } : {}) };
        const before = tally.violations.length + tally.disagreements.length;
        await run(withAllowList, event, 'property strings', tally);
        return tally.violations.length + tally.disagreements.length === before;
      }),
      { numRuns: PROPERTY_RUNS * 10, seed },
    );
    totals.inputs += tally.inputs;
    report('property/strings', tally, 'no authentication forged');
    vexpect(tally.violations).toEqual([]);
    vexpect(tally.disagreements).toEqual([]);
  });

  test(`property: sequences of consensus requests keep the watermark model (${SEQUENCE_RUNS} sequences)`, async () => {
    const tally = newTally();
    const command = fc.record({
      kind: fc.constantFrom(...(['block', 'preattestation', 'attestation'] as const)),
      level: fc.integer({ min: 0, max: 6 }),
      round: fc.integer({ min: 0, max: 3 }),
      variant: fc.integer({ min: 0, max: 2 }),
      key: fc.nat(2),
    });
    let sequence = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), async (commands) => {
        // A fresh chain per sequence: a fresh watermark, and the model follows from there.
        const chainId = Uint8Array.of(0xee, (sequence >> 16) & 0xff, (sequence >> 8) & 0xff, sequence & 0xff);
        sequence += 1;
        const before = tally.violations.length + tally.disagreements.length;
        for (const c of commands) {
          const pkh = [...anyChain.keys.keys()][c.key]!;
          const bytes = payload({ kind: c.kind, chainId, level: c.level, round: c.round, variant: c.variant });
          const auth = authenticationFor(authorized[c.key]!, parseKeyHash(pkh)!, bytes);
          registry.add(auth, pkh, bytes, true);
          const event: FuzzEvent = {
            version: '2.0',
            rawPath: `/keys/${pkh}`,
            rawQueryString: `authentication=${auth}`,
            requestContext: { requestId: 's', http: { method: 'POST' } },
            body: JSON.stringify(toHex(bytes)),
          };
          await run(anyChain, event, `sequence ${JSON.stringify(c)}`, tally);
        }
        return tally.violations.length + tally.disagreements.length === before;
      }),
      { numRuns: SEQUENCE_RUNS, seed },
    );
    totals.inputs += tally.inputs;
    report('property/sequences', tally, `${anyChain.model.signatures} signed in all, ${anyChain.model.refusals} watermark refusals`);
    vexpect(tally.violations).toEqual([]);
    vexpect(tally.disagreements).toEqual([]);
  });

  test(`over HTTP: ${HTTP_INPUTS.toLocaleString('en-US')} inputs through the committed bundle in a signer process (dynalite, local KMS)`, { timeout: 300_000 }, async () => {
    // The same curves as the in-process keys, created in the local KMS: over HTTP the suite knows their
    // public keys only.
    const curves = Object.fromEntries([...consensusSecrets].map(([label, key]) => [label, key.curve]));
    const stack = await startSafetyStack({ consensusKeys: curves, authorizedKeys: authorized.map((k) => k.publicKey.encoded) });
    const child = await startSignerProcess(stack.signerOptions);
    const client = httpClient(4);
    try {
      const keys = new Map([...stack.consensus.values()].map((k) => [k.publicKey.pkh.encoded, { publicKey: k.publicKey }]));
      const instance: Instance = {
        name: 'http',
        signer: undefined,
        kms: undefined,
        keys,
        model: new WatermarkModel(),
        options: { known: new Set(keys.keys()), allowedChainHex: undefined, registry },
        http: async (event) => {
          const url = `${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
          const answer = await client.send(child.url, { method: event.requestContext.http!.method, path: url, ...(event.body !== undefined ? { body: event.body } : {}), headers: event.headers ?? {} });
          if (answer.status === 0) throw new Error(`no answer: ${answer.text}`);
          return { status: answer.status, body: answer.body };
        },
      };
      const r = rng(seed ^ 0x5a5a5a5a);
      const ctx: FuzzContext = { authorized, strangers, consensus: [...keys.values()].map((k) => k.publicKey), chains, httpSafe: true };
      const tally = newTally();
      const start = performance.now();
      for (let i = 0; i < HTTP_INPUTS; i++) {
        // What the local HTTP server turns the request into: the model reads that event.
        const asEvent = (input: FuzzInput): FuzzEvent => {
          const question = input.path.indexOf('?');
          const url = `${input.path}${input.query ? `?${input.query}` : ''}`;
          void question;
          const e = toFunctionUrlEvent(input.method.toUpperCase(), url, input.headers, Buffer.from(input.body ?? ''), `h${i}`) as FuzzEvent;
          return e;
        };
        let input = generateInput(r, ctx, registry, i);
        if (!['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].includes(input.method.toUpperCase())) input = { ...input, method: 'PATCH' };
        input = finalize(input, instance.options, asEvent);
        await run(instance, asEvent(input), input.note, tally);
      }
      totals.inputs += tally.inputs;
      report('http', tally, `${instance.model.signatures} signed, ${instance.model.retries} identical retries, ${instance.model.refusals} watermark refusals, ${((performance.now() - start) / 1000).toFixed(1)} s`);
      vexpect(tally.violations).toEqual([]);
      vexpect(tally.disagreements).toEqual([]);
    } finally {
      client.close();
      await child.stop();
      await stack.close();
    }
  });

  test('the reference parser agrees with every vector', () => {
    const vectors = Object.entries(vectorsJson.vectors);
    for (const [name, v] of vectors) {
      const verdict = referenceVerdict(fromHex(v.hex));
      vexpect(verdict, name).toMatchObject({ verdict: 'sign', kind: v.kind, level: v.level, round: v.round, chainIdHex: v.chain_id_hex });
    }
  });
});
