// The remote-signer service (lambda/src/signer.ts) with KMS and the watermark table in memory: every
// route and method, body errors, authentication before key lookup, the chain allow-list, the cost
// targets (AWS calls per request), and every failure of an AWS call, failing closed.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../lambda/src/bytes.js';
import { UpstreamFailure } from '../../lambda/src/errors.js';
import { MAX_BODY_BYTES, readPayload } from '../../lambda/src/signer.js';
import { SELF_TEST_CHAIN_ID, selfTestPayload } from '../../lambda/src/self-test.js';
import { encodeChainId } from '../../lambda/src/base58.js';
import { payloadHex } from '../support/payloads.js';
import { decodeSignature, isHighS, verifySignature } from '../../lambda/src/signature.js';
import {
  AUTHORIZED_TZ2,
  CONSENSUS_TZ2,
  CONSENSUS_TZ3,
  CRYPTO,
  authenticationFor,
  blake256,
  der,
  encodedPkh,
  expectCleanError,
  handle,
  httpRequest,
  post,
  publicKeyOf,
  MemoryStore,
  rig,
  type Rig,
  testKey,
  vectorHex,
} from './helpers.js';

const PKH = CRYPTO.keys.consensus_tz2.pkh;
const C1 = vectorHex('signatory-integration/C1'); // block, level 34 round 4, NetXo5iVw1vBoxM
const C3 = vectorHex('signatory-integration/C3');

