// Signatures (lambda/src/signature.ts): KMS DER to the 64-byte low-S Tezos form, the base58 forms, and
// verification as Tezos does it (secp256k1 refuses high-S, P-256 accepts both, Ed25519 strict).
import fc from 'fast-check';
import { p256 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, test } from 'vitest';
import { PREFIX, b58encode } from '../../lambda/src/base58.js';
import { bigIntToBytes, concatBytes, fromHex, toHex } from '../../lambda/src/bytes.js';
import { blake2b256 } from '../../lambda/src/hash.js';
import { parsePublicKey, publicKeyFromBytes } from '../../lambda/src/keys.js';
import {
  MalformedSignatureError,
  decodeSignature,
  derToCompactLowS,
  encodeSignature,
  isHighS,
  prepareVerification,
  hasTable,
  TABLE_AFTER,
  verifySignature,
} from '../../lambda/src/signature.js';
import { CONSENSUS_TZ2, CONSENSUS_TZ3, CRYPTO, N, b58, big, blake256, der, derInteger, derSequence, publicKeyOf, signDigestWith, testKey, vector } from './helpers.js';

const { keys, consensus_signatures: sigs } = CRYPTO;
const digest = fromHex(CRYPTO.payload_blake2b_256);
const tz2 = parsePublicKey(keys.consensus_tz2.public_key);
const tz3 = parsePublicKey(keys.consensus_tz3.public_key);
const hex32 = (v: bigint) => v.toString(16).padStart(64, '0');

describe('the payload digest', () => {
  test('blake2b-256 of signatory-integration/C3, as crypto.json says', () => {
    expect(toHex(blake2b256(vector('signatory-integration/C3')))).toBe(CRYPTO.payload_blake2b_256);
    expect(toHex(blake2b256(vector('signatory-integration/C3')))).toBe(toHex(blake256(vector('signatory-integration/C3'))));
  });
});

describe('KMS DER → compact low-S', () => {
  test.each([
    ['tz2', 'secp256k1', tz2],
    ['tz3', 'p256', tz3],
  ] as const)('%s: the vector DER gives exactly the expected signature, which verifies', (name, curve, key) => {
    const compact = derToCompactLowS(curve, fromHex(sigs[name].kms_der_hex));
    expect(compact.length).toBe(64);
    expect(encodeSignature(curve, compact)).toBe(sigs[name].signature);
    expect(isHighS(curve, compact)).toBe(false);
    expect(verifySignature(key, digest, compact)).toBe(true);
  });

  test.each([
    ['tz2', 'secp256k1'],
    ['tz3', 'p256'],
  ] as const)('%s: the DER of the high-S twin gives the same low-S signature', (name, curve) => {
    const low = decodeSignature(sigs[name].signature)!.bytes;
    const r = big(low.subarray(0, 32));
    const s = big(low.subarray(32));
    const highDer = der(r, N[curve] - s);
    expect(isHighS(curve, concatBytes(low.subarray(0, 32), bigIntToBytes(N[curve] - s, 32)))).toBe(true);
    expect(encodeSignature(curve, derToCompactLowS(curve, highDer))).toBe(sigs[name].signature);
  });

  test('the high-S twin of the vector is the one crypto.json names, and it is never emitted', () => {
    const twin = decodeSignature(sigs.tz2.high_s_twin_must_not_be_emitted)!;
    const low = decodeSignature(sigs.tz2.signature)!;
    expect(twin.curve).toBe('secp256k1');
    expect(toHex(twin.bytes.subarray(0, 32))).toBe(toHex(low.bytes.subarray(0, 32)));
    expect(big(twin.bytes.subarray(32))).toBe(N.secp256k1 - big(low.bytes.subarray(32)));
    expect(isHighS('secp256k1', twin.bytes)).toBe(true);
    // what the signer would emit for the twin's DER is the low-S form
    const emitted = encodeSignature('secp256k1', derToCompactLowS('secp256k1', der(big(twin.bytes.subarray(0, 32)), big(twin.bytes.subarray(32)))));
    expect(emitted).toBe(sigs.tz2.signature);
    expect(emitted).not.toBe(sigs.tz2.high_s_twin_must_not_be_emitted);
  });

  test.each(['secp256k1', 'p256'] as const)('%s: random KMS-like signatures, either half of s: always low-S, always verifying', (curve) => {
    const k = testKey(curve);
    const key = publicKeyOf(k);
    let high = 0;
    for (let i = 0; i < 40; i++) {
      const d = blake256(Uint8Array.of(i, 7));
      const compact = signDigestWith(k, d, { highS: i % 2 === 1 });
      if (isHighS(curve, compact)) high++;
      const out = derToCompactLowS(curve, der(big(compact.subarray(0, 32)), big(compact.subarray(32))));
      expect(isHighS(curve, out)).toBe(false);
      expect(big(out.subarray(32)) <= N[curve] >> 1n).toBe(true);
      expect(verifySignature(key, d, out)).toBe(true);
    }
    expect(high).toBe(20);
  });

  test('short integers are left-padded to 32 bytes; the half order is the low-S boundary', () => {
    const n = N.secp256k1;
    const half = n >> 1n;
    expect(toHex(derToCompactLowS('secp256k1', der(1n, 1n)))).toBe(hex32(1n) + hex32(1n));
    expect(toHex(derToCompactLowS('secp256k1', der(0x80n, 0x7fn)))).toBe(hex32(0x80n) + hex32(0x7fn));
    expect(toHex(derToCompactLowS('secp256k1', der(5n, half)))).toBe(hex32(5n) + hex32(half));
    expect(toHex(derToCompactLowS('secp256k1', der(5n, half + 1n)))).toBe(hex32(5n) + hex32(n - half - 1n));
    expect(toHex(derToCompactLowS('secp256k1', der(n - 1n, n - 1n)))).toBe(hex32(n - 1n) + hex32(1n));
    expect(toHex(derToCompactLowS('p256', der(N.p256 - 1n, N.p256 - 1n)))).toBe(hex32(N.p256 - 1n) + hex32(1n));
  });
});

