// The remote-signer service with KMS and DynamoDB answered in memory: routes, refusals, the watermark
// sequences of the shared vectors, the cost targets, and every failure of an AWS call.
import { beforeEach, describe, expect, test } from 'vitest';
import vectors from '../fixtures/consensus-operations.json' with { type: 'json' };
import sequences from '../fixtures/watermark-sequence.json' with { type: 'json' };
import crypto from '../fixtures/crypto.json' with { type: 'json' };
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { requestFromEvent } from '../../lambda/src/http.js';
import { loadConsensusKeys, type ConsensusKey } from '../../lambda/src/kms.js';
import { parseKeyHash } from '../../lambda/src/keys.js';
import { Signer } from '../../lambda/src/signer.js';
import { logLine } from '../../lambda/src/telemetry.js';
import { decodeSignature, verifySignature } from '../../lambda/src/signature.js';
import { blake2b256 } from '../../lambda/src/hash.js';
import { authenticationFor, generateSecretKey, secretKeyFromBytes } from '../../local/secret-keys.js';
import { FakeKms, FakeStore } from '../support/fakes.js';

const consensus = secretKeyFromBytes('secp256k1', fromHex(crypto.keys.consensus_tz2.secret_hex));
const authorized = secretKeyFromBytes('secp256k1', fromHex(crypto.keys.authorized_tz2.secret_hex));
const PKH = crypto.keys.consensus_tz2.pkh;
const hexOf = (name: string) => (vectors.vectors as Record<string, { hex: string }>)[name]!.hex;

interface Setup {
  signer: Signer;
  kms: FakeKms;
  store: FakeStore;
  keyLoads: { count: number };
}

async function setup(options: { chains?: string[]; store?: FakeStore } = {}): Promise<Setup> {
  const kms = new FakeKms(new Map([['key-1', consensus]]));
  const store = options.store ?? new FakeStore();
  const keyLoads = { count: 0 };
  const signer = new Signer({
    authorizedKeys: [authorized.publicKey],
    allowedChainIds: options.chains ? new Set(options.chains) : undefined,
    keys: async () => {
      keyLoads.count++;
      const list: ConsensusKey[] = await loadConsensusKeys(kms, ['key-1']);
      return new Map(list.map((k) => [k.publicKey.pkh.encoded, k]));
    },
    kms,
    store,
  });
  return { signer, kms, store, keyLoads };
}

function event(method: string, path: string, body?: string, query = '') {
  return requestFromEvent({ version: '2.0', rawPath: path, rawQueryString: query, requestContext: { requestId: 't', http: { method } }, body }, 't');
}

async function sign(s: Signer, hex: string, options: { pkh?: string; auth?: string | null; body?: string } = {}) {
  const pkh = options.pkh ?? PKH;
  const auth = options.auth === null ? '' : `authentication=${options.auth ?? authenticationFor(authorized, parseKeyHash(pkh)!, fromHex(hex))}`;
  const { response, record } = await s.handle(event('POST', `/keys/${pkh}`, options.body ?? JSON.stringify(hex), auth));
  return { status: response.statusCode, body: JSON.parse(response.body) as unknown, record };
}

const sig = (r: { body: unknown }) => (r.body as { signature?: string }).signature;
const msg = (r: { body: unknown }) => (r.body as { msg: string }[])[0]?.msg ?? '';

describe('watermark sequences (test/fixtures/watermark-sequence.json)', () => {
  for (const sequence of sequences.sequences) {
    test(sequence.name, async () => {
      const { signer } = await setup();
      const released: string[] = [];
      for (const [name, expected] of sequence.steps as [string, string][]) {
        const r = await sign(signer, hexOf(name));
        if (expected === 'refused') {
          expect(r.status, name).toBe(409);
          expect(msg(r)).toMatch(/level \d+ round \d+/);
        } else {
          expect(r.status, name).toBe(200);
          const s = sig(r)!;
          expect(verifySignature(consensus.publicKey, blake2b256(fromHex(hexOf(name))), decodeSignature(s)!.bytes)).toBe(true);
          if (expected === 'signed, same signature') expect(s).toBe(released[released.length - 1]);
          released.push(s);
        }
      }
    });
  }
});

