// Two regions behind `tezos-signer failover`, one watermark table (test/support/two-regions.ts): a
// baker's stream of requests while whole regions are cut at random moments (signers, KMS and the path
// to the table), between KMS Sign and the write's acknowledgement, with writes landing late from a cut
// region, a region that flaps and one that hangs. Asserted: no two signatures for one position across
// regions, every position signed within one 6-second round, an identical retry in either region returns
// the signature the baker got. The same harness over regional watermarks (each region its own table)
// must find double signatures: the suite proves on every run that it can fail.
import { afterAll, describe, expect, test } from 'vitest';
import crypto from '../fixtures/crypto.json' with { type: 'json' };
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { blake2b256 } from '../../lambda/src/hash.js';
import { decodeSignature, verifySignature } from '../../lambda/src/signature.js';
import { parseKeyHash } from '../../lambda/src/keys.js';
import { startFailover, type FailoverLine } from '../../cli/failover-proxy.js';
import { DEFAULT_POLICY } from '../../cli/failover-route.js';
import { authenticationFor, secretKeyFromBytes } from '../../local/secret-keys.js';
import { payload, randomChainId, type Kind } from '../support/payloads.js';
import { rng, scaled, seedFromEnv, type Rng } from '../support/prng.js';
import { startTwoRegions, type CutMode, type TwoRegions } from '../support/two-regions.js';

const seed = seedFromEnv();
const ROUND_MS = 6000;
const authorized = secretKeyFromBytes('secp256k1', fromHex(crypto.keys.authorized_tz2.secret_hex));
const MODES: CutMode[] = ['hard', 'ack-lost', 'late-writes', 'hang'];

interface Position {
  readonly kind: Kind;
  readonly level: number;
  readonly bytes: Uint8Array;
  /** From the baker's first send to its signature. */
  ms?: number;
  signature?: string;
  /** A cut (or flap) was in force when the baker first sent it. */
  underCut: boolean;
  answeredBy?: string;
}