describe('malformed DER throws MalformedSignatureError', () => {
  const good = fromHex(sigs.tz2.kms_der_hex); // 30 45 | 02 21 00 8e… | 02 20 73…
  const R = '02' + '21' + '008e1d76cfe4711f37bfd20b5b8ba9c33718a33caebab3fa8506332b5bc309a1d4';
  const S = '0220' + '73ce566123284962f3a3ef9ff38d9d7811a4893a0f71372e0359f0aca3012819';
  const seq = (body: string) => derSequence(body);
  const withByte = (at: number, value: number) => {
    const b = good.slice();
    b[at] = value;
    return b;
  };

  test('the pieces above are the vector', () => {
    expect(toHex(seq(R + S))).toBe(toHex(good));
    expect(() => derToCompactLowS('secp256k1', seq(R + S))).not.toThrow();
  });

  const cases = (curve: 'secp256k1' | 'p256'): [string, Uint8Array][] => {
    const n = N[curve];
    return [
      ['empty', new Uint8Array()],
      ['too short', fromHex('3006020101020101').subarray(0, 7)],
      ['a SET, not a SEQUENCE', withByte(0, 0x31)],
      ['an OCTET STRING, not a SEQUENCE', withByte(0, 0x04)],
      ['SEQUENCE length one too long', withByte(1, good[1]! + 1)],
      ['SEQUENCE length one too short', withByte(1, good[1]! - 1)],
      ['SEQUENCE with a long-form length', fromHex('3081' + toHex(good.subarray(1)))],
      ['a byte after the SEQUENCE', fromHex(toHex(good) + '00')],
      ['a byte inside the SEQUENCE after s', seq(R + S + '00')],
      ['a third INTEGER', seq(R + S + '020101')],
      ['r not an INTEGER', withByte(2, 0x04)],
      ['s not an INTEGER', withByte(2 + 2 + 33, 0x03)],
      ['r of length 0', seq('0200' + S)],
      ['s of length 0', seq(R + '0200')],
      ['r of length 34', seq('0222' + '0000' + 'ff'.repeat(32) + S)],
      ['r running past the end', seq('0230' + '11'.repeat(4))],
      ['s running past the end', seq(R + '0221' + '00' + '11'.repeat(10))],
      ['only r', seq(R)],
      ['negative r', seq('022080' + '11'.repeat(31) + S)],
      ['negative s', seq(R + '0220ff' + '22'.repeat(31))],
      ['non-minimal r (00 before a byte below 0x80)', seq('0221' + '0011' + '11'.repeat(31) + S)],
      ['non-minimal s (00 00)', seq(R + '0202' + '0000')],
      ['non-minimal s (00 01)', seq(R + '0202' + '0001')],
      ['r = 0', seq('020100' + S)],
      ['s = 0', seq(R + '020100')],
      ['r = n', seq(derInteger(n) + S)],
      ['s = n', seq(R + derInteger(n))],
      ['r = n + 1', seq(derInteger(n + 1n) + S)],
      ['s = 2^256 - 1', seq(R + derInteger(2n ** 256n - 1n))],
      ['r of 33 bytes without a sign byte', seq('0221' + '01' + '00'.repeat(32) + S)],
    ];
  };

  test.each(['secp256k1', 'p256'] as const)('%s: every variant', (curve) => {
    for (const [name, bytes] of cases(curve)) {
      expect(() => derToCompactLowS(curve, bytes), name).toThrow(MalformedSignatureError);
    }
  });

  test('the range is the order of the curve asked for', () => {
    // secp256k1's n is above P-256's: a value between them is in range for one curve only.
    expect(N.secp256k1 > N.p256).toBe(true);
    const between = der(N.p256, 1n);
    expect(() => derToCompactLowS('secp256k1', between)).not.toThrow();
    expect(() => derToCompactLowS('p256', between)).toThrow(MalformedSignatureError);
  });
});

