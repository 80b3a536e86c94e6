// Faults at every step of the signing path, placed exactly: DynamoDB GetItem and PutItem through the
// fault proxy (errors, throttling, delays past the client timeout, resets, and the ambiguous write that
// is applied but whose answer is dropped), KMS Sign through the local KMS's faults (errors, throttling, delays,
// malformed DER, a signature by another key), and a signer process killed mid-burst. For each: the
// signer fails closed (5xx naming what failed), no signature leaves unrecorded, the watermark never
// goes down (polled during the run), and the same request succeeds once the fault is gone.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import crypto from '../fixtures/crypto.json' with { type: 'json' };
import { encodeChainId } from '../../lambda/src/base58.js';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { blake2b256 } from '../../lambda/src/hash.js';
import { parseKeyHash, type PublicKey } from '../../lambda/src/keys.js';
import { decodeSignature, verifySignature } from '../../lambda/src/signature.js';
import type { Fault } from '../../local/fault-proxy.js';
import type { KmsFault } from '../../local/kms-server.js';
import { authenticationFor, secretKeyFromBytes } from '../../local/secret-keys.js';
import { payload, type Kind } from '../support/payloads.js';
import { rng, scaled, seedFromEnv } from '../support/prng.js';
import { startSignerProcess } from '../support/processes.js';
import { httpClient, inProcessHandler, startSafetyStack, type HttpAnswer, type InProcessHandler, type SafetyStack, type StoredItem } from '../support/safety-stack.js';

const seed = seedFromEnv();
const BURST = scaled(300, 2_000);
const KILL_ROUNDS = scaled(1, 5);

const authorized = secretKeyFromBytes('secp256k1', fromHex(crypto.keys.authorized_tz2.secret_hex));
// The consensus key is created in the local KMS when the suite starts; the suite knows its public key.
let consensusKey: PublicKey;
let pkh: string;

const figures = { cases: 0, requests: 0, violations: [] as string[], fiveHundreds: 0, killed: 0 };
let chainCounter = 0;

function event(bytes: Uint8Array) {
  const auth = authenticationFor(authorized, parseKeyHash(pkh)!, bytes);
  return {
    version: '2.0' as const,
    rawPath: `/keys/${pkh}`,
    rawQueryString: `authentication=${auth}`,
    requestContext: { requestId: `f${figures.requests}`, http: { method: 'POST' } },
    body: JSON.stringify(toHex(bytes)),
  };
}