interface RunFigures {
  seed: number;
  positions: number;
  requests: number;
  failovers: number;
  cuts: Record<string, number>;
  flaps: number;
  maxMs: number;
  overRound: string[];
  doubles: string[];
  retries: number;
  retriesSkipped: number;
  retryMismatches: string[];
  badSignatures: number;
  emitted: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the baker's stream through failover while the chaos loop cuts regions; returns what it saw. */
async function run(stack: TwoRegions, random: Rng, levels: number): Promise<RunFigures> {
  const [a, b] = stack.regions;
  const lines: FailoverLine[] = [];
  const proxy = await startFailover({ upstreams: [a, b].map((r) => ({ name: r.name, url: new URL(r.url) })), host: '127.0.0.1', port: 0, policy: DEFAULT_POLICY, log: (l) => lines.push(l) });
  const pkh = stack.publicKey.pkh.encoded;
  const hash = parseKeyHash(pkh)!;
  const chainId = randomChainId();
  const figures: RunFigures = { seed, positions: 0, requests: 0, failovers: 0, cuts: {}, flaps: 0, maxMs: 0, overRound: [], doubles: [], retries: 0, retriesSkipped: 0, retryMismatches: [], badSignatures: 0, emitted: 0 };
  const positions: Position[] = [];

  const send = async (bytes: Uint8Array, base = proxy.url): Promise<{ status: number; signature?: string }> => {
    figures.requests++;
    // octez-client asks for the authorized keys before each signing request.
    await fetch(`${base}/authorized_keys`, { signal: AbortSignal.timeout(ROUND_MS) }).catch(() => undefined);
    const auth = authenticationFor(authorized, hash, bytes);
    try {
      const response = await fetch(`${base}/keys/${pkh}?authentication=${auth}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(toHex(bytes)), signal: AbortSignal.timeout(ROUND_MS) });
      const body = (await response.json()) as { signature?: string };
      return { status: response.status, ...(body.signature ? { signature: body.signature } : {}) };
    } catch {
      return { status: 0 };
    }
  };

  let done = false;
  const chaos = (async () => {
    await sleep(random.int(150, 400));
    let last: typeof a | undefined;
    while (!done) {
      // The first cut is of the region the proxy prefers, so that every run fails over at least once.
      const region = last === undefined ? a : random.pick([a, b]);
      // One region down at a time, as the round assertion supposes: an attempt still hanging in the
      // region just healed may last one attempt timeout, so the other region is cut only after it.
      if (last !== undefined && region !== last) await sleep(DEFAULT_POLICY.attemptTimeoutMs + 300);
      last = region;
      if (done) break;
      if (random.chance(0.25)) {
        // A region that flaps: cut and healed several times, in one mode, while requests run.
        figures.flaps++;
        const mode = random.pick(MODES);
        for (let i = 0; i < random.int(3, 6) && !done; i++) {
          region.cutOff(mode);
          await sleep(random.int(60, 250));
          region.heal();
          await sleep(random.int(30, 200));
        }
      } else {
        const mode = random.pick(MODES);
        figures.cuts[mode] = (figures.cuts[mode] ?? 0) + 1;
        region.cutOff(mode);
        await sleep(random.int(300, 1000));
        region.heal();
      }
      await sleep(random.int(100, 400));
    }
  })();

  try {
    for (let level = 1; level <= levels; level++) {
      const kinds: Kind[] = random.chance(0.3) ? ['block', 'preattestation', 'attestation'] : ['preattestation', 'attestation'];
      for (const kind of kinds) {
        const position: Position = { kind, level, bytes: payload({ kind, chainId, level, round: 0 }), underCut: a.cut !== undefined || b.cut !== undefined };
        positions.push(position);
        const start = performance.now();
        // The baker retries an identical request until it has a signature or its round is over.
        while (performance.now() - start < ROUND_MS) {
          const answer = await send(position.bytes);
          if (answer.signature !== undefined) {
            position.signature = answer.signature;
            position.ms = performance.now() - start;
            position.answeredBy = lines.at(-1)?.upstream ?? undefined;
            break;
          }
          await sleep(50);
        }
        // An identical retry straight to each region: to the other one always (once it is back, while
        // this is still the highest position of its kind), to the one that answered sometimes.
        if (position.signature !== undefined) {
          for (const region of [a, b]) {
            if (region.name === position.answeredBy && !random.chance(0.2)) continue;
            for (let waited = 0; region.cut !== undefined && waited < 1200; waited += 50) await sleep(50);
            if (region.cut !== undefined) {
              figures.retriesSkipped++;
              continue;
            }
            const answer = await send(position.bytes, region.url);
            if (answer.signature === undefined) {
              figures.retriesSkipped++; // cut meanwhile: nothing came out, nothing to compare
              continue;
            }
            figures.retries++;
            if (answer.signature !== position.signature) figures.retryMismatches.push(`${kind} level ${level} in ${region.name}: ${answer.signature} (the baker got ${position.signature} from ${position.answeredBy})`);
          }
        }
      }
    }
  } finally {
    done = true;
    await chaos;
    a.heal();
    b.heal();
  }

  await sleep(1800); // late writes of the last cut land (1.5 s) before the table and emissions are read

  // Double signatures: every signature any region's signer produced, per position.
  const byPosition = new Map<string, Set<string>>();
  for (const e of stack.emitted) {
    if (e.signature === undefined) continue;
    figures.emitted++;
    const bytes = fromHex(JSON.parse(e.body) as string);
    const kind = bytes[0] === 0x11 ? 'block' : bytes[0] === 0x12 ? 'preattestation' : 'attestation';
    const level = positions.find((p) => toHex(p.bytes) === toHex(bytes))?.level ?? -1;
    const key = `${kind}@${level}`;
    const decoded = decodeSignature(e.signature);
    if (!decoded || !verifySignature(stack.publicKey, blake2b256(bytes), decoded.bytes)) figures.badSignatures++;
    const set = byPosition.get(key) ?? new Set<string>();
    set.add(e.signature);
    byPosition.set(key, set);
  }
  for (const [key, set] of byPosition) if (set.size > 1) figures.doubles.push(`${key}: ${set.size} signatures`);

  figures.positions = positions.length;
  figures.failovers = lines.filter((l) => l.attempts.length > 1 && l.upstream !== null).length;
  for (const p of positions) {
    if (p.ms === undefined || p.ms > ROUND_MS) figures.overRound.push(`${p.kind} level ${p.level}: ${p.ms === undefined ? 'no signature' : `${Math.round(p.ms)} ms`}${p.underCut ? ' (under a cut)' : ''}`);
    else figures.maxMs = Math.max(figures.maxMs, Math.round(p.ms));
  }
  await proxy.close();
  return figures;
}

function report(name: string, f: RunFigures) {
  console.log(
    `${name}: seed ${f.seed}, ${f.positions} positions, ${f.requests} signing requests, ${f.emitted} signatures out of the signers, ${f.failovers} answered after a failover, cuts ${JSON.stringify(f.cuts)}, ${f.flaps} flapping regions, slowest position ${f.maxMs} ms, over one round ${f.overRound.length}, double signatures ${f.doubles.length}, ${f.retries} identical retries straight to a region (${f.retriesSkipped} skipped: region cut), mismatches ${f.retryMismatches.length}`,
  );
  for (const line of [...f.doubles, ...f.overRound, ...f.retryMismatches].slice(0, 8)) console.log(`  ${line}`);
}

describe(`two regions behind failover, one MRSC watermark (seed ${seed})`, () => {
  const stacks: TwoRegions[] = [];
  afterAll(async () => {
    await Promise.all(stacks.map((s) => s.close()));
  });

  test('regions cut at random: no double signature, every position signed within a round, identical retries return the stored signature', async () => {
    const stack = await startTwoRegions({ authorizedKey: authorized.publicKey.encoded });
    stacks.push(stack);
    const f = await run(stack, rng(seed), scaled(12, 200));
    report('multi-region', f);
    expect(f.doubles).toEqual([]);
    expect(f.badSignatures).toBe(0);
    expect(f.overRound).toEqual([]);
    expect(f.retryMismatches).toEqual([]);
    // The run did what it is for: regions were cut and requests failed over.
    expect(Object.values(f.cuts).reduce((x, y) => x + y, 0) + f.flaps).toBeGreaterThan(0);
    expect(f.failovers).toBeGreaterThan(0);
    expect(f.retries).toBeGreaterThan(0);
  }, 120_000);

  test('a signer told SIGNER_MULTI_REGION=true on a regional table refuses to sign (500), never falls back', async () => {
    const stack = stacks[0]!;
    const handler = await stack.regionalSigner();
    const bytes = payload({ kind: 'attestation', chainId: randomChainId(), level: 5, round: 0 });
    const pkh = stack.publicKey.pkh.encoded;
    const auth = authenticationFor(authorized, parseKeyHash(pkh)!, bytes);
    const response = await handler({ version: '2.0', rawPath: `/keys/${pkh}`, rawQueryString: `authentication=${auth}`, requestContext: { requestId: 'r', http: { method: 'POST' } }, body: JSON.stringify(toHex(bytes)) }, { awsRequestId: 'r' });
    expect(response.statusCode).toBe(500);
    expect(response.body).toMatch(/not MRSC.*refusing to sign on a regional watermark/);
    expect(response.body).not.toContain('signature');
  });

  test('the mutant, regional watermarks (each region its own table): the same harness finds double signatures', async () => {
    const stack = await startTwoRegions({ authorizedKey: authorized.publicKey.encoded, regionalWatermarks: true });
    stacks.push(stack);
    const f = await run(stack, rng(seed ^ 0x5eed), 4);
    report('mutant (regional watermarks)', f);
    expect(f.doubles.length).toBeGreaterThan(0);
  }, 120_000);
});