describe('base58 forms', () => {
  test('typed forms decode to their curve; the generic sig form to no curve', () => {
    expect(decodeSignature(sigs.tz2.signature)).toMatchObject({ curve: 'secp256k1' });
    expect(decodeSignature(sigs.tz3.signature)).toMatchObject({ curve: 'p256' });
    const bytes = decodeSignature(sigs.tz2.signature)!.bytes;
    const generic = b58encode(PREFIX.sig, bytes);
    expect(generic).toBe(b58('04822b', bytes));
    expect(generic.startsWith('sig')).toBe(true);
    expect(decodeSignature(generic)).toEqual({ curve: undefined, bytes });
    const ed = encodeSignature('ed25519', new Uint8Array(64).fill(1));
    expect(ed).toBe(b58('09f5cd8612', new Uint8Array(64).fill(1)));
    expect(decodeSignature(ed)?.curve).toBe('ed25519');
  });

  test('encodings of the three curves use their prefixes', () => {
    const bytes = new Uint8Array(64).fill(2);
    expect(encodeSignature('secp256k1', bytes)).toBe(b58('0d7365133f', bytes));
    expect(encodeSignature('p256', bytes)).toBe(b58('36f02c34', bytes));
    expect(() => encodeSignature('secp256k1', new Uint8Array(63))).toThrow(RangeError);
  });

  test('not a signature: bad checksum, truncated, non-base58, other prefixes', () => {
    const s = sigs.tz2.signature;
    for (const text of [s.slice(0, -1), s.slice(0, -1) + (s.endsWith('E') ? 'F' : 'E'), 'spsig1notbase58!0OIl', '', keys.consensus_tz2.public_key, keys.consensus_tz2.pkh]) {
      expect(decodeSignature(text), text).toBeUndefined();
    }
  });
});

describe('verification', () => {
  test('secp256k1 refuses high-S; P-256 accepts it, as Tezos does', () => {
    const low2 = decodeSignature(sigs.tz2.signature)!.bytes;
    const twin2 = decodeSignature(sigs.tz2.high_s_twin_must_not_be_emitted)!.bytes;
    expect(verifySignature(tz2, digest, low2)).toBe(true);
    expect(verifySignature(tz2, digest, twin2)).toBe(false);
    const low3 = decodeSignature(sigs.tz3.signature)!.bytes;
    const twin3 = concatBytes(low3.subarray(0, 32), bigIntToBytes(N.p256 - big(low3.subarray(32)), 32));
    expect(verifySignature(tz3, digest, low3)).toBe(true);
    expect(verifySignature(tz3, digest, twin3)).toBe(true);
  });

  test('wrong key, wrong digest, wrong lengths are refused', () => {
    const low2 = decodeSignature(sigs.tz2.signature)!.bytes;
    expect(verifySignature(parsePublicKey(keys.authorized_tz2.public_key), digest, low2)).toBe(false);
    expect(verifySignature(tz2, blake256(Uint8Array.of(1)), low2)).toBe(false);
    expect(verifySignature(tz2, digest.subarray(0, 31), low2)).toBe(false);
    expect(verifySignature(tz2, concatBytes(digest, Uint8Array.of(0)), low2)).toBe(false);
    expect(verifySignature(tz2, digest, low2.subarray(0, 63))).toBe(false);
    expect(verifySignature(tz2, digest, concatBytes(low2, Uint8Array.of(0)))).toBe(false);
    expect(verifySignature(tz2, digest, new Uint8Array(64))).toBe(false);
    // a P-256 signature checked against a secp256k1 key
    expect(verifySignature(tz2, digest, decodeSignature(sigs.tz3.signature)!.bytes)).toBe(false);
  });

  test('the consensus keys of the vectors sign and verify in-test', () => {
    for (const k of [CONSENSUS_TZ2, CONSENSUS_TZ3, testKey('ed25519')]) {
      const key = publicKeyOf(k);
      prepareVerification(key);
      const d = blake256(Uint8Array.of(0x11, 9));
      expect(verifySignature(key, d, signDigestWith(k, d))).toBe(true);
    }
  });
});