describe('cost targets', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });

  test('a new signature: one read, one KMS call, one write', async () => {
    let reads = 0;
    let writes = 0;
    const read = s.store.read.bind(s.store);
    const advance = s.store.advance.bind(s.store);
    s.store.read = async (k) => (reads++, read(k));
    s.store.advance = async (k, n) => (writes++, advance(k, n));
    expect((await sign(s.signer, hexOf('signatory-integration/C1'))).status).toBe(200);
    expect([reads, s.kms.signCalls, writes]).toEqual([1, 1, 1]);
    // an identical retry: one read, no KMS call, no write
    expect((await sign(s.signer, hexOf('signatory-integration/C1'))).status).toBe(200);
    expect([reads, s.kms.signCalls, writes]).toEqual([2, 1, 1]);
  });

  test('GET /authorized_keys touches neither the keys nor KMS', async () => {
    const { response } = await s.signer.handle(event('GET', '/authorized_keys'));
    expect(JSON.parse(response.body)).toEqual({ authorized_keys: [authorized.publicKey.pkh.encoded] });
    expect(s.keyLoads.count).toBe(0);
  });

  test('refusals before any AWS call: not consensus, no authentication, other chain', async () => {
    const chains = await setup({ chains: ['NetXdQprcVkpaWU'] });
    expect((await sign(chains.signer, hexOf('signatory-integration/C1'))).status).toBe(403);
    expect((await sign(s.signer, '03' + 'ab'.repeat(40))).status).toBe(403);
    expect((await sign(s.signer, hexOf('signatory-integration/C1'), { auth: null })).status).toBe(401);
    expect(s.keyLoads.count + chains.keyLoads.count).toBe(0);
    expect(s.kms.signCalls + chains.kms.signCalls).toBe(0);
  });
});