describe(`faults on the signing path (seed ${seed})`, () => {
  let stack: SafetyStack;
  let handler: InProcessHandler;

  beforeAll(async () => {
    stack = await startSafetyStack({ consensusKeys: { 'faults-tz2': 'secp256k1' }, authorizedKeys: [authorized.publicKey.encoded] });
    consensusKey = stack.consensus.get('faults-tz2')!.publicKey;
    pkh = consensusKey.pkh.encoded;
    handler = await inProcessHandler(stack.env);
  });

  afterAll(async () => {
    const injected = (stack?.proxy.stats.injectedTotal ?? 0) + (stack?.kms.stats.faultsInjected ?? 0);
    console.log(
      `faults: ${figures.cases} fault cases, ${figures.requests} requests, ${injected} faults injected (DynamoDB ${JSON.stringify(stack?.proxy.stats.injected)}, KMS ${stack?.kms.stats.faultsInjected}), ${figures.fiveHundreds} fail-closed 5xx, ${figures.killed} processes killed mid-burst, violations: ${figures.violations.length} (seed ${seed})`,
    );
    for (const v of figures.violations.slice(0, 10)) console.log(`  ${v}`);
    await stack?.close();
  });

  /** Polls the item while `work` runs; a decrease of the stored (level, round) is a violation. */
  async function watched<T>(pk: string, work: () => Promise<T>): Promise<T> {
    let running = true;
    let last: StoredItem | undefined;
    const poll = (async () => {
      while (running) {
        const item = await stack.read(pk);
        if (last && (!item || item.level < last.level || (item.level === last.level && item.round < last.round))) {
          figures.violations.push(`WATERMARK WENT DOWN at ${pk}: ${JSON.stringify(last)} then ${JSON.stringify(item ?? null)}`);
        }
        if (item) last = item;
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    try {
      return await work();
    } finally {
      running = false;
      await poll;
    }
  }

  async function send(bytes: Uint8Array): Promise<{ status: number; body: unknown; ms: number }> {
    figures.requests += 1;
    const start = performance.now();
    const response = await handler(event(bytes));
    return { status: response.statusCode, body: JSON.parse(response.body), ms: performance.now() - start };
  }

  /** A 200 must carry the signature the table holds at that position, and verify. */
  async function recorded(pk: string, bytes: Uint8Array, answer: { status: number; body: unknown }, level: number, round: number, label: string) {
    if (answer.status !== 200) return;
    const signature = (answer.body as { signature: string }).signature;
    const item = await stack.read(pk);
    if (!item || item.level !== level || item.round !== round || item.signature !== signature || item.digest !== toHex(blake2b256(bytes))) {
      figures.violations.push(`${label}: released ${signature} at ${level}/${round}, table holds ${JSON.stringify(item ?? null)}`);
    }
    const decoded = decodeSignature(signature);
    if (!decoded || !verifySignature(consensusKey, blake2b256(bytes), decoded.bytes)) figures.violations.push(`${label}: released signature does not verify`);
  }

  function fresh(kind: Kind = 'block') {
    chainCounter += 1;
    const chainId = Uint8Array.of(0xfa, (seed >> 8) & 0xff, seed & 0xff, chainCounter);
    return { chainId, pk: `${pkh}#${encodeChainId(chainId)}#${kind}`, kind };
  }

  type Place = { where: 'GetItem' | 'PutItem'; fault: Fault } | { where: 'Sign'; fault: KmsFault };
  interface Case {
    name: string;
    place: Place;
    /** Only the first N attempts are faulted (the SDK's retry then succeeds): undefined = persistent. */
    times?: number;
    expect: { status: 200 } | { status: 503; message: RegExp };
    /** After the fault is healed, the retry returns the signature stored during the fault. */
    storedDuringFault?: boolean;
  }

  const cases: Case[] = [
    // Before / at the read.
    { name: 'GetItem 500', place: { where: 'GetItem', fault: 'error' }, expect: { status: 503, message: /DynamoDB read of the watermark failed/ } },
    { name: 'GetItem throttled', place: { where: 'GetItem', fault: 'throttle' }, expect: { status: 503, message: /DynamoDB read.*Throttl/ } },
    { name: 'GetItem ProvisionedThroughputExceeded', place: { where: 'GetItem', fault: 'provisioned' }, expect: { status: 503, message: /DynamoDB read.*ProvisionedThroughputExceeded/ } },
    { name: 'GetItem connection reset', place: { where: 'GetItem', fault: 'reset' }, expect: { status: 503, message: /DynamoDB read/ } },
    { name: 'GetItem 500 once (SDK retry succeeds)', place: { where: 'GetItem', fault: 'error' }, times: 1, expect: { status: 200 } },
    { name: 'GetItem throttled twice (SDK retry succeeds)', place: { where: 'GetItem', fault: 'throttle' }, times: 2, expect: { status: 200 } },
    // The KMS call.
    { name: 'KMS Sign 500', place: { where: 'Sign', fault: { kind: 'error' } }, expect: { status: 503, message: /KMS Sign failed.*nothing was signed/ } },
    { name: 'KMS Sign throttled', place: { where: 'Sign', fault: { kind: 'throttle' } }, expect: { status: 503, message: /KMS Sign failed.*Throttl/ } },
    { name: 'KMS Sign malformed DER', place: { where: 'Sign', fault: { kind: 'malformed-der' } }, expect: { status: 503, message: /KMS Sign returned an unusable signature/ } },
    { name: 'KMS Sign by another key', place: { where: 'Sign', fault: { kind: 'wrong-key' } }, expect: { status: 503, message: /does not verify against the key/ } },
    { name: 'KMS Sign 500 once (SDK retry succeeds)', place: { where: 'Sign', fault: { kind: 'error' } }, times: 1, expect: { status: 200 } },
    // Around the conditional write.
    { name: 'PutItem 500', place: { where: 'PutItem', fault: 'error' }, expect: { status: 503, message: /DynamoDB write of the watermark failed.*nothing was signed/ } },
    { name: 'PutItem throttled', place: { where: 'PutItem', fault: 'throttle' }, expect: { status: 503, message: /DynamoDB write.*Throttl/ } },
    { name: 'PutItem ProvisionedThroughputExceeded', place: { where: 'PutItem', fault: 'provisioned' }, expect: { status: 503, message: /DynamoDB write.*ProvisionedThroughputExceeded/ } },
    { name: 'PutItem connection reset (not applied)', place: { where: 'PutItem', fault: 'reset' }, expect: { status: 503, message: /DynamoDB write/ } },
    { name: 'PutItem applied, answer dropped, every attempt (ambiguous)', place: { where: 'PutItem', fault: 'ambiguous' }, expect: { status: 503, message: /DynamoDB write/ }, storedDuringFault: true },
    { name: 'PutItem applied, answer dropped once (SDK retry sees the condition fail)', place: { where: 'PutItem', fault: 'ambiguous' }, times: 1, expect: { status: 200 } },
    { name: 'PutItem 500 once (SDK retry succeeds)', place: { where: 'PutItem', fault: 'error' }, times: 1, expect: { status: 200 } },
  ];

  test.each(cases)('$name', async (c) => {
    const { chainId, pk, kind } = fresh();
    figures.cases += 1;
    // A watermark below: level 10 signed cleanly.
    const before = payload({ kind, chainId, level: 10, round: 0 });
    const base = await send(before);
    expect(base.status).toBe(200);
    const bytes = payload({ kind, chainId, level: 11, round: 1 });
    const answer = await watched(pk, async () => {
      if (c.place.where === 'Sign') stack.kms.faults.sign = { ...c.place.fault, ...(c.times !== undefined ? { times: c.times } : {}) };
      else stack.proxy.faults[c.place.where] = { fault: c.place.fault, ...(c.times !== undefined ? { times: c.times } : {}) };
      try {
        return await send(bytes);
      } finally {
        delete stack.kms.faults.sign;
        stack.proxy.heal();
      }
    });
    const message = JSON.stringify(answer.body);
    expect(answer.status, message).toBe(c.expect.status);
    if (c.expect.status === 503) {
      figures.fiveHundreds += 1;
      expect(message).toMatch(c.expect.message);
      expect(message).not.toMatch(/spsig1|edsig|p2sig/);
    }
    await recorded(pk, bytes, answer, 11, 1, c.name);
    const during = await stack.read(pk);
    // Recovery: the same request succeeds; after an ambiguous write it gets the signature stored then.
    const retry = await watched(pk, () => send(bytes));
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    await recorded(pk, bytes, retry, 11, 1, `${c.name} (retry)`);
    if (c.storedDuringFault) {
      expect(during?.level).toBe(11);
      expect((retry.body as { signature: string }).signature).toBe(during?.signature);
    }
    if (answer.status === 200) expect(retry.body).toEqual(answer.body);
    // And the watermark refuses other bytes there.
    const other = await send(payload({ kind, chainId, level: 11, round: 1, variant: 9 }));
    expect(other.status).toBe(409);
    expect(figures.violations).toEqual([]);
  });

  // The KMS Sign runs alongside the watermark read (two sequential round trips): each way the two can
  // interleave, with a fresh handler instance where the instance must not know the watermark yet.
  describe('KMS Sign alongside the watermark read', () => {
    async function freshInstance(): Promise<(bytes: Uint8Array) => Promise<{ status: number; body: unknown; ms: number }>> {
      const other = await inProcessHandler(stack.env);
      return async (bytes) => {
        figures.requests += 1;
        const start = performance.now();
        const response = await other(event(bytes));
        return { status: response.statusCode, body: JSON.parse(response.body), ms: performance.now() - start };
      };
    }

    /** Applies the faults for the duration of `work`, watching the watermark. */
    async function withFaults<T>(pk: string, faults: { read?: Fault; sign?: KmsFault }, work: () => Promise<T>): Promise<T> {
      return watched(pk, async () => {
        if (faults.read) stack.proxy.faults['GetItem'] = { fault: faults.read };
        if (faults.sign) stack.kms.faults.sign = { ...faults.sign };
        try {
          return await work();
        } finally {
          delete stack.kms.faults.sign;
          stack.proxy.heal();
        }
      });
    }

    test('the read answers late (300 ms), the Sign at once: the signature waits for the read and the write', async () => {
      const { chainId, pk, kind } = fresh();
      figures.cases += 1;
      const bytes = payload({ kind, chainId, level: 7, round: 0 });
      const answer = await withFaults(pk, { read: { delayMs: 300 } }, () => send(bytes));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      await recorded(pk, bytes, answer, 7, 0, 'read late');
      expect(figures.violations).toEqual([]);
    });

    test('the Sign answers late (300 ms), the read at once: signed once the Sign answers', async () => {
      const { chainId, pk, kind } = fresh();
      figures.cases += 1;
      const bytes = payload({ kind, chainId, level: 7, round: 0 });
      const answer = await withFaults(pk, { sign: { kind: 'delay', ms: 300 } }, () => send(bytes));
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      await recorded(pk, bytes, answer, 7, 0, 'sign late');
      expect(figures.violations).toEqual([]);
    });

    test('the read fails while the Sign succeeds: 503 naming the read, the signature made is never released or stored', async () => {
      const { chainId, pk, kind } = fresh();
      figures.cases += 1;
      await send(payload({ kind, chainId, level: 6, round: 0 }));
      const bytes = payload({ kind, chainId, level: 7, round: 0 });
      const signsBefore = stack.kms.stats.sign;
      const answer = await withFaults(pk, { read: 'error' }, () => send(bytes));
      expect(answer.status).toBe(503);
      expect(JSON.stringify(answer.body)).toMatch(/DynamoDB read of the watermark failed/);
      expect(JSON.stringify(answer.body)).not.toMatch(/spsig1/);
      expect(stack.kms.stats.sign).toBeGreaterThan(signsBefore); // KMS was called alongside, and wasted
      expect((await stack.read(pk))?.level).toBe(6);
      figures.fiveHundreds += 1;
      const retry = await send(bytes);
      expect(retry.status).toBe(200);
      await recorded(pk, bytes, retry, 7, 0, 'read failed, retry');
      expect(figures.violations).toEqual([]);
    });

    test('both fail: 503 naming the read, nothing stored, and the process keeps serving', async () => {
      const { chainId, pk, kind } = fresh();
      figures.cases += 1;
      const bytes = payload({ kind, chainId, level: 7, round: 0 });
      const answer = await withFaults(pk, { read: 'error', sign: { kind: 'error' } }, () => send(bytes));
      expect(answer.status).toBe(503);
      expect(JSON.stringify(answer.body)).toMatch(/DynamoDB read of the watermark failed/);
      expect(await stack.read(pk)).toBeUndefined();
      figures.fiveHundreds += 1;
      const retry = await send(bytes);
      expect(retry.status).toBe(200);
      await recorded(pk, bytes, retry, 7, 0, 'both failed, retry');
    });

    test.each([
      ['fails', { kind: 'error' }],
      ['is throttled', { kind: 'throttle' }],
      ['answers past the client timeout (3.5 s)', { kind: 'delay', ms: 3_500 }],
      ['answers a signature by another key', { kind: 'wrong-key' }],
    ] as const)('an identical retry on an instance that has not seen the watermark, while the Sign %s: the stored signature', { timeout: 60_000 }, async (_label, fault) => {
      const { chainId, pk, kind } = fresh();
      figures.cases += 1;
      const bytes = payload({ kind, chainId, level: 9, round: 1 });
      const first = await send(bytes);
      expect(first.status).toBe(200);
      const other = await freshInstance();
      const retry = await withFaults(pk, { sign: fault }, () => other(bytes));
      expect(retry.status, JSON.stringify(retry.body)).toBe(200);
      expect(retry.body).toEqual(first.body);
      await recorded(pk, bytes, retry, 9, 1, `retry while Sign ${fault.kind}`);
      expect(figures.violations).toEqual([]);
    });

    test.each([
      ['fails', { kind: 'error' }],
      ['answers malformed DER', { kind: 'malformed-der' }],
    ] as const)('other bytes at the stored position on an instance that has not seen it, while the Sign %s: 409 with the stored watermark', async (_label, fault) => {
      const { chainId, pk, kind } = fresh();
      figures.cases += 1;
      const first = await send(payload({ kind, chainId, level: 9, round: 1 }));
      expect(first.status).toBe(200);
      const other = await freshInstance();
      const refused = await withFaults(pk, { sign: fault }, () => other(payload({ kind, chainId, level: 9, round: 1, variant: 4 })));
      expect(refused.status, JSON.stringify(refused.body)).toBe(409);
      expect(JSON.stringify(refused.body)).toMatch(/level 9 round 1/);
      const below = await withFaults(pk, { sign: fault }, () => other(payload({ kind, chainId, level: 8, round: 0 })));
      expect(below.status).toBe(409);
      expect(JSON.stringify(below.body)).toMatch(/watermark at level 9 round 1/);
      expect((await stack.read(pk))?.signature).toBe((first.body as { signature: string }).signature);
      expect(figures.violations).toEqual([]);
    });
  });

  test('a DynamoDB that answers past the client timeout (GetItem delayed 3.5 s) fails closed rather than hanging', { timeout: 60_000 }, async () => {
    const { chainId, pk, kind } = fresh();
    figures.cases += 1;
    const bytes = payload({ kind, chainId, level: 5, round: 0 });
    stack.proxy.faults['GetItem'] = { fault: { delayMs: 3_500 } };
    let answer;
    try {
      answer = await watched(pk, () => send(bytes));
    } finally {
      stack.proxy.heal();
    }
    console.log(`faults: GetItem delayed 3.5 s (client requestTimeout 2.5 s): status ${answer.status} after ${(answer.ms / 1000).toFixed(1)} s: ${JSON.stringify(answer.body)}`);
    await recorded(pk, bytes, answer, 5, 0, 'GetItem delay');
    if (answer.status !== 200) figures.fiveHundreds += 1;
    // Every attempt times out at the client's 2.5 s (throwOnRequestTimeout): fail closed, within the
    // Lambda's 10 s, with the reason; nothing signed.
    expect(answer.status).toBe(503);
    expect(JSON.stringify(answer.body)).toMatch(/DynamoDB read of the watermark failed: TimeoutError/);
    expect(answer.ms).toBeLessThan(10_000);
    const retry = await send(bytes);
    expect(retry.status).toBe(200);
    await recorded(pk, bytes, retry, 5, 0, 'GetItem delay retry');
  });

  test('a PutItem delayed past the client timeout and applied late: no signature leaves unrecorded', { timeout: 60_000 }, async () => {
    const { chainId, pk, kind } = fresh();
    figures.cases += 1;
    const bytes = payload({ kind, chainId, level: 5, round: 0 });
    stack.proxy.faults['PutItem'] = { fault: { delayMs: 3_500 }, times: 1 };
    let answer;
    try {
      answer = await watched(pk, () => send(bytes));
    } finally {
      stack.proxy.heal();
    }
    console.log(`faults: PutItem delayed 3.5 s once: status ${answer.status} after ${(answer.ms / 1000).toFixed(1)} s`);
    await new Promise((r) => setTimeout(r, 500)); // let a late write land
    await recorded(pk, bytes, answer, 5, 0, 'PutItem delay');
    const retry = await send(bytes);
    expect(retry.status).toBe(200);
    await recorded(pk, bytes, retry, 5, 0, 'PutItem delay retry');
    if (answer.status === 200) expect(retry.body).toEqual(answer.body);
    else figures.fiveHundreds += 1;
    expect(figures.violations).toEqual([]);
  });

  test('KMS Sign delayed 3.5 s: fails closed or signs consistently, and recovers', { timeout: 60_000 }, async () => {
    const { chainId, pk, kind } = fresh();
    figures.cases += 1;
    const bytes = payload({ kind, chainId, level: 5, round: 0 });
    stack.kms.faults.sign = { kind: 'delay', ms: 3_500, times: 1 };
    let answer;
    try {
      answer = await watched(pk, () => send(bytes));
    } finally {
      delete stack.kms.faults.sign;
    }
    console.log(`faults: KMS Sign delayed 3.5 s once: status ${answer.status} after ${(answer.ms / 1000).toFixed(1)} s`);
    await recorded(pk, bytes, answer, 5, 0, 'KMS delay');
    if (answer.status !== 200) figures.fiveHundreds += 1;
    const retry = await send(bytes);
    expect(retry.status).toBe(200);
    await recorded(pk, bytes, retry, 5, 0, 'KMS delay retry');
  });

  test(`a signer process killed (SIGKILL) mid-burst of ${BURST} requests: every released signature is recorded, retries get the stored one`, { timeout: 120_000 }, async () => {
    const r = rng(seed);
    const client = httpClient(32);
    for (let round = 0; round < KILL_ROUNDS; round++) {
      // Writes slowed a little, so that the kill lands between reads, KMS calls and writes.
      stack.proxy.faults['PutItem'] = { fault: { delayMs: 20 } };
      const [victim, survivor] = await Promise.all([startSignerProcess(stack.signerOptions), startSignerProcess(stack.signerOptions)]);
      const { chainId } = fresh();
      const chain = encodeChainId(chainId);
      const plan = Array.from({ length: BURST }, () => {
        const kind = r.pick(['block', 'attestation'] as const);
        const level = 100 + r.int(0, 5);
        const variant = r.chance(0.5) ? 0 : r.int(1, 2);
        return { kind, level, round: 0, bytes: payload({ kind, chainId, level, round: 0, variant }) };
      });
      const sendTo = (url: string, bytes: Uint8Array): Promise<HttpAnswer> => {
        figures.requests += 1;
        const auth = authenticationFor(authorized, parseKeyHash(pkh)!, bytes);
        return client.send(url, { path: `/keys/${pkh}?authentication=${auth}`, body: JSON.stringify(toHex(bytes)) });
      };
      const killAfter = r.int(30, 200);
      const killer = new Promise<void>((ok) =>
        setTimeout(() => {
          victim.child.kill('SIGKILL');
          figures.killed += 1;
          ok();
        }, killAfter),
      );
      const answers = await Promise.all(plan.map((p, i) => new Promise<HttpAnswer>((ok) => setTimeout(() => void sendTo((i % 2 ? survivor : victim).url, p.bytes).then(ok), r.int(0, 300)))));
      await killer;
      stack.proxy.heal();
      // The survivor answers every request that got no answer: the stored signature or a refusal.
      const lost = plan.flatMap((p, i) => (answers[i]!.status === 0 ? [i] : []));
      const retried = await Promise.all(lost.map((i) => sendTo(survivor.url, plan[i]!.bytes)));
      lost.forEach((i, j) => (answers[i] = retried[j]!));
      // Invariants: one payload per position, every 200 verifies, the table holds the highest released.
      const released = new Map<string, { digest: string; signature: string }>();
      for (const [i, p] of plan.entries()) {
        const a = answers[i]!;
        if (![200, 409, 503].includes(a.status)) figures.violations.push(`kill: status ${a.status} ${a.text.slice(0, 120)}`);
        if (a.status !== 200) continue;
        const signature = (a.body as { signature: string }).signature;
        const digest = toHex(blake2b256(p.bytes));
        const position = `${p.kind}@${p.level}`;
        const seen = released.get(position);
        if (seen && seen.digest !== digest) figures.violations.push(`kill: DOUBLE SIGNING at ${position}`);
        if (seen && seen.digest === digest && seen.signature !== signature) figures.violations.push(`kill: identical payload got two signatures at ${position}`);
        released.set(position, { digest, signature });
        const decoded = decodeSignature(signature);
        if (!decoded || !verifySignature(consensusKey, blake2b256(p.bytes), decoded.bytes)) figures.violations.push(`kill: signature does not verify`);
      }
      for (const kind of ['block', 'attestation'] as const) {
        const item = await stack.read(`${pkh}#${chain}#${kind}`);
        const mine = [...released.entries()].filter(([k]) => k.startsWith(`${kind}@`)).map(([k, v]) => ({ level: Number(k.split('@')[1]), ...v }));
        const top = mine.sort((a, b) => b.level - a.level)[0];
        if (top && (!item || item.level < top.level)) figures.violations.push(`kill: table ${JSON.stringify(item ?? null)} below the highest release ${top.level}`);
        if (top && item && item.level === top.level && item.signature !== top.signature) figures.violations.push(`kill: table signature differs from the release at ${kind}@${top.level}`);
      }
      console.log(`faults: kill round ${round}: victim killed after ${killAfter} ms, ${lost.length} requests lost and retried on the survivor, ${answers.filter((a) => a.status === 200).length} answered 200`);
      await survivor.stop();
      await victim.stop();
    }
    client.close();
    expect(figures.violations).toEqual([]);
  });
});