describe('multiplication tables only where they pay for themselves', () => {
  test.each([CONSENSUS_TZ2, CONSENSUS_TZ3])('none at prepareVerification (the cold start); built at the TABLE_AFTER-th successful verification (failures do not count); the same answers before and after', (k) => {
    const key = publicKeyOf(k);
    prepareVerification(key);
    expect(hasTable(key)).toBe(false);
    const d = blake256(Uint8Array.of(0x13, 1));
    const good = signDigestWith(k, d);
    const bad = Uint8Array.from(good);
    bad[5] = bad[5]! ^ 1;
    // Failures, as many as a flood of forged authentications brings: no table.
    for (let i = 0; i < 3 * TABLE_AFTER; i++) expect(verifySignature(key, d, bad)).toBe(false);
    expect(hasTable(key)).toBe(false);
    for (let i = 1; i < TABLE_AFTER; i++) {
      expect(verifySignature(key, d, good)).toBe(true);
      expect(verifySignature(key, d, bad)).toBe(false);
      expect(hasTable(key)).toBe(false);
    }
    expect(verifySignature(key, d, good)).toBe(true);
    expect(hasTable(key)).toBe(true);
    expect(verifySignature(key, d, bad)).toBe(false);
    expect(verifySignature(key, d, good)).toBe(true);
  });
});

// The signer verifies ECDSA with its own short routine over precomputed key tables (for speed); it
// must accept exactly what noble's reference verify accepts, on valid, high-S, tampered and garbage
// signatures alike.
describe.each([
  { name: 'secp256k1' as const, impl: secp256k1, lowS: true },
  { name: 'p256' as const, impl: p256, lowS: false },
])('$name verification matches noble', ({ name, impl, lowS }) => {
  const n = impl.Point.CURVE().n;
  const secret = impl.utils.randomSecretKey();
  const key = publicKeyFromBytes(name, impl.getPublicKey(secret, true));
  const reference = (sig: Uint8Array, d: Uint8Array) => {
    try {
      return impl.verify(sig, d, key.verifyBytes, { prehash: false, lowS });
    } catch {
      return false;
    }
  };
  const mutation = fc.record({ digest: fc.uint8Array({ minLength: 32, maxLength: 32 }), highS: fc.boolean(), flip: fc.option(fc.nat(511), { freq: 2 }) });

  test('valid, high-S and bit-flipped signatures', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutation, ({ digest: d, highS, flip }) => {
        let sig: Uint8Array = impl.sign(d, secret, { prehash: false, lowS: true });
        if (highS) sig = concatBytes(sig.subarray(0, 32), bigIntToBytes(n - big(sig.subarray(32)), 32));
        if (flip !== null) sig[flip >> 3] = sig[flip >> 3]! ^ (1 << (flip & 7));
        const ours = verifySignature(key, d, sig);
        if (ours) accepted++;
        expect(ours).toBe(reference(sig, d));
      }),
      { numRuns: 150 },
    );
    expect(accepted).toBeGreaterThan(15); // the property saw real acceptances, not only refusals
  });

  test('edge scalars: r or s of 0, n, n-1, and garbage', () => {
    const d = new Uint8Array(32).fill(7);
    for (const r of [0n, 1n, n - 1n, n, n + 1n]) {
      for (const s of [0n, 1n, n >> 1n, (n >> 1n) + 1n, n - 1n, n]) {
        const sig = concatBytes(bigIntToBytes(r % 2n ** 256n, 32), bigIntToBytes(s % 2n ** 256n, 32));
        expect(verifySignature(key, d, sig)).toBe(reference(sig, d));
      }
    }
    fc.assert(fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (sig) => verifySignature(key, d, sig) === reference(sig, d)), { numRuns: 50 });
  });
});