describe('routes and inputs', () => {
  test.each([
    ['GET', '/keys/' + PKH, 200],
    ['GET', '/prod/keys/' + PKH + '/', 200],
    ['GET', '/keys/tz2NtiAnuguNansExqE3uvcio2EgkrmrrVyS', 404],
    ['GET', '/keys/not-a-pkh', 400],
    ['PUT', '/keys/' + PKH, 405],
    ['POST', '/authorized_keys', 405],
    ['GET', '/known_keys', 200],
    ['DELETE', '/known_keys', 405],
    ['GET', '/', 404],
    ['GET', '/keys', 404],
  ])('%s %s → %i', async (method, path, status) => {
    const { signer } = await setup();
    const { response } = await signer.handle(event(method, path));
    expect(response.statusCode).toBe(status);
    if (status === 200 && path.includes('/keys/')) expect(JSON.parse(response.body)).toEqual({ public_key: crypto.keys.consensus_tz2.public_key });
    if (status >= 400) expect(JSON.parse(response.body)).toEqual([{ kind: 'temporary', id: 'failure', msg: expect.any(String) }]);
  });

  test.each([
    ['invalid JSON', '{"', 400, /not JSON/],
    ['a JSON number', '42', 400, /JSON string/],
    ['odd-length hex', '"abc"', 400, /hex/],
    ['non-hex', '"zz"', 400, /hex/],
    ['0x prefix', '"0x11aa"', 400, /0x/],
    ['empty body', '', 400, /empty body/],
    ['empty string', '""', 400, /empty/],
    ['oversized', JSON.stringify('11'.repeat(3000)), 413, /limit/],
  ])('body: %s → %i', async (_name, body, status, pattern) => {
    const { signer } = await setup();
    const r = await sign(signer, hexOf('signatory-integration/C1'), { body });
    expect(r.status).toBe(status);
    expect(msg(r)).toMatch(pattern);
  });

  test('unknown pkh after authentication: 404; duplicate authentication: 400', async () => {
    const { signer } = await setup();
    const other = generateSecretKey().publicKey.pkh.encoded;
    expect((await sign(signer, hexOf('signatory-integration/C1'), { pkh: other })).status).toBe(404);
    const hex = hexOf('signatory-integration/C1');
    const a = authenticationFor(authorized, parseKeyHash(PKH)!, fromHex(hex));
    const { response } = await signer.handle(event('POST', `/keys/${PKH}`, JSON.stringify(hex), `authentication=${a}&authentication=${a}`));
    expect(response.statusCode).toBe(400);
  });

  test('chain allow-list: the listed chain is signed, another is refused with 403', async () => {
    // C1 is on NetXo5iVw1vBoxM (b3d79f99); signatory-unit/block on NetXxkAx4woPLyu (ed9d217c).
    const { signer } = await setup({ chains: ['NetXdQprcVkpaWU', 'NetXo5iVw1vBoxM'] });
    expect((await sign(signer, hexOf('signatory-integration/C1'))).status).toBe(200);
    const r = await sign(signer, hexOf('signatory-unit/block'));
    expect(r.status).toBe(403);
    expect(msg(r)).toMatch(/chain NetXxkAx4woPLyu is not in this signer's allowed chains/);
  });
});

describe('failures of KMS and DynamoDB: fail closed, nothing released', () => {
  test('KMS throws → 503, no write', async () => {
    const s = await setup();
    s.kms.onSign = () => {
      throw Object.assign(new Error('x'), { name: 'KMSInternalException' });
    };
    const r = await sign(s.signer, hexOf('signatory-integration/C1'));
    expect(r.status).toBe(503);
    expect(msg(r)).toMatch(/KMS Sign failed: KMSInternalException/);
    expect(s.store.items.size).toBe(0);
  });

  test('KMS answers malformed DER, or a signature by another key → 503, no write', async () => {
    for (const bad of [new Uint8Array([0x30, 0x00]), generateSecretKey()]) {
      const s = await setup();
      s.kms.sign = async (_id, message) => {
        if (bad instanceof Uint8Array) return bad;
        const { secp256k1 } = await import('@noble/curves/secp256k1.js');
        return secp256k1.sign(message, bad.secret, { prehash: false, format: 'der' });
      };
      const r = await sign(s.signer, hexOf('signatory-integration/C1'));
      expect(r.status).toBe(503);
      expect(s.store.items.size).toBe(0);
    }
  });

  test('the read fails → 503 and no KMS call', async () => {
    const s = await setup();
    s.store.read = async () => {
      throw new (await import('../../lambda/src/errors.js')).UpstreamFailure('DynamoDB read of the watermark failed: Throttling');
    };
    const r = await sign(s.signer, hexOf('signatory-integration/C1'));
    expect(r.status).toBe(503);
    expect(s.kms.signCalls).toBe(0);
  });

  test('the write fails → 503 and the signature is not in the response', async () => {
    const s = await setup();
    let made: string | undefined;
    s.store.advance = async (_k, next) => {
      made = next.signature;
      throw new (await import('../../lambda/src/errors.js')).UpstreamFailure('DynamoDB write of the watermark failed: TimeoutError; nothing was signed');
    };
    const r = await sign(s.signer, hexOf('signatory-integration/C1'));
    expect(r.status).toBe(503);
    expect(made).toMatch(/^spsig1/);
    expect(JSON.stringify(r.body)).not.toContain(made!);
    expect(JSON.stringify(r.record)).not.toContain(made!);
  });

  test('a lost race with identical bytes returns the STORED signature, not the new one', async () => {
    const s = await setup();
    const hex = hexOf('signatory-integration/C1');
    const first = sig(await sign(s.signer, hex))!;
    // Make the next request believe it read nothing, as if it read before the first write.
    const read = s.store.read.bind(s.store);
    let calls = 0;
    s.store.read = async (k) => (calls++ === 0 ? undefined : read(k));
    const r = await sign(s.signer, hex);
    expect(r.status).toBe(200);
    expect(sig(r)).toBe(first);
    expect(s.kms.signCalls).toBe(2); // a second signature was made, and dropped
    expect(r.record.outcome).toBe('identical_retry');
  });

  test('a lost race with other bytes → 409 stating the watermark', async () => {
    const s = await setup();
    await sign(s.signer, hexOf('signatory-integration/A1'));
    const read = s.store.read.bind(s.store);
    let calls = 0;
    s.store.read = async (k) => (calls++ === 0 ? undefined : read(k));
    const r = await sign(s.signer, hexOf('signatory-integration/A2'));
    expect(r.status).toBe(409);
    expect(msg(r)).toMatch(/level 2 round 0/);
  });

  test('never a stack trace in a body', async () => {
    const s = await setup();
    s.store.read = async () => {
      throw new TypeError('boom at secret place');
    };
    const r = await sign(s.signer, hexOf('signatory-integration/C1'));
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toMatch(/boom|at .*\.ts|stack/);
  });
});

describe('log line', () => {
  test('states the outcome and position, never the authentication signature', async () => {
    const { signer } = await setup();
    const hex = hexOf('signatory-integration/C3');
    const auth = authenticationFor(authorized, parseKeyHash(PKH)!, fromHex(hex));
    const { record } = await signer.handle(event('POST', `/keys/${PKH}`, JSON.stringify(hex), `authentication=${auth}`));
    const line = JSON.stringify(logLine(record, 'TezosSigner', 'fn', 0));
    expect(line).not.toContain(auth);
    expect(line).not.toContain(auth.slice(10, 40));
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(parsed).toMatchObject({ outcome: 'signed', kind: 'attestation', opLevel: 34, opRound: 4, authorizedKey: authorized.publicKey.pkh.encoded, Signatures: 1 });
    expect(toHex(blake2b256(fromHex(hex)))).toHaveLength(64);
  });
});

describe('tz3 blocks', () => {
  test('a tz3 (P-256) key never signs a block, but signs (pre)attestations', async () => {
    const p256Key = secretKeyFromBytes('p256', fromHex(crypto.keys.consensus_tz3.secret_hex));
    const kms = new FakeKms(new Map([['key-3', p256Key]]));
    const signer = new Signer({
      authorizedKeys: [authorized.publicKey],
      allowedChainIds: undefined,
      keys: async () => new Map((await loadConsensusKeys(kms, ['key-3'])).map((k) => [k.publicKey.pkh.encoded, k])),
      kms,
      store: new FakeStore(),
    });
    const block = await sign(signer, hexOf('signatory-integration/C1'), { pkh: crypto.keys.consensus_tz3.pkh });
    expect(block.status).toBe(403);
    expect(msg(block)).toMatch(/tz3 \(P-256\).*double baking/);
    expect(kms.signCalls).toBe(0);
    const attestation = await sign(signer, hexOf('signatory-integration/C3'), { pkh: crypto.keys.consensus_tz3.pkh });
    expect(attestation.status).toBe(200);
    expect(sig(attestation)).toMatch(/^p2sig/);
  });
});