describe('routes and methods', () => {
  test('GET /authorized_keys: the pkhs of the authorized keys, with no key load, KMS or table call', async () => {
    const other = testKey('ed25519');
    const r = rig({ authorized: [AUTHORIZED_TZ2, other] });
    const a = await handle(r.signer, httpRequest('GET', '/authorized_keys'));
    expect(a.status).toBe(200);
    expect(a.body).toEqual({ authorized_keys: [CRYPTO.keys.authorized_tz2.pkh, encodedPkh(other)] });
    expect(a.record).toMatchObject({ route: 'authorized_keys', outcome: 'served', status: 200 });
    expect(r.keyLoads.count).toBe(0);
    expect(r.kms.getPublicKeyCalls + r.kms.signCalls.length).toBe(0);
    expect(r.store.reads + r.store.advances).toBe(0);
  });

  test('GET /keys/<pkh>: the public key', async () => {
    const r = rig({ keys: { a: CONSENSUS_TZ2, b: CONSENSUS_TZ3 } });
    for (const k of ['consensus_tz2', 'consensus_tz3'] as const) {
      const a = await handle(r.signer, httpRequest('GET', `/keys/${CRYPTO.keys[k].pkh}`));
      expect(a.status).toBe(200);
      expect(a.body).toEqual({ public_key: CRYPTO.keys[k].public_key });
    }
    expect(r.kms.getPublicKeyCalls).toBe(2); // loaded once for both keys
    const known = await handle(r.signer, httpRequest('GET', '/known_keys'));
    expect(known.status).toBe(200);
    expect((known.body as { known_keys: string[] }).known_keys.sort()).toEqual([CRYPTO.keys.consensus_tz2.pkh, CRYPTO.keys.consensus_tz3.pkh].sort());
  });

  test.each([
    ['GET', `/keys/${PKH}`, 200],
    ['get', `/keys/${PKH}`, 200],
    ['GET', `/prod/keys/${PKH}`, 200],
    ['GET', `/keys/${PKH}/`, 200],
    ['GET', `/authorized_keys/`, 200],
    ['GET', `/prod/authorized_keys`, 200],
    ['GET', `/keys/${CRYPTO.keys.authorized_tz2.pkh}`, 404],
    ['GET', '/keys/not-a-pkh', 400],
    ['GET', '/keys/tz4AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 400],
    ['POST', '/keys/not-a-pkh', 400],
    ['PUT', `/keys/${PKH}`, 405],
    ['DELETE', `/keys/${PKH}`, 405],
    ['PATCH', `/keys/${PKH}`, 405],
    ['HEAD', `/keys/${PKH}`, 405],
    ['POST', '/authorized_keys', 405],
    ['PUT', '/authorized_keys', 405],
    ['DELETE', '/known_keys', 405],
    ['POST', '/known_keys', 405],
    ['GET', '/', 404],
    ['GET', '', 404],
    ['GET', '/keys', 404],
    ['GET', '/keys/', 404],
    ['POST', '/sign', 404],
    ['GET', `/keys/${PKH}/extra`, 404],
  ])('%s %s → %i', async (method, path, status) => {
    const r = rig();
    const a = await handle(r.signer, httpRequest(method, path));
    expect(a.status).toBe(status);
    if (status >= 400) {
      expectCleanError(a);
      expect(a.record.outcome).toBe('refused');
    }
    expect(r.kms.signCalls).toHaveLength(0);
  });
});

describe('bodies', () => {
  test.each([
    ['invalid JSON', '{"', 400, /not JSON/],
    ['JSON with trailing garbage', `"${C1}"x`, 400, /not JSON/],
    ['a JSON number', '42', 400, /JSON string/],
    ['a JSON object', `{"payload":"${C1}"}`, 400, /JSON string/],
    ['a JSON array', `["${C1}"]`, 400, /JSON string/],
    ['JSON null', 'null', 400, /JSON string/],
    ['bare hex, not JSON', C1, 400, /not JSON/],
    ['odd-length hex', JSON.stringify(C1 + '1'), 400, /hex/],
    ['non-hex', JSON.stringify(C1.slice(0, -2) + 'zz'), 400, /hex/],
    ['hex with a space', JSON.stringify(C1.slice(0, 10) + ' ' + C1.slice(10)), 400, /hex/],
    ['0x prefix', JSON.stringify('0x' + C1), 400, /0x/],
    ['0X prefix', JSON.stringify('0X' + C1), 400, /0x/],
    ['empty body', '', 400, /empty body/],
    ['whitespace body', '  \n', 400, /empty body/],
    ['empty string', '""', 400, /empty/],
    ['oversized', JSON.stringify('11'.repeat(3000)), 413, /limit is 4096/],
  ])('%s → %i', async (_name, body, status, pattern) => {
    const r = rig();
    const a = await post(r, C1, { body });
    expect(a.status).toBe(status);
    expect(a.message).toMatch(pattern);
    expectCleanError(a);
    expect(r.store.reads + r.kms.signCalls.length + r.keyLoads.count).toBe(0);
  });

  test('a body at the limit is read; one byte more is 413 before any parsing', () => {
    const at = (body: string) => httpRequest('POST', `/keys/${PKH}`, { body });
    const exact = JSON.stringify('11'.repeat((MAX_BODY_BYTES - 2) / 2));
    expect(exact.length).toBe(MAX_BODY_BYTES);
    expect(readPayload(at(exact)).length).toBe((MAX_BODY_BYTES - 2) / 2);
    expect(() => readPayload(at(exact + ' '))).toThrow(/413|limit/);
    expect(() => readPayload(at('x'.repeat(MAX_BODY_BYTES + 1)))).toThrow(/limit/);
  });

  test('upper-case hex and JSON whitespace are accepted, and sign the same bytes', async () => {
    const r = rig();
    const upper = await post(r, C1, { body: ` ${JSON.stringify(C1.toUpperCase())}\n` });
    expect(upper.status).toBe(200);
    const again = await post(r, C1);
    expect(again.signature).toBe(upper.signature);
    expect(again.record.outcome).toBe('identical_retry');
  });
});

describe('authentication comes first', () => {
  test('an unknown pkh is 404 only after authentication; before it, 401 or 403 and no key load', async () => {
    const r = rig();
    const unknown = encodedPkh(testKey('secp256k1'));
    const none = await post(r, C1, { pkh: unknown, auth: null });
    expect(none.status).toBe(401);
    const wrong = await post(r, C1, { pkh: unknown, auth: CRYPTO.authentication.for_consensus_tz2.authentication });
    expect(wrong.status).toBe(403);
    expect(r.keyLoads.count).toBe(0);
    const ok = await post(r, C1, { pkh: unknown });
    expect(ok.status).toBe(404);
    expect(ok.message).toContain(unknown);
    expect(ok.record.reason).toBe('unknown_key');
    expect(r.store.reads + r.kms.signCalls.length).toBe(0);
  });

  test('an invalid pkh is 400 before anything', async () => {
    const r = rig();
    for (const pkh of ['tz2', 'tz2G2zHYNUmZXJucFXikkPqSrBYaAffTQK4V', 'KT1PWx2mnDueood7fEmfbBDKx1D9BAnnXitn', CRYPTO.keys.consensus_tz2.public_key]) {
      const a = await post(r, C1, { pkh, auth: null });
      expect(a.status, pkh).toBe(400);
      expect(a.message).toMatch(/not a tz1, tz2 or tz3 address/);
    }
  });

  test('authentication given twice is 400, even when both are valid', async () => {
    const r = rig();
    const auth = authenticationFor(AUTHORIZED_TZ2, PKH, fromHex(C1));
    const a = await handle(r.signer, httpRequest('POST', `/keys/${PKH}`, { body: JSON.stringify(C1), query: `authentication=${auth}&authentication=${auth}` }));
    expect(a.status).toBe(400);
    expect(a.message).toMatch(/more than once/);
    expect(r.kms.signCalls).toHaveLength(0);
  });

  test('missing (401), unreadable (400), refused (403): no AWS call', async () => {
    const r = rig();
    expect((await post(r, C1, { auth: null })).status).toBe(401);
    expect((await post(r, C1, { auth: 'not0base58' })).status).toBe(400);
    expect((await post(r, C1, { auth: CRYPTO.authentication.for_consensus_tz2.authentication })).status).toBe(403); // for C3, not C1
    expect((await post(r, C3, { auth: CRYPTO.authentication.for_consensus_tz2.high_s_twin_must_fail })).status).toBe(403);
    expect(r.keyLoads.count + r.store.reads + r.kms.signCalls.length).toBe(0);
    // the vector itself is accepted
    expect((await post(r, C3, { auth: CRYPTO.authentication.for_consensus_tz2.authentication })).status).toBe(200);
  });

  test('the record names the authorized key that signed the request', async () => {
    const k = testKey('p256');
    const r = rig({ authorized: [AUTHORIZED_TZ2, k] });
    const a = await post(r, C3, { auth: authenticationFor(k, PKH, fromHex(C3)) });
    expect(a.status).toBe(200);
    expect(a.record.authorizedKey).toBe(encodedPkh(k));
  });
});

describe('policy', () => {
  test('non-consensus bytes are refused (403) after authentication, with no AWS call', async () => {
    const r = rig();
    for (const hex of ['03' + 'ab'.repeat(60), '05' + '0100000003616263', '01' + C1.slice(2)]) {
      const a = await post(r, hex);
      expect(a.status).toBe(403);
      expect(a.record.reason).toBe('policy');
      expect(a.message).toMatch(/not a consensus operation/);
    }
    expect(r.keyLoads.count + r.store.reads + r.kms.signCalls.length).toBe(0);
  });

  test('malformed consensus bytes are 400 with no AWS call', async () => {
    const r = rig();
    expect((await post(r, C1.slice(0, -2))).status).toBe(400);
    expect((await post(r, C3 + '00')).status).toBe(400);
    expect(r.store.reads + r.kms.signCalls.length).toBe(0);
  });

  test('chain allow-list: a listed chain is signed; another is 403 naming it, with no AWS call', async () => {
    const r = rig({ chains: ['NetXdQprcVkpaWU', 'NetXo5iVw1vBoxM'] });
    expect((await post(r, C1)).status).toBe(200);
    const reads = r.store.reads;
    const a = await post(r, vectorHex('signatory-unit/block')); // NetXxkAx4woPLyu
    expect(a.status).toBe(403);
    expect(a.message).toBe("refused: chain NetXxkAx4woPLyu is not in this signer's allowed chains");
    expect(a.record).toMatchObject({ reason: 'policy', chainId: 'NetXxkAx4woPLyu' });
    expect(r.store.reads).toBe(reads);
    expect(r.kms.signCalls).toHaveLength(1);
    const mainnetOnly = rig({ chains: ['NetXdQprcVkpaWU'] });
    for (const hex of [C1, C3, vectorHex('signatory-integration/C2')]) expect((await post(mainnetOnly, hex)).status).toBe(403);
    expect(mainnetOnly.kms.signCalls).toHaveLength(0);
  });

  test('the self-test position (check): passes the allow-list, signs through KMS and its own watermark item, never a baker item', async () => {
    const r = rig({ chains: ['NetXdQprcVkpaWU'] });
    const round = 1_780_000_000;
    const a = await post(r, toHex(selfTestPayload(round)));
    expect(a.status).toBe(200);
    expect(a.record).toMatchObject({ outcome: 'signed', selfTest: true, kind: 'attestation', opLevel: 0, opRound: round });
    expect(r.kms.signCalls).toHaveLength(1);
    expect([...r.store.items.keys()]).toEqual([`${PKH}#${encodeChainId(SELF_TEST_CHAIN_ID)}#attestation`]);
    const digest = blake256(selfTestPayload(round));
    expect(verifySignature(publicKeyOf(CONSENSUS_TZ2), digest, decodeSignature(a.signature!)!.bytes)).toBe(true);
    // The next check, a second later, is a new signature: a real KMS Sign and conditional write each time.
    expect((await post(r, toHex(selfTestPayload(round + 1)))).status).toBe(200);
    expect(r.kms.signCalls).toHaveLength(2);
    // The same round again is the watermark's to judge, as for any position.
    expect((await post(r, toHex(selfTestPayload(round)))).status).toBe(409);
  });

  test('only the self-test position passes the allow-list on chain 0x00000000: any other level, kind or tag is refused', async () => {
    const r = rig({ chains: ['NetXdQprcVkpaWU'] });
    const zero = encodeChainId(SELF_TEST_CHAIN_ID);
    const levelOne = selfTestPayload(5);
    levelOne.set([0, 0, 0, 1], 40);
    const preattestation = selfTestPayload(5);
    preattestation[0] = 0x12;
    preattestation[37] = 20;
    const withDal = new Uint8Array(81);
    withDal.set(selfTestPayload(5));
    withDal[37] = 23; // attestation with DAL, bitset 0x01
    withDal[80] = 0x01;
    for (const payload of [levelOne, preattestation, withDal, fromHex(payloadHex({ kind: 'block', chainId: SELF_TEST_CHAIN_ID, level: 0, round: 1 }))]) {
      const a = await post(r, toHex(payload));
      expect(a.status, toHex(payload.subarray(0, 48))).toBe(403);
      expect(a.message).toBe(`refused: chain ${zero} is not in this signer's allowed chains`);
      expect(a.record.selfTest).toBeUndefined();
    }
    expect(r.kms.signCalls).toHaveLength(0);
  });

  test('a tz3 (P-256) key never signs a block, but signs (pre)attestations', async () => {
    const r = rig({ keys: { p: CONSENSUS_TZ3 } });
    const tz3 = CRYPTO.keys.consensus_tz3.pkh;
    const block = await post(r, C1, { pkh: tz3 });
    expect(block.status).toBe(403);
    expect(block.message).toMatch(/tz3 \(P-256\).*double baking/);
    expect(r.kms.signCalls).toHaveLength(0);
    const att = await post(r, C3, { pkh: tz3 });
    expect(att.status).toBe(200);
    expect(att.signature).toMatch(/^p2sig/);
    expect(isHighS('p256', decodeSignature(att.signature!)!.bytes)).toBe(false);
  });
});

describe('signing', () => {
  test('tz2: every signature verifies and is low-S, although KMS answers high-S every other time', async () => {
    const r = rig();
    const key = publicKeyOf(CONSENSUS_TZ2);
    const answered: boolean[] = [];
    r.kms.answer = (_call, honest) => {
      const d = honest();
      answered.push(secp256k1.Signature.fromBytes(d, 'der').hasHighS());
      return d;
    };
    for (let level = 35; level < 45; level++) {
      const bytes = fromHex(C3);
      new DataView(bytes.buffer).setInt32(40, level);
      const a = await post(r, toHex(bytes));
      expect(a.status).toBe(200);
      const sig = decodeSignature(a.signature!)!;
      expect(sig.curve).toBe('secp256k1');
      expect(isHighS('secp256k1', sig.bytes)).toBe(false);
      expect(verifySignature(key, blake256(bytes), sig.bytes)).toBe(true);
    }
    expect(answered.filter(Boolean)).toHaveLength(5);
  });

  test('tz1 (Ed25519) consensus key: edsig over the digest, KMS asked for Ed25519', async () => {
    const ed = testKey('ed25519');
    const r = rig({ keys: { ed } });
    const pkh = encodedPkh(ed);
    const a = await post(r, C1, { pkh });
    expect(a.status).toBe(200);
    expect(a.signature).toMatch(/^edsig/);
    expect(verifySignature(publicKeyOf(ed), blake256(fromHex(C1)), decodeSignature(a.signature!)!.bytes)).toBe(true);
    expect(r.kms.signCalls[0]).toMatchObject({ keyId: 'ed', ed25519: true });
    expect(toHex(r.kms.signCalls[0]!.message)).toBe(toHex(blake256(fromHex(C1))));
  });

  test('KMS is asked for the blake2b-256 digest of the payload, by the key of the pkh', async () => {
    const r = rig({ keys: { one: CONSENSUS_TZ2, three: CONSENSUS_TZ3 } });
    await post(r, C3);
    await post(r, C3, { pkh: CRYPTO.keys.consensus_tz3.pkh });
    expect(r.kms.signCalls.map((c) => [c.keyId, toHex(c.message), c.ed25519])).toEqual([
      ['one', CRYPTO.payload_blake2b_256, false],
      ['three', CRYPTO.payload_blake2b_256, false],
    ]);
  });

  test('the response: JSON with the signature, no-store', async () => {
    const r = rig();
    const { response } = await r.signer.handle(
      httpRequest('POST', `/keys/${PKH}`, { body: JSON.stringify(C3), query: `authentication=${CRYPTO.authentication.for_consensus_tz2.authentication}` }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers).toEqual({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(Object.keys(JSON.parse(response.body) as object)).toEqual(['signature']);
  });
});

describe('cost targets', () => {
  test('a new signature: 1 read, 1 KMS Sign, 1 write; an identical retry: 1 read, no KMS, no write', async () => {
    const r = rig();
    await handle(r.signer, httpRequest('GET', `/keys/${PKH}`)); // keys loaded (cold start)
    const publicKeys = r.kms.getPublicKeyCalls;
    const first = await post(r, C1);
    expect(first.status).toBe(200);
    expect([r.store.reads, r.kms.signCalls.length, r.store.advances]).toEqual([1, 1, 1]);
    const retry = await post(r, C1);
    expect(retry.signature).toBe(first.signature);
    expect([r.store.reads, r.kms.signCalls.length, r.store.advances]).toEqual([2, 1, 1]);
    expect(r.kms.getPublicKeyCalls).toBe(publicKeys);
    expect(retry.record.outcome).toBe('identical_retry');
    expect(first.record.kmsMs).toBeGreaterThanOrEqual(0);
    expect(retry.record.kmsMs).toBeUndefined();
  });

  test('a burst on a fresh instance shares one early KMS Sign per item: 20 identical payloads, one KMS call', async () => {
    const r = rig();
    await handle(r.signer, httpRequest('GET', `/keys/${PKH}`)); // keys loaded
    const same = await Promise.all(Array.from({ length: 20 }, () => post(r, C1)));
    expect(same.every((a) => a.status === 200 && a.signature === same[0]!.signature)).toBe(true);
    expect(r.kms.signCalls).toHaveLength(1);
    expect(same.filter((a) => a.record.kmsWasted === true)).toHaveLength(0);
  });

  test('a watermark refusal: 1 read, nothing else', async () => {
    const r = rig();
    await post(r, vectorHex('signatory-integration/A1'));
    const a = await post(r, vectorHex('signatory-integration/A2'));
    expect(a.status).toBe(409);
    expect([r.store.reads, r.kms.signCalls.length, r.store.advances]).toEqual([2, 1, 1]);
  });

  test('GET /authorized_keys makes no keys() and no KMS call, however often', async () => {
    const r = rig();
    for (let i = 0; i < 5; i++) expect((await handle(r.signer, httpRequest('GET', '/authorized_keys'))).status).toBe(200);
    expect(r.keyLoads.count).toBe(0);
    expect(r.kms.getPublicKeyCalls + r.kms.signCalls.length).toBe(0);
  });
});

describe('failures of KMS and DynamoDB: fail closed, nothing released', () => {
  test('KMS throws → 503, no write', async () => {
    const r = rig();
    r.kms.answer = () => {
      throw Object.assign(new Error('internal'), { name: 'KMSInternalException' });
    };
    const a = await post(r, C1);
    expect(a.status).toBe(503);
    expect(a.message).toMatch(/KMS Sign failed: KMSInternalException/);
    expect(r.store.advances).toBe(0);
    expect(r.store.items.size).toBe(0);
    expectCleanError(a);
  });

  test.each([
    ['a truncated DER', () => Uint8Array.of(0x30, 0x00)],
    ['DER with r = 0', () => der(0n, 5n)],
    ['an empty answer', () => new Uint8Array()],
    ['the compact form instead of DER', () => secp256k1.sign(blake256(fromHex(C1)), CONSENSUS_TZ2.secret, { prehash: false })],
    ['a signature by another key', () => secp256k1.sign(blake256(fromHex(C1)), testKey('secp256k1').secret, { prehash: false, format: 'der' })],
    ['a signature of another digest', () => secp256k1.sign(blake256(Uint8Array.of(1)), CONSENSUS_TZ2.secret, { prehash: false, format: 'der' })],
  ])('KMS answers %s → 503, no write', async (_name, answer) => {
    const r = rig();
    r.kms.answer = () => answer() as Uint8Array;
    const a = await post(r, C1);
    expect(a.status).toBe(503);
    expect(a.signature).toBeUndefined();
    expect(r.store.advances).toBe(0);
    expect(r.store.items.size).toBe(0);
    expectCleanError(a);
  });

  test('the key load fails → 503, retried on the next request', async () => {
    const r = rig({ keys: { missing: CONSENSUS_TZ2 } });
    const getPublicKey = r.kms.getPublicKey.bind(r.kms);
    let fail = true;
    r.kms.getPublicKey = async (id) => {
      if (fail) throw Object.assign(new Error('x'), { name: 'DependencyTimeoutException' });
      return getPublicKey(id);
    };
    const a = await post(r, C1);
    expect(a.status).toBe(503);
    expect(a.message).toMatch(/GetPublicKey for missing failed: DependencyTimeoutException/);
    expect(r.kms.signCalls).toHaveLength(0);
    expect(r.store.reads).toBe(0);
    fail = false;
    expect((await post(r, C1)).status).toBe(200);
  });

  test('store.read throws → 503, the KMS signature started alongside is dropped and counted as wasted', async () => {
    const r = rig();
    r.store.read = async () => {
      throw new UpstreamFailure('DynamoDB read of the watermark failed: ProvisionedThroughputExceededException');
    };
    let made: string | undefined;
    r.kms.answer = (_call, honest) => {
      const der = honest();
      made = toHex(der);
      return der;
    };
    const a = await post(r, C1);
    expect(a.status).toBe(503);
    expect(a.message).toMatch(/DynamoDB read/);
    expect(r.kms.signCalls).toHaveLength(1);
    expect(r.store.advances).toBe(0);
    expect(a.record.kmsWasted).toBe(true);
    expect(made).toBeDefined();
    expectCleanError(a);
  });

  test('advance throws → 503 and the signature made is in neither the response nor the record', async () => {
    const r = rig();
    let made: string | undefined;
    r.store.advance = async (_key, next) => {
      made = next.signature;
      throw new UpstreamFailure('DynamoDB write of the watermark failed: TimeoutError; nothing was signed');
    };
    const a = await post(r, C1);
    expect(a.status).toBe(503);
    expect(made).toMatch(/^spsig1/);
    expect(a.raw).not.toContain(made!);
    expect(JSON.stringify(a.record)).not.toContain(made!);
    expect(a.raw).not.toContain(made!.slice(10, 40));
    expectCleanError(a);
  });

  test('advance throws something unexpected → 500 "internal error", no signature, no stack', async () => {
    const r = rig();
    let made = '';
    r.store.advance = async (_key, next) => {
      made = next.signature;
      throw new TypeError(`cannot write ${next.signature}`);
    };
    const a = await post(r, C1);
    expect(a.status).toBe(500);
    expect(a.message).toBe('internal error');
    expect(a.raw).not.toContain(made);
    expect(JSON.stringify(a.record)).not.toContain(made);
    expect(a.record.message).toBe('unexpected: TypeError');
    expectCleanError(a);
  });

  test('advance false, the re-read shows the same digest → the STORED signature, not the new one', async () => {
    const r = rig();
    const first = await post(r, C1);
    expect(first.status).toBe(200);
    const stored = first.signature!;
    // the next request reads nothing, as if it had read before the first write
    const read = r.store.read.bind(r.store);
    let calls = 0;
    r.store.read = async (k) => (calls++ === 0 ? undefined : read(k));
    let fresh: string | undefined;
    const advance = r.store.advance.bind(r.store);
    r.store.advance = async (k, next, scope) => {
      fresh = next.signature;
      return advance(k, next, scope);
    };
    const a = await post(r, C1);
    expect(a.status).toBe(200);
    expect(fresh).toMatch(/^spsig1/);
    expect(fresh).not.toBe(stored); // KMS made a second, different signature ...
    expect(a.signature).toBe(stored); // ... which was dropped
    expect(a.raw).not.toContain(fresh!);
    expect(r.kms.signCalls).toHaveLength(2);
    expect(calls).toBe(2);
    expect(a.record.outcome).toBe('identical_retry');
  });

  test('advance false, the re-read shows another digest → 409 stating the stored position', async () => {
    const r = rig();
    await post(r, vectorHex('signatory-integration/A1'));
    const read = r.store.read.bind(r.store);
    let calls = 0;
    r.store.read = async (k) => (calls++ === 0 ? undefined : read(k));
    const a = await post(r, vectorHex('signatory-integration/A2'));
    expect(a.status).toBe(409);
    expect(a.message).toContain('level 2 round 0');
    expect(a.signature).toBeUndefined();
    expect(a.record.reason).toBe('watermark');
  });

  test('advance false, the re-read shows a higher position → 409', async () => {
    const r = rig();
    await post(r, C1); // level 34
    const read = r.store.read.bind(r.store);
    let calls = 0;
    r.store.read = async (k) => (calls++ === 0 ? undefined : read(k));
    const a = await post(r, vectorHex('signatory-integration/B1'));
    expect(a.status).toBe(409);
    expect(a.message).toContain('watermark at level 34 round 4');
  });

  test('advance false, the re-read shows nothing or a lower position → 503, nothing released', async () => {
    for (const answer of [undefined, { level: 1, round: 0, digest: '00', signature: 'spsig1x' }]) {
      const r = rig();
      r.store.read = async () => answer;
      r.store.advance = async () => false;
      const a = await post(r, C1);
      expect(a.status).toBe(503);
      expect(a.signature).toBeUndefined();
      expectCleanError(a);
    }
  });

  test('a TypeError anywhere → 500 without its message or a stack', async () => {
    const r = rig();
    r.store.read = async () => {
      throw new TypeError('boom at /var/task/secret.ts:12');
    };
    const a = await post(r, C1);
    expect(a.status).toBe(500);
    expect(a.raw).not.toMatch(/boom|secret|stack/);
    expectCleanError(a);
    expect(a.record.outcome).toBe('error');
  });
});

describe('two sequential round trips: KMS Sign alongside the watermark read', () => {
  /** A store whose reads wait until released, to observe what happens while a read is in flight. */
  function gatedReads(r: Rig) {
    const read = r.store.read.bind(r.store);
    const gates: (() => void)[] = [];
    r.store.read = (k) => new Promise((ok) => gates.push(() => ok(read(k))));
    return { open: () => gates.splice(0).forEach((g) => g()), pending: () => gates.length };
  }
  const tick = () => new Promise((ok) => setTimeout(ok, 0));

  test('a new signature: Sign is called while the read is in flight; nothing is written or released before the read answers', async () => {
    const r = rig();
    await handle(r.signer, httpRequest('GET', `/keys/${PKH}`)); // keys loaded (cold start)
    const gate = gatedReads(r);
    let settled = false;
    const answer = post(r, C1).then((a) => ((settled = true), a));
    for (let i = 0; i < 20 && gate.pending() === 0; i++) await tick();
    for (let i = 0; i < 20 && r.kms.signCalls.length === 0; i++) await tick();
    expect(gate.pending()).toBe(1);
    expect(r.kms.signCalls).toHaveLength(1); // the old order called KMS only after the read
    expect(r.store.advances).toBe(0);
    expect(settled).toBe(false);
    gate.open();
    const a = await answer;
    expect(a.status).toBe(200);
    expect(a.signature).toBe(r.store.items.values().next().value!.signature);
    expect([r.store.reads, r.kms.signCalls.length, r.store.advances]).toEqual([1, 1, 1]);
    expect(a.record.kmsWasted).toBeUndefined();
  });

  test('Sign answers before the read: the signature still waits for the read and the conditional write', async () => {
    const r = rig();
    const advance = r.store.advance.bind(r.store);
    const order: string[] = [];
    const read = r.store.read.bind(r.store);
    r.store.read = async (k) => {
      await new Promise((ok) => setTimeout(ok, 20));
      order.push('read');
      return read(k);
    };
    r.kms.answer = (_call, honest) => (order.push('sign'), honest());
    r.store.advance = async (k, next, scope) => (order.push('write'), advance(k, next, scope));
    const a = await post(r, C1);
    expect(a.status).toBe(200);
    expect(order).toEqual(['sign', 'read', 'write']);
  });

  test('another instance already recorded the same payload: the stored signature, the early Sign wasted', async () => {
    const store = new MemoryStore();
    const one = rig({ store });
    const first = await post(one, C1);
    expect(first.status).toBe(200);
    const other = rig({ store }); // a second Lambda instance: it has not seen this watermark
    const retry = await post(other, C1);
    expect(retry.status).toBe(200);
    expect(retry.signature).toBe(first.signature);
    expect(other.kms.signCalls).toHaveLength(1);
    expect(store.advances).toBe(1);
    expect(retry.record).toMatchObject({ outcome: 'identical_retry', kmsWasted: true });
    // the instance has now seen the watermark: a further retry makes no KMS call
    const again = await post(other, C1);
    expect(again.signature).toBe(first.signature);
    expect(other.kms.signCalls).toHaveLength(1);
    expect(again.record.kmsWasted).toBeUndefined();
  });

  test('another instance signed other bytes there: 409 with the stored watermark, the early Sign wasted, its failure ignored', async () => {
    const store = new MemoryStore();
    await post(rig({ store }), vectorHex('signatory-integration/A1'));
    const other = rig({ store });
    other.kms.answer = () => {
      throw Object.assign(new Error('x'), { name: 'KMSInternalException' });
    };
    const a = await post(other, vectorHex('signatory-integration/A2'));
    expect(a.status).toBe(409); // the refusal, not the KMS failure
    expect(a.message).toContain('level 2 round 0');
    expect(a.record).toMatchObject({ reason: 'watermark', kmsWasted: true });
    expect(other.kms.signCalls).toHaveLength(1);
    expect(store.advances).toBe(1);
  });

  test('the read says sign, the early Sign failed: 503 naming KMS, nothing written', async () => {
    const r = rig();
    r.kms.answer = () => {
      throw Object.assign(new Error('x'), { name: 'ThrottlingException' });
    };
    const a = await post(r, C1);
    expect(a.status).toBe(503);
    expect(a.message).toMatch(/KMS Sign failed: ThrottlingException/);
    expect(r.store.advances).toBe(0);
  });

  test('both fail: 503 naming the read, no unhandled rejection from the Sign', async () => {
    const r = rig();
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      r.kms.answer = () => {
        throw Object.assign(new Error('x'), { name: 'KMSInternalException' });
      };
      r.store.read = async () => {
        throw new UpstreamFailure('DynamoDB read of the watermark failed: InternalServerError');
      };
      const a = await post(r, C1);
      expect(a.status).toBe(503);
      expect(a.message).toMatch(/DynamoDB read/);
      await new Promise((ok) => setTimeout(ok, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('the instance\'s hint is only a hint: a watermark removed from the table is read as absent and signed', async () => {
    const r = rig();
    await post(r, C1);
    r.store.items.clear(); // an operator deleted the item
    const a = await post(r, C1);
    expect(a.status).toBe(200); // signed again at the same position: the table, not the hint, decides
    expect(r.kms.signCalls).toHaveLength(2);
  });
});
